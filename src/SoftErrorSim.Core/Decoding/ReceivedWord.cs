using MathNet.Numerics.LinearAlgebra;

namespace SoftErrorSim.Core.Decoding;

/// <summary>Screening of a received word before decoding.</summary>
public static class ReceivedWord
{
    /// <summary>
    /// The symbols whose outputs hold a NaN, an infinity or a magnitude beyond
    /// <see cref="DecodingTolerance.ErasureMagnitude"/>: certainly wrong, so they are treated as
    /// located errors (erasures) rather than fed to the arithmetic.
    /// </summary>
    public static List<int> Erasures(Matrix<double> received)
    {
        ArgumentNullException.ThrowIfNull(received);
        var rows = received.RowCount;
        var values = received.AsColumnMajorArray() ?? received.ToColumnMajorArray();
        var flagged = new bool[rows];
        for (var i = 0; i < values.Length; i++)
        {
            if (DecodingTolerance.IsErasure(values[i]))
            {
                flagged[i % rows] = true;
            }
        }

        var erased = new List<int>();
        for (var p = 0; p < rows; p++)
        {
            if (flagged[p])
            {
                erased.Add(p);
            }
        }

        return erased;
    }

    /// <summary>
    /// The received word with erased rows set to zero, so that operators with zero columns for
    /// those rows really ignore them (0 x NaN is NaN). Returns the same instance when nothing is erased.
    /// </summary>
    public static Matrix<double> WithoutErasures(Matrix<double> received, IReadOnlyCollection<int> erased)
    {
        ArgumentNullException.ThrowIfNull(received);
        ArgumentNullException.ThrowIfNull(erased);
        if (erased.Count == 0)
        {
            return received;
        }

        var copy = received.Clone();
        foreach (var row in erased)
        {
            copy.ClearRow(row);
        }

        return copy;
    }

    /// <summary>0..count-1 without the given symbols, ascending.</summary>
    public static List<int> Complement(int count, IEnumerable<int> excluded)
    {
        var set = new HashSet<int>(excluded);
        return Enumerable.Range(0, count).Where(p => !set.Contains(p)).ToList();
    }
}
