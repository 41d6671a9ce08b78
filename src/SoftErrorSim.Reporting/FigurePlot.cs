using ScottPlot;

namespace SoftErrorSim.Reporting;

/// <summary>How a series is drawn.</summary>
public enum FigureStyle
{
    /// <summary>Filled markers joined by a solid line.</summary>
    LineWithMarkers,

    /// <summary>Filled markers only (Monte Carlo estimates).</summary>
    Markers,

    /// <summary>Open markers on a dashed line (theory, or the second error model of a scheme).</summary>
    DashedLine,

    /// <summary>Open downward triangles alone: an upper bound where nothing was observed (<see cref="ZeroFailureBound"/>).</summary>
    UpperBound,
}

/// <summary>One series of a figure; optional asymmetric error bars (absolute bounds, not offsets). A label may hold several lines ('\n'); the legend shows each.</summary>
public sealed record FigureSeries(string Label, IReadOnlyList<double> Xs, IReadOnlyList<double> Ys, FigureStyle Style = FigureStyle.LineWithMarkers)
{
    /// <summary>Lower ends of the error bars.</summary>
    public IReadOnlyList<double>? Low { get; init; }

    /// <summary>Upper ends of the error bars.</summary>
    public IReadOnlyList<double>? High { get; init; }

    /// <summary>The scheme the series shows (its CSV name): its colour and marker come from <see cref="FigurePalette"/>.</summary>
    public string? Scheme { get; init; }

    /// <summary>Shade of the scheme's colour when a figure shows several series of one scheme (0: the scheme's own; see <see cref="FigurePalette.Shade"/>).</summary>
    public int Shade { get; init; }

    /// <summary>Quantity colour slot of a series that is no scheme (series sharing a slot share a colour, e.g. Monte Carlo and its theory).</summary>
    public int? Color { get; init; }
}

/// <summary>What a figure shows around its series.</summary>
public sealed record FigureLayout(string Title, string XLabel, string YLabel)
{
    /// <summary>Log-scale x axis (values must be positive; others are left out).</summary>
    public bool LogX { get; init; }

    /// <summary>Log-scale y axis (values must be positive; the figure says how many it left out).</summary>
    public bool LogY { get; init; }

    /// <summary>Vertical markers with their labels (a threshold, a cliff), each in its own line pattern and labelled in place.</summary>
    public IReadOnlyList<(double X, string Label)> Markers { get; init; } = [];

    /// <summary>Where the legend sits in its band beside the data area (it never covers the data).</summary>
    public Alignment Legend { get; init; } = Alignment.UpperLeft;

    /// <summary>The y values are counts, fractions or ratios, never negative: no tick below zero.</summary>
    public bool YFromZero { get; init; }

    /// <summary>No tick above this value (1 for fractions), when set.</summary>
    public double? YTicksUpTo { get; init; }

    /// <summary>The y values are whole numbers (counts): ticks at integers only.</summary>
    public bool IntegerY { get; init; }

    /// <summary>Label the x axis at exactly these values (the measured intervals) instead of round numbers.</summary>
    public IReadOnlyList<double>? XTicks { get; init; }

    /// <summary>
    /// Points of different series that would hide one another are drawn side by side (a marker's
    /// width apart, <see cref="SeriesCoincidence.Step"/>), and the legend says which series equals
    /// which at every point. False draws them on top of one another (still annotated).
    /// </summary>
    public bool SideBySide { get; init; } = true;
}

/// <summary>The generic 1200 x 800 figure of the reproduced experiments: lines, points, intervals, theory, log axes.</summary>
public static class FigurePlot
{
    /// <summary>Width of the figure in pixels.</summary>
    public const int Width = 1200;

    /// <summary>Height of the figure in pixels.</summary>
    public const int Height = 800;

    private static readonly LinePattern[] MarkerPatterns = [LinePattern.Dotted, LinePattern.Dashed, LinePattern.DenselyDashed];

    /// <summary>Renders the figure.</summary>
    public static byte[] Render(FigureLayout layout, IReadOnlyList<FigureSeries> series) => FigureFrame.Png(Build(layout, series), Width, Height);

    /// <summary>The plot of the figure, before rendering (tests read its text).</summary>
    internal static Plot Build(FigureLayout layout, IReadOnlyList<FigureSeries> series)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(series);
        var plot = new Plot();
        double X(double x) => layout.LogX ? Math.Log10(x) : x;
        double Y(double y) => layout.LogY ? Math.Log10(y) : y;
        bool Shown(double x, double y) => double.IsFinite(x) && double.IsFinite(y) && (!layout.LogX || x > 0) && (!layout.LogY || y > 0);

        // Plotted coordinates, NaN where a point cannot be drawn.
        var xs = series.Select(s => s.Xs.Select(x => double.IsFinite(x) && (!layout.LogX || x > 0) ? X(x) : double.NaN).ToArray()).ToArray();
        var ys = series.Select(s => s.Xs.Select((x, i) => Shown(x, s.Ys[i]) ? Y(s.Ys[i]) : double.NaN).ToArray()).ToArray();
        var finiteYs = ys.SelectMany(y => y).Where(double.IsFinite).ToArray();
        var ySpan = finiteYs.Length == 0 ? 1 : Math.Max(finiteYs.Max() - finiteYs.Min(), 1e-12);

        // Series equal at every point (within about a pixel, 1/400 of the span of an 800-pixel
        // figure) are named in the legend; points that would hide one another (within a marker's
        // height, 1/60 of the span) are drawn side by side, a marker's width apart.
        var groups = SeriesCoincidence.Groups(series.Select((_, i) => ((IReadOnlyList<double>)xs[i], (IReadOnlyList<double>)ys[i])).ToList(), ySpan / 400);
        var equalTo = new int?[series.Count];
        foreach (var group in groups)
        {
            foreach (var member in group.Skip(1))
            {
                equalTo[member] = group[0];
            }
        }

        var offsets = layout.SideBySide
            ? SeriesCoincidence.PointOffsets(xs, ys, ySpan / 60, SeriesCoincidence.Step(xs.SelectMany(x => x), 2))
            : xs.Select(x => new double[x.Length]).ToArray();
        var widest = offsets.SelectMany(o => o).Select(Math.Abs).DefaultIfEmpty(0).Max();

        // Every legend entry is written here, in order: each series (a further line when it equals
        // another at every point), then the markers, then what the figure leaves out.
        var legend = new List<LegendItem>();
        var leftOut = 0;
        for (var s = 0; s < series.Count; s++)
        {
            var item = series[s];
            var (color, filled) = Style(item, s);
            var shape = item.Style switch { FigureStyle.DashedLine => FigurePalette.Open(filled), FigureStyle.UpperBound => MarkerShape.OpenTriangleDown, _ => filled };
            var pattern = item.Style switch { FigureStyle.Markers or FigureStyle.UpperBound => (LinePattern?)null, FigureStyle.DashedLine => LinePattern.Dashed, _ => LinePattern.Solid };
            legend.AddRange(FigureFrame.Keys(item.Label, shape, pattern, color, 10));
            if (equalTo[s] is { } other)
            {
                legend.Add(FigureFrame.Key("equal at every point to"));
                legend.Add(FigureFrame.Key(series[other].Label.Split('\n')[0]));
            }

            var kept = Enumerable.Range(0, item.Xs.Count).Where(i => double.IsFinite(ys[s][i])).ToArray();
            leftOut += Enumerable.Range(0, item.Xs.Count).Count(i => layout.LogY && double.IsFinite(item.Ys[i]) && item.Ys[i] <= 0);
            var diverged = Enumerable.Range(0, item.Xs.Count).FirstOrDefault(i => double.IsFinite(xs[s][i]) && !double.IsFinite(item.Ys[i]), -1);
            if (diverged >= 0)
            {
                plot.Add.VerticalLine(xs[s][diverged], 2, color, LinePattern.DenselyDashed);
                legend.Add(FigureFrame.Key($"not finite from x = {FigureAxes.Linear(item.Xs[diverged])} (diverged)", line: LinePattern.DenselyDashed, color: color));
            }

            if (kept.Length == 0)
            {
                continue;
            }

            var px = kept.Select(i => xs[s][i] + offsets[s][i]).ToArray();
            var py = kept.Select(i => ys[s][i]).ToArray();
            var scatter = item.Style is FigureStyle.Markers or FigureStyle.UpperBound ? plot.Add.ScatterPoints(px, py, color) : plot.Add.Scatter(px, py, color);
            scatter.MarkerShape = shape;
            scatter.MarkerSize = 10;
            scatter.LineWidth = pattern is null ? 0 : 2;
            scatter.LinePattern = pattern ?? LinePattern.Solid;
            if (item.Low is not null && item.High is not null)
            {
                var low = kept.Select(i => layout.LogY ? Math.Log10(Math.Max(item.Low[i], 1e-300)) : item.Low[i]).ToArray();
                var high = kept.Select(i => Y(item.High[i])).ToArray();
                var bars = plot.Add.ErrorBar(px, py, px.Select(_ => 0.0).ToArray());
                bars.YErrorNegative = py.Select((y, i) => Math.Max(y - low[i], 0)).ToArray();
                bars.YErrorPositive = py.Select((y, i) => Math.Max(high[i] - y, 0)).ToArray();
                bars.Color = color;
            }
        }

        var markerLines = new List<(double X, string Label)>();
        for (var m = 0; m < layout.Markers.Count; m++)
        {
            var (x, label) = layout.Markers[m];
            var pattern = MarkerPatterns[m % MarkerPatterns.Length];
            plot.Add.VerticalLine(X(x), 1.5f, FigurePalette.Neutral, pattern);
            legend.AddRange(FigureFrame.Keys(label, line: pattern));
            markerLines.Add((X(x), label.Split('\n')[0]));
        }

        if (widest > 0)
        {
            legend.Add(FigureFrame.Key("points that coincide are"));
            legend.Add(FigureFrame.Key(layout.LogX ? "drawn side by side (shifted in x)" : $"drawn side by side (x shifted by up to {FigureAxes.Linear(widest)})"));
        }

        if (leftOut > 0)
        {
            legend.Add(FigureFrame.Key($"{FigureAxes.Linear(leftOut)} points at zero not drawn (log axis)"));
        }

        plot.Legend.ManualItems.AddRange(legend);
        plot.Axes.Bottom.TickGenerator = layout.XTicks is { } fixedTicks ? FigureAxes.FixedTicks(fixedTicks, layout.LogX)
            : layout.LogX ? FigureAxes.LogTicks() : FigureAxes.LinearTicks();
        plot.Axes.Left.TickGenerator = layout.LogY ? FigureAxes.LogTicks()
            : layout.YFromZero || layout.YTicksUpTo is not null
                ? FigureAxes.BoundedTicks(layout.YFromZero ? 0 : double.NegativeInfinity, layout.YTicksUpTo ?? double.PositiveInfinity, layout.IntegerY)
                : FigureAxes.LinearTicks(layout.IntegerY);
        plot.Title(layout.Title);
        plot.XLabel(layout.XLabel);
        plot.YLabel(layout.YLabel);
        FigureFrame.LegendBeside(plot, layout.Legend);
        plot.Axes.AutoScale();
        var limits = plot.Axes.GetLimits();
        if (layout.YFromZero && !layout.LogY && limits.Bottom < 0)
        {
            // Keep markers at zero whole with a sliver of margin; no tick is drawn below zero.
            plot.Axes.SetLimitsY(-0.02 * limits.Top, limits.Top);
            limits = plot.Axes.GetLimits();
        }

        foreach (var (x, label) in markerLines)
        {
            var text = plot.Add.Text(label, x, limits.Top);
            text.LabelAlignment = Alignment.UpperLeft;
            text.OffsetX = 4;
            text.OffsetY = 4;
            text.LabelFontSize = 12;
            text.LabelFontColor = FigurePalette.Neutral;
        }

        return plot;
    }

    /// <summary>The colour and filled marker of a series: its scheme's, else its quantity slot's.</summary>
    internal static (Color Color, MarkerShape Shape) Style(FigureSeries series, int index)
    {
        if (FigurePalette.Find(series.Scheme) is { } scheme)
        {
            return (FigurePalette.Shade(scheme.Color, series.Shade), scheme.Marker);
        }

        var slot = series.Color ?? index;
        return (FigurePalette.Quantity(slot), FigurePalette.QuantityMarker(slot));
    }
}
