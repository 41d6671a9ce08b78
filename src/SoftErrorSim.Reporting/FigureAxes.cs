using System.Globalization;
using ScottPlot;
using ScottPlot.TickGenerators;

namespace SoftErrorSim.Reporting;

/// <summary>
/// Tick labels of every figure, always in the invariant culture (a decimal point, no group
/// separator) whatever the machine's language: linear axes, log axes that keep at least two
/// labelled ticks however narrow their range, axes of counts that never show a negative tick, and
/// axes labelled at given values.
/// </summary>
public static class FigureAxes
{
    private static readonly double[] AboveOne = [2, 3, 4, 5, 6, 7, 8, 9];
    private static readonly int[] DecadeSteps = [1, 2, 3, 4, 5, 10, 20, 25, 50, 100];
    private static readonly (double[] Labelled, double[] Minor)[] Mantissas = [([1, 2, 5], [3, 4, 6, 7, 8, 9]), ([1, 2, 3, 4, 5, 6, 7, 8, 9], [])];
    private static readonly double[] RoundSteps = [1, 2, 5, 10];

    /// <summary>The label of a linear tick: at most 9 decimals (no floating noise such as 0.30000000000000004), no group separator.</summary>
    public static string Linear(double value)
    {
        if (!double.IsFinite(value))
        {
            return string.Empty;
        }

        var rounded = Math.Round(value, 9);
        if (rounded == 0)
        {
            return "0";
        }

        var magnitude = Math.Abs(rounded);
        return magnitude is < 1e-4 or >= 1e9
            ? rounded.ToString("0.#####e0", CultureInfo.InvariantCulture)
            : rounded.ToString("0.#########", CultureInfo.InvariantCulture);
    }

    /// <summary>The label of a tick at value 10^<paramref name="exponent"/> on a log axis: 1e-3, 2e-3, 2.5e-3.</summary>
    public static string Power(double exponent)
    {
        var value = Math.Pow(10, exponent);
        var decade = Math.Floor(exponent + 1e-9);
        var mantissa = Math.Round(value / Math.Pow(10, decade), 6);
        if (mantissa >= 10)
        {
            (mantissa, decade) = (mantissa / 10, decade + 1);
        }

        return string.Create(CultureInfo.InvariantCulture, $"{mantissa:0.######}e{decade:0}");
    }

    /// <summary>A linear axis with invariant labels.</summary>
    public static ITickGenerator LinearTicks(bool integersOnly = false) => new NumericAutomatic { LabelFormatter = Linear, IntegerTicksOnly = integersOnly };

    /// <summary>A linear axis whose ticks stay within [<paramref name="minimum"/>, <paramref name="maximum"/>] (counts: no negative tick; fractions: none above 1).</summary>
    public static ITickGenerator BoundedTicks(double minimum, double maximum = double.PositiveInfinity, bool integersOnly = false) =>
        new BoundedTickGenerator(LinearTicks(integersOnly), minimum, maximum);

    /// <summary>A log axis (positions are log10 of the values) with at least two labelled ticks.</summary>
    public static ITickGenerator LogTicks() => new LogTickGenerator();

    /// <summary>An axis labelled exactly at <paramref name="values"/> (the measured K of a sweep); positions in log10 when <paramref name="log"/>.</summary>
    public static ITickGenerator FixedTicks(IEnumerable<double> values, bool log)
    {
        ArgumentNullException.ThrowIfNull(values);
        var ticks = new NumericManual();
        foreach (var value in values.Where(v => double.IsFinite(v) && (!log || v > 0)).Distinct().Order())
        {
            ticks.AddMajor(log ? Math.Log10(value) : value, Linear(value));
        }

        return ticks;
    }

    /// <summary>
    /// The ticks of a log axis spanning 10^<paramref name="low"/> to 10^<paramref name="high"/>,
    /// with at most <paramref name="maxLabels"/> labels and never fewer than two inside the range:
    /// decades when the range holds three or more (every k-th when they are many), else 1-2-5 and
    /// then 1-9 multiples of the decade, else evenly spaced round values.
    /// </summary>
    public static IReadOnlyList<Tick> LogTickList(double low, double high, int maxLabels = 12)
    {
        if (!double.IsFinite(low) || !double.IsFinite(high))
        {
            return [];
        }

        if (high < low)
        {
            (low, high) = (high, low);
        }

        maxLabels = Math.Max(2, maxLabels);
        const double Slack = 1e-9;
        var first = (int)Math.Ceiling(low - Slack);
        var last = (int)Math.Floor(high + Slack);
        var ticks = new List<Tick>();
        if (last - first >= 2 || (last - first == 1 && Multiples(low, high, Mantissas[0].Labelled).Count() > maxLabels))
        {
            // Three or more decades (two whose 1-2-5 multiples would crowd): label every step-th one.
            var step = DecadeSteps.FirstOrDefault(s => CountMultiples(first, last, s) <= maxLabels, last - first);
            if (CountMultiples(first, last, step) < 2)
            {
                step = last - first;
            }

            var start = CountMultiples(first, last, step) >= 2 ? FirstMultiple(first, step) : first;
            for (var decade = first; decade <= last; decade++)
            {
                ticks.Add((decade - start) % step == 0 ? Tick.Major(decade, Power(decade)) : Tick.Minor(decade));
            }

            if (step == 1 && high - low <= 10)
            {
                ticks.AddRange(Multiples(low, high, AboveOne).Select(p => Tick.Minor(p)));
            }

            return ticks;
        }

        // Fewer than three decades: 1-2-5 multiples, then every multiple, labelled.
        foreach (var (labelled, minor) in Mantissas)
        {
            var major = Multiples(low, high, labelled).ToList();
            if (major.Count >= 2 && major.Count <= maxLabels)
            {
                ticks.AddRange(major.Select(p => Tick.Major(p, Power(p))));
                ticks.AddRange(Multiples(low, high, minor).Select(p => Tick.Minor(p)));
                return ticks;
            }
        }

        // Narrower still: round values evenly spaced in the value itself.
        // A round spacing can leave a single multiple inside (1e-9 to 5.8e-9 at spacing 5e-9): the next
        // smaller round spacings are tried until two fit; if none gives 2 to maxLabels, the two ends.
        var (from, to) = (Math.Pow(10, low), Math.Pow(10, high));
        var spacing = NiceStep((to - from) / Math.Min(5, maxLabels - 1));
        static int Count(double from, double to, double spacing) => (int)(Math.Floor(to * (1 + 1e-12) / spacing) - Math.Ceiling(from / spacing)) + 1;
        for (var tries = 0; tries < 3 && Count(from, to, spacing) < 2; tries++)
        {
            spacing = SmallerNiceStep(spacing);
        }

        var count = Count(from, to, spacing);
        if (count < 2 || count > maxLabels)
        {
            return [Tick.Major(low, Power(low)), Tick.Major(high, Power(high))];
        }

        for (var k = Math.Ceiling(from / spacing); k * spacing <= to * (1 + 1e-12); k++)
        {
            var position = Math.Log10(k * spacing);
            ticks.Add(Tick.Major(position, Power(position)));
        }

        return ticks;
    }

    /// <summary>The round step (1, 2 or 5 times a power of ten) just below a round step.</summary>
    private static double SmallerNiceStep(double step)
    {
        var power = Math.Pow(10, Math.Floor(Math.Log10(step) + 1e-9));
        var mantissa = Math.Round(step / power);
        return mantissa switch
        {
            >= 5 => 2 * power,
            >= 2 => power,
            _ => power / 2,
        };
    }

    private static int FirstMultiple(int first, int step) => (int)(Math.Ceiling(first / (double)step) * step);

    private static int CountMultiples(int first, int last, int step)
    {
        var start = FirstMultiple(first, step);
        return start > last ? 0 : ((last - start) / step) + 1;
    }

    /// <summary>log10 of m x 10^k for every m of <paramref name="mantissas"/> and every k, inside [low, high].</summary>
    private static IEnumerable<double> Multiples(double low, double high, double[] mantissas)
    {
        for (var decade = (int)Math.Floor(low) - 1; decade <= (int)Math.Ceiling(high); decade++)
        {
            foreach (var m in mantissas)
            {
                var position = decade + Math.Log10(m);
                if (position >= low - 1e-9 && position <= high + 1e-9)
                {
                    yield return position;
                }
            }
        }
    }

    /// <summary>The round number (1, 2 or 5 times a power of ten) nearest above <paramref name="rough"/>.</summary>
    private static double NiceStep(double rough)
    {
        var power = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        return RoundSteps.Select(m => m * power).First(s => s >= rough * (1 - 1e-12));
    }

    /// <summary>Ticks of a log axis, regenerated from the visible range at every render.</summary>
    private sealed class LogTickGenerator : ITickGenerator
    {
        public Tick[] Ticks { get; set; } = [];

        public int MaxTickCount { get; set; } = 10_000;

        public void Regenerate(CoordinateRange range, Edge edge, PixelLength size, Paint paint, LabelStyle labelStyle)
        {
            // A label needs about 70 pixels across a horizontal axis and 30 along a vertical one.
            var perLabel = edge is Edge.Bottom or Edge.Top ? 70 : 30;
            Ticks = [.. LogTickList(range.Min, range.Max, Math.Max(2, (int)(size.Length / perLabel)))];
        }
    }

    /// <summary>Another generator's ticks, less those outside [minimum, maximum].</summary>
    private sealed class BoundedTickGenerator(ITickGenerator inner, double minimum, double maximum) : ITickGenerator
    {
        public Tick[] Ticks { get; set; } = [];

        public int MaxTickCount { get => inner.MaxTickCount; set => inner.MaxTickCount = value; }

        public void Regenerate(CoordinateRange range, Edge edge, PixelLength size, Paint paint, LabelStyle labelStyle)
        {
            inner.Regenerate(range, edge, size, paint, labelStyle);
            Ticks = [.. inner.Ticks.Where(t => t.Position >= minimum - 1e-9 && t.Position <= maximum + 1e-9)];
        }
    }
}
