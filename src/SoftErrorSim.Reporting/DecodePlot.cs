using System.Globalization;
using ScottPlot;

namespace SoftErrorSim.Reporting;

/// <summary>The decode figure: success rate against the number of injected errors, with Wilson intervals.</summary>
public static class DecodePlot
{
    /// <summary>Width of every figure in pixels.</summary>
    public const int Width = 1200;

    /// <summary>Height of every figure in pixels.</summary>
    public const int Height = 800;

    /// <summary>
    /// Renders the figure from CSV rows alone (so `plot` can redraw it). Draws the theoretical
    /// tolerances of the decoder used as dashed vertical lines: floor((P-K)/2) for bounded distance
    /// and P-K-1 for probability one (GPD; other schemes mark their own tolerance).
    /// </summary>
    public static byte[] Render(IReadOnlyList<DecodeCsvRow> rows, int? tolerance) => FigureFrame.Png(Build(rows, tolerance), Width, Height);

    /// <summary>The plot of the figure, before rendering.</summary>
    internal static Plot Build(IReadOnlyList<DecodeCsvRow> rows, int? tolerance)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            throw new ArgumentException("no rows to plot", nameof(rows));
        }

        var first = rows[0];
        var style = FigurePalette.Find(first.Scheme);
        var color = style?.Color ?? FigurePalette.Quantity(2);
        var plot = new Plot();
        var xs = rows.Select(r => (double)r.Errors).ToArray();
        var ys = rows.Select(r => r.SuccessRate).ToArray();
        var scatter = plot.Add.Scatter(xs, ys, color);
        scatter.MarkerShape = style?.Marker ?? MarkerShape.FilledCircle;
        scatter.MarkerSize = 9;
        scatter.LineWidth = 2;
        var bars = plot.Add.ErrorBar(xs, ys, rows.Select(_ => 0.0).ToArray());
        bars.YErrorNegative = rows.Select(r => r.SuccessRate - r.CiLow).ToArray();
        bars.YErrorPositive = rows.Select(r => r.CiHigh - r.SuccessRate).ToArray();
        bars.Color = color;

        // The two ways to fail, in colours no scheme uses: detected (flagged, safe to retry) and
        // miscorrected (a wrong result returned as good: the silent failure that matters).
        static double Fraction(long count, long trials) => trials == 0 ? 0.0 : (double)count / trials;
        var detected = plot.Add.Scatter(xs, rows.Select(r => Fraction(r.Detected, r.Trials)).ToArray(), FigurePalette.Quantity(2));
        detected.LinePattern = LinePattern.Dotted;
        detected.LineWidth = 1.5f;
        detected.MarkerShape = MarkerShape.OpenTriangleUp;
        detected.MarkerSize = 9;

        var miscorrected = plot.Add.Scatter(xs, rows.Select(r => Fraction(r.Miscorrected, r.Trials)).ToArray(), FigurePalette.Quantity(0));
        miscorrected.LinePattern = LinePattern.Dashed;
        miscorrected.LineWidth = 2;
        // Drawn last and larger than the success markers, so it shows where it lies on them at zero.
        miscorrected.MarkerShape = MarkerShape.Eks;
        miscorrected.MarkerSize = 15;
        miscorrected.MarkerLineWidth = 2.5f;

        plot.Legend.ManualItems.AddRange(FigureFrame.Keys(
            string.Create(CultureInfo.InvariantCulture, $"success rate: {first.Scheme} {first.Pass},\n{first.Decoder} decoder, Monte Carlo,\n{first.Trials} trials per point, 95% Wilson intervals"),
            scatter.MarkerShape,
            LinePattern.Solid,
            color));
        plot.Legend.ManualItems.AddRange(FigureFrame.Keys("detected fraction (failure flagged)", detected.MarkerShape, LinePattern.Dotted, detected.Color));
        plot.Legend.ManualItems.AddRange(FigureFrame.Keys("miscorrected fraction (silent:\na wrong result returned as good)", miscorrected.MarkerShape, LinePattern.Dashed, miscorrected.Color, 12));
        if (tolerance is { } t)
        {
            plot.Add.VerticalLine(t + 0.5, 2, FigurePalette.Neutral, LinePattern.Dashed);
            plot.Legend.ManualItems.Add(FigureFrame.Key(string.Create(CultureInfo.InvariantCulture, $"guaranteed tolerance: {t} errors"), line: LinePattern.Dashed));
        }

        plot.Title(string.Create(CultureInfo.InvariantCulture, $"Decode success vs injected errors: {first.Scheme}, P = {first.Nodes}, m = {first.M}, n = {first.N}, K = {first.Threshold}, {first.ErrorModel} errors"));
        plot.XLabel("erring nodes per decode (count)");
        plot.YLabel("fraction of trials");
        plot.Axes.SetLimitsY(-0.03, 1.03);
        plot.Axes.SetLimitsX(xs.Min() - 0.5, xs.Max() + 0.5);
        // Every error count labelled while they fit (about 20 across the figure), else whole numbers.
        plot.Axes.Bottom.TickGenerator = xs.Max() - xs.Min() <= 20 ? FigureAxes.FixedTicks(xs, log: false) : FigureAxes.BoundedTicks(0, integersOnly: true);
        plot.Axes.Left.TickGenerator = FigureAxes.BoundedTicks(0, 1);
        FigureFrame.LegendBeside(plot);
        return plot;
    }
}
