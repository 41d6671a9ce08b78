using System.Globalization;

namespace SoftErrorSim.Cli;

/// <summary>
/// The LIST syntax of sweep options: comma-separated items, each a number or a range.
/// Integers: "8:64:8" is 8, 16, ..., 64. Reals: "1e-4:1e-1:log10" is 10 points evenly spaced in
/// log10 from 1e-4 to 1e-1 inclusive, "0:0.5:lin6" 6 evenly spaced points.
/// </summary>
public static class ListSyntax
{
    /// <summary>Parses a list of integers of at least <paramref name="minimum"/> (repeats dropped unless <paramref name="distinct"/> is false); throws <see cref="UsageException"/> with a one-line reason.</summary>
    public static IReadOnlyList<int> Integers(string text, string option, bool distinct = true, int minimum = 1)
    {
        ArgumentNullException.ThrowIfNull(text);
        var values = new List<int>();
        foreach (var item in Items(text, option))
        {
            var parts = item.Split(':');
            if (parts.Length == 1)
            {
                values.Add(Int(parts[0], option, item));
                continue;
            }

            if (parts.Length != 3)
            {
                throw new UsageException($"{option}: '{item}' must be an integer or FROM:TO:STEP");
            }

            var (from, to, step) = (Int(parts[0], option, item), Int(parts[1], option, item), Int(parts[2], option, item));
            if (step <= 0 || to < from)
            {
                throw new UsageException($"{option}: range '{item}' needs FROM <= TO and a positive STEP");
            }

            if (((long)to - from) / step > 10_000)
            {
                throw new UsageException($"{option}: range '{item}' has more than 10000 values");
            }

            for (long v = from; v <= to; v += step)
            {
                values.Add((int)v);
            }
        }

        if (values.FirstOrDefault(v => v < minimum, minimum) is var low && low < minimum)
        {
            throw new UsageException($"{option}: {low} is below {minimum}; every value must be at least {minimum}");
        }

        return distinct ? values.Distinct().ToList() : values;
    }

    /// <summary>Parses a real list; throws <see cref="UsageException"/> with a one-line reason.</summary>
    public static IReadOnlyList<double> Reals(string text, string option)
    {
        ArgumentNullException.ThrowIfNull(text);
        var values = new List<double>();
        foreach (var item in Items(text, option))
        {
            var parts = item.Split(':');
            if (parts.Length == 1)
            {
                values.Add(Real(parts[0], option, item));
                continue;
            }

            if (parts.Length != 3 || !(parts[2].StartsWith("log", StringComparison.Ordinal) || parts[2].StartsWith("lin", StringComparison.Ordinal)))
            {
                throw new UsageException($"{option}: '{item}' must be a number, LO:HI:logK or LO:HI:linK");
            }

            var (low, high) = (Real(parts[0], option, item), Real(parts[1], option, item));
            if (!int.TryParse(parts[2].AsSpan(3), NumberStyles.Integer, CultureInfo.InvariantCulture, out var count) || count < 2 || count > 10_000)
            {
                throw new UsageException($"{option}: '{item}' needs a point count between 2 and 10000 after log or lin");
            }

            var logarithmic = parts[2].StartsWith("log", StringComparison.Ordinal);
            if (high < low || (logarithmic && !(low > 0)))
            {
                throw new UsageException($"{option}: range '{item}' needs LO <= HI{(logarithmic ? " and LO > 0" : string.Empty)}");
            }

            for (var i = 0; i < count; i++)
            {
                var fraction = (double)i / (count - 1);
                values.Add(logarithmic
                    ? Math.Pow(10, Math.Log10(low) + (fraction * (Math.Log10(high) - Math.Log10(low))))
                    : low + (fraction * (high - low)));
            }
        }

        return values.Distinct().ToList();
    }

    private static string[] Items(string text, string option)
    {
        var items = text.Split(',', StringSplitOptions.TrimEntries);
        if (items.Any(string.IsNullOrEmpty))
        {
            throw new UsageException($"{option}: empty item in '{text}'");
        }

        return items;
    }

    private static int Int(string text, string option, string item) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new UsageException($"{option}: '{item}' is not an integer list item");

    private static double Real(string text, string option, string item) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : throw new UsageException($"{option}: '{item}' is not a number");
}
