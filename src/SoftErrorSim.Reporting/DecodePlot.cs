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
    public static byte[] Render(IReadOnlyList<DecodeCsvRow> rows, int? tolerance)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            throw new ArgumentException("no rows to plot", nameof(rows));
        }

        var first = rows[0];
        var plot = new Plot();
        var xs = rows.Select(r => (double)r.Errors).ToArray();
        var ys = rows.Select(r => r.SuccessRate).ToArray();
        var scatter = plot.Add.Scatter(xs, ys);
        scatter.LegendText = string.Create(CultureInfo.InvariantCulture, $"{first.Scheme} {first.Pass}, {first.Decoder} (Monte Carlo, {first.Trials} trials/point)");
        scatter.MarkerSize = 8;
        scatter.LineWidth = 1.5f;
        var bars = plot.Add.ErrorBar(xs, ys, rows.Select(_ => 0.0).ToArray());
        bars.YErrorNegative = rows.Select(r => r.SuccessRate - r.CiLow).ToArray();
        bars.YErrorPositive = rows.Select(r => r.CiHigh - r.SuccessRate).ToArray();
        bars.Color = scatter.Color;
        bars.LegendText = "95% Wilson interval";

        var detected = plot.Add.Scatter(xs, rows.Select(r => r.Trials == 0 ? 0.0 : (double)r.Detected / r.Trials).ToArray(), Colors.DarkOrange);
        detected.LegendText = "detected fraction (failure flagged)";
        detected.LinePattern = LinePattern.Dotted;
        detected.MarkerShape = MarkerShape.OpenTriangleUp;

        var miscorrected = plot.Add.Scatter(xs, rows.Select(r => r.Trials == 0 ? 0.0 : (double)r.Miscorrected / r.Trials).ToArray(), Colors.Crimson);
        miscorrected.LegendText = "miscorrected fraction (wrong result returned as good)";
        miscorrected.LinePattern = LinePattern.Dotted;
        miscorrected.MarkerShape = MarkerShape.OpenSquare;

        if (tolerance is { } t)
        {
            var line = plot.Add.VerticalLine(t + 0.5, 2, Colors.Gray, LinePattern.Dashed);
            line.LegendText = string.Create(CultureInfo.InvariantCulture, $"guaranteed tolerance: {t} errors");
        }

        plot.Title(string.Create(CultureInfo.InvariantCulture, $"Decode success vs injected errors: {first.Scheme}, P = {first.Nodes}, m = {first.M}, n = {first.N}, K = {first.Threshold}, {first.ErrorModel} errors"));
        plot.XLabel("erring nodes per decode (count)");
        plot.YLabel("decode success rate (fraction of trials)");
        plot.Axes.SetLimitsY(-0.03, 1.03);
        plot.Axes.SetLimitsX(xs.Min() - 0.5, xs.Max() + 0.5);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericFixedInterval(Math.Max(1, Math.Ceiling((xs.Max() - xs.Min()) / 20)));
        plot.ShowLegend(Alignment.MiddleLeft);
        return plot.GetImageBytes(Width, Height, ImageFormat.Png);
    }
}
