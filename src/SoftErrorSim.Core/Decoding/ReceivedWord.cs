using System.Runtime.InteropServices;

namespace SoftErrorSim.Core.Decoding;

/// <summary>Screening of a received word (one row per symbol, row-major) before decoding.</summary>
public static class ReceivedWord
{
    /// <summary>
    /// The symbols whose outputs hold a NaN, an infinity or a magnitude beyond
    /// <see cref="DecodingTolerance.ErasureMagnitude"/> (in either part of a complex entry):
    /// certainly wrong, so they are treated as located errors (erasures) rather than fed to the
    /// arithmetic.
    /// </summary>
    public static List<int> Erasures<T>(ReadOnlySpan<T> received, int symbols)
        where T : struct
    {
        var doubles = MemoryMarshal.Cast<T, double>(received);
        var width = doubles.Length / Math.Max(symbols, 1);
        var erased = new List<int>();
        for (var p = 0; p < symbols; p++)
        {
            foreach (var v in doubles.Slice(p * width, width))
            {
                if (DecodingTolerance.IsErasure(v))
                {
                    erased.Add(p);
                    break;
                }
            }
        }

        return erased;
    }

    /// <summary>0..count-1 without the given symbols, ascending.</summary>
    public static List<int> Complement(int count, IEnumerable<int> excluded)
    {
        // Excluded symbols are few (the erasures of one word): a bit mask spares a hash set.
        Span<bool> skip = count <= 1024 ? stackalloc bool[count] : new bool[count];
        foreach (var p in excluded)
        {
            if (p >= 0 && p < count)
            {
                skip[p] = true;
            }
        }

        var result = new List<int>(count);
        for (var p = 0; p < count; p++)
        {
            if (!skip[p])
            {
                result.Add(p);
            }
        }

        return result;
    }
}
