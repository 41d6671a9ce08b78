using System.Globalization;
using ScottPlot;

namespace SoftErrorSim.Reporting;

/// <summary>How a series is drawn.</summary>
public enum FigureStyle
{
    /// <summary>Points joined by a solid line.</summary>
    LineWithMarkers,

    /// <summary>Points only (Monte Carlo estimates).</summary>
    Markers,

    /// <summary>A dashed line (theory).</summary>
    DashedLine,
}

/// <summary>One series of a figure; optional asymmetric error bars (absolute bounds, not offsets).</summary>
public sealed record FigureSeries(string Label, IReadOnlyList<double> Xs, IReadOnlyList<double> Ys, FigureStyle Style = FigureStyle.LineWithMarkers)
{
    /// <summary>Lower ends of the error bars.</summary>
    public IReadOnlyList<double>? Low { get; init; }

    /// <summary>Upper ends of the error bars.</summary>
    public IReadOnlyList<double>? High { get; init; }

    /// <summary>Colour slot (series sharing a slot share a colour, e.g. Monte Carlo and its theory).</summary>
    public int? Color { get; init; }
}

/// <summary>What a figure shows around its series.</summary>
public sealed record FigureLayout(string Title, string XLabel, string YLabel)
{
    /// <summary>Log-scale x axis (values must be positive; others are left out).</summary>
    public bool LogX { get; init; }

    /// <summary>Log-scale y axis.</summary>
    public bool LogY { get; init; }

    /// <summary>Dashed vertical markers with their labels (a threshold, a cliff).</summary>
    public IReadOnlyList<(double X, string Label)> Markers { get; init; } = [];

    /// <summary>Where the legend sits.</summary>
    public Alignment Legend { get; init; } = Alignment.UpperLeft;
}

/// <summary>The generic 1200 x 800 figure of the reproduced experiments: lines, points, intervals, theory, log axes.</summary>
public static class FigurePlot
{
    /// <summary>Renders the figure.</summary>
    public static byte[] Render(FigureLayout layout, IReadOnlyList<FigureSeries> series)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(series);
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        double X(double x) => layout.LogX ? Math.Log10(x) : x;
        double Y(double y) => layout.LogY ? Math.Log10(y) : y;
        // Series that coincide (equal tolerances, a scheme on the fault-free curve) draw over each
        // other: every series gets its own marker shape, earlier ones larger, so all stay visible.
        MarkerShape[] shapes = [MarkerShape.FilledCircle, MarkerShape.OpenSquare, MarkerShape.FilledTriangleUp, MarkerShape.OpenDiamond, MarkerShape.Cross, MarkerShape.OpenCircle, MarkerShape.FilledSquare, MarkerShape.Asterisk];
        bool Shown(double x, double y) => double.IsFinite(x) && double.IsFinite(y) && (!layout.LogX || x > 0) && (!layout.LogY || y > 0);
        for (var s = 0; s < series.Count; s++)
        {
            var item = series[s];
            var color = palette.GetColor(item.Color ?? s);
            var kept = Enumerable.Range(0, item.Xs.Count).Where(i => Shown(item.Xs[i], item.Ys[i])).ToArray();
            if (kept.Length == 0)
            {
                continue;
            }

            var xs = kept.Select(i => X(item.Xs[i])).ToArray();
            var ys = kept.Select(i => Y(item.Ys[i])).ToArray();
            var scatter = item.Style == FigureStyle.Markers ? plot.Add.ScatterPoints(xs, ys, color) : plot.Add.Scatter(xs, ys, color);
            scatter.LegendText = item.Label;
            scatter.MarkerShape = shapes[s % shapes.Length];
            scatter.MarkerSize = Math.Max(5, 13 - s);
            scatter.LineWidth = item.Style == FigureStyle.Markers ? 0 : 2;
            if (item.Style == FigureStyle.DashedLine)
            {
                scatter.LinePattern = LinePattern.Dashed;
            }

            if (item.Low is not null && item.High is not null)
            {
                var low = kept.Select(i => layout.LogY ? Math.Log10(Math.Max(item.Low[i], 1e-300)) : item.Low[i]).ToArray();
                var high = kept.Select(i => Y(item.High[i])).ToArray();
                var bars = plot.Add.ErrorBar(xs, ys, xs.Select(_ => 0.0).ToArray());
                bars.YErrorNegative = ys.Select((y, i) => Math.Max(y - low[i], 0)).ToArray();
                bars.YErrorPositive = ys.Select((y, i) => Math.Max(high[i] - y, 0)).ToArray();
                bars.Color = color;
            }
        }

        foreach (var (x, label) in layout.Markers)
        {
            var line = plot.Add.VerticalLine(X(x), 1.5f, Colors.Gray, LinePattern.Dotted);
            line.LegendText = label;
        }

        static string Power(double v) => string.Create(CultureInfo.InvariantCulture, $"1e{v:0}");
        foreach (var (axis, log) in new (IAxis, bool)[] { (plot.Axes.Bottom, layout.LogX), (plot.Axes.Left, layout.LogY) })
        {
            if (log)
            {
                axis.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
                {
                    MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
                    IntegerTicksOnly = true,
                    LabelFormatter = Power,
                };
            }
        }

        plot.Title(layout.Title);
        plot.XLabel(layout.XLabel);
        plot.YLabel(layout.YLabel);
        plot.ShowLegend(layout.Legend);
        plot.Axes.AutoScale();
        return plot.GetImageBytes(DecodePlot.Width, DecodePlot.Height, ImageFormat.Png);
    }
}
