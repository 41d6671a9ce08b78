using System.Globalization;
using ScottPlot;

namespace SoftErrorSim.Reporting;

/// <summary>
/// The training figure: test accuracy (solid, left axis) and mean training loss (dashed, right
/// axis) against samples seen, one colour per scheme.
/// </summary>
public static class TrainPlot
{
    /// <summary>Renders the figure from CSV rows alone.</summary>
    public static byte[] Render(IReadOnlyList<TrainCsvRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            throw new ArgumentException("no rows to plot", nameof(rows));
        }

        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var schemes = rows.GroupBy(r => r.Scheme).ToList();

        // Schemes that match the fault-free run draw exactly over it: distinct marker shapes and
        // sizes (largest first) keep every one of them visible.
        MarkerShape[] shapes = [MarkerShape.OpenCircle, MarkerShape.FilledSquare, MarkerShape.OpenTriangleUp, MarkerShape.FilledDiamond, MarkerShape.Cross, MarkerShape.Asterisk];
        for (var s = 0; s < schemes.Count; s++)
        {
            var color = palette.GetColor(s);
            var shape = shapes[s % shapes.Length];
            var size = Math.Max(5, 14 - (2 * s));
            var points = schemes[s].OrderBy(r => r.SamplesSeen).ToList();
            var xs = points.Select(r => (double)r.SamplesSeen).ToArray();
            var accuracy = plot.Add.Scatter(xs, points.Select(r => 100 * r.TestAccuracy).ToArray(), color);
            accuracy.LegendText = $"{schemes[s].Key}: test accuracy";
            accuracy.LineWidth = 2;
            accuracy.MarkerShape = shape;
            accuracy.MarkerSize = size;
            var loss = plot.Add.Scatter(xs, points.Select(r => r.Loss).ToArray(), color);
            loss.LegendText = $"{schemes[s].Key}: training loss";
            loss.LinePattern = LinePattern.Dashed;
            loss.MarkerShape = shape;
            loss.MarkerSize = size * 0.7f;
            loss.Axes.YAxis = plot.Axes.Right;
        }

        var first = rows[0];
        plot.Title(string.Create(CultureInfo.InvariantCulture, $"Decentralised coded training under soft errors: per-node error rate {rows.Max(r => r.ErrorRate):0.###e0} per step, seed {first.Seed}"));
        plot.XLabel("training samples seen (batch 1: SGD steps)");
        plot.YLabel("test accuracy (%), solid");
        plot.Axes.Right.Label.Text = "mean training loss per round (cross-entropy, nats), dashed";
        plot.ShowLegend(Alignment.LowerRight);
        plot.Axes.AutoScale();
        return plot.GetImageBytes(DecodePlot.Width, DecodePlot.Height, ImageFormat.Png);
    }
}
