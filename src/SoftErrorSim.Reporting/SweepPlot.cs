using System.Globalization;
using ScottPlot;
using SoftErrorSim.Core.Statistics;

namespace SoftErrorSim.Reporting;

/// <summary>
/// The sweep figure, two panels on log-log axes against the per-node error rate, in each scheme's
/// colour. Above: every decode failure (detected or silent, 1 - success), Monte Carlo points with
/// 95% Wilson intervals over the analytic curve (dashed). Below: the silent failures alone (a wrong
/// result returned as good), which are the ones that matter. A rate with no event in n trials
/// cannot sit on a log axis: it is drawn as its one-sided 95% upper bound (<see cref="ZeroFailureBound"/>),
/// an open downward triangle.
/// </summary>
public static class SweepPlot
{
    /// <summary>Width of the figure in pixels.</summary>
    public const int Width = 1200;

    /// <summary>Height of the figure in pixels (two panels).</summary>
    public const int Height = 1100;

    /// <summary>The legend of a stratified row's bound: no failure was observed, and its interval's upper end is drawn.</summary>
    public const string StratifiedBoundDescription = "stratified, none observed: upper end\nof the conservative 95% interval";

    /// <summary>Renders the figure from CSV rows alone.</summary>
    public static byte[] Render(IReadOnlyList<SweepCsvRow> rows) => Png(Build(rows));

    /// <summary>The PNG bytes of the built panels.</summary>
    internal static byte[] Png(Multiplot figure)
    {
        ArgumentNullException.ThrowIfNull(figure);
        foreach (var plot in figure.GetPlots())
        {
            FigureFrame.InvariantTicks(plot);
            FigureFrame.FitTitle(plot, Width, Height / 2);
        }

        using var image = figure.Render(Width, Height);
        return image.GetImageBytes(ImageFormat.Png, 100);
    }

    /// <summary>
    /// The failure rate a row draws in each panel: a Monte Carlo estimate with its interval, or the
    /// upper bound when there was none (for a stratified row, its interval's upper end: <paramref name="Stratified"/>).
    /// </summary>
    internal readonly record struct Mark(double Rate, double Low, double High, bool IsBound, bool Stratified = false)
    {
        /// <summary>Whether the mark is drawn as an upper-bound triangle (a bound with somewhere to sit on the log axis).</summary>
        public bool DrawsTriangle => IsBound && double.IsFinite(Rate);
    }

    /// <summary>All decode failures of a row (detected or miscorrected, 1 - success).</summary>
    internal static Mark AllFailures(SweepCsvRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (row.IsStratified)
        {
            return Estimated(row.FailureRate, row.FailureCiLow, row.FailureCiHigh);
        }

        var failures = row.Trials - row.Clean - row.Corrected;
        return failures <= 0
            ? new Mark(ZeroFailureBound.Upper(row.Trials), 0, ZeroFailureBound.Upper(row.Trials), true)
            : new Mark(1 - row.SuccessRate, 1 - row.CiHigh, 1 - row.CiLow, false);
    }

    /// <summary>The silent failures of a row (miscorrected: a wrong result returned as good).</summary>
    internal static Mark SilentFailures(SweepCsvRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (row.IsStratified)
        {
            return Estimated(row.SilentRate, row.SilentCiLow, row.SilentCiHigh);
        }

        if (row.Miscorrected <= 0)
        {
            return new Mark(ZeroFailureBound.Upper(row.Trials), 0, ZeroFailureBound.Upper(row.Trials), true);
        }

        var interval = BinomialInterval.Wilson(row.Miscorrected, row.Trials);
        return new Mark((double)row.Miscorrected / row.Trials, interval.Low, interval.High, false);
    }

    /// <summary>
    /// A stratified estimate: a point with its interval, or, when it is zero, its interval's upper
    /// end as a bound (a stratified interval's upper end can itself be zero where the code's theory
    /// rules every failure out: then there is nothing to draw).
    /// </summary>
    private static Mark Estimated(double rate, double low, double high) =>
        rate > 0 ? new Mark(rate, low, high, false, true) : new Mark(high > 0 ? high : double.NaN, 0, high, true, true);

    /// <summary>The two panels, before rendering.</summary>
    internal static Multiplot Build(IReadOnlyList<SweepCsvRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            throw new ArgumentException("no rows to plot", nameof(rows));
        }

        var figure = new Multiplot();
        figure.AddPlots(2);
        var (all, silent) = (figure.GetPlot(0), figure.GetPlot(1));
        var drawn = rows.Where(r => r.ErrorRate > 0 && r.Trials > 0).ToList();
        // A configuration with plain and stratified rows (reproduce rate-curves) draws them as two
        // series, the stratified one in the next shade and without a second analytic curve.
        var both = drawn.GroupBy(r => r.SeriesLabel).Where(g => g.Any(r => r.IsStratified) && g.Any(r => !r.IsStratified)).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        bool Beside(SweepCsvRow row) => row.IsStratified && both.Contains(row.SeriesLabel);
        var series = drawn.GroupBy(r => Beside(r) ? r.SeriesLabel + ", stratified" : r.SeriesLabel).Select(g => (Label: g.Key, Rows: g.OrderBy(r => r.ErrorRate).ToList())).ToList();
        var rates = drawn.Select(r => Math.Log10(r.ErrorRate)).DefaultIfEmpty(-2).ToArray();
        var (left, right) = Widen(rates.Min(), rates.Max(), 0.15);
        var xs = series.Select(s => (IReadOnlyList<double>)s.Rows.Select(r => Math.Log10(r.ErrorRate)).ToArray()).ToList();
        var panels = new[] { (Plot: all, Marks: series.Select(s => s.Rows.Select(AllFailures).ToArray()).ToList()), (Plot: silent, Marks: series.Select(s => s.Rows.Select(SilentFailures).ToArray()).ToList()) };
        var colors = new List<(Color Color, MarkerShape Shape)>();
        var shadeOf = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (label, points) in series)
        {
            var scheme = points[0].Scheme;
            var shade = shadeOf[scheme] = shadeOf.TryGetValue(scheme, out var used) ? used + 1 : 0;
            var style = FigurePalette.Find(scheme);
            var color = FigurePalette.Shade(style?.Color ?? FigurePalette.Quantity(shadeOf.Count), shade);
            var shape = style?.Marker ?? MarkerShape.FilledCircle;
            colors.Add((color, shape));
            all.Legend.ManualItems.Add(FigureFrame.Key(label, shape, null, color, 10));
        }

        var (anyPoint, anyTheory) = (new bool[2], false);
        // The two kinds of bound read differently: a plain row's 1 - 0.05^(1/n), a stratified row's interval upper end.
        bool AnyBound(int panel, bool stratified) => panels[panel].Marks.Any(m => m.Any(k => k.DrawsTriangle && k.Stratified == stratified));
        for (var p = 0; p < panels.Length; p++)
        {
            var (plot, marks) = panels[p];
            // Marks within 3% of the panel's y span (about a marker's height) at one rate are drawn side by side.
            var heights = marks.Select(m => (IReadOnlyList<double>)m.Select(k => Math.Log10(k.Rate)).ToArray()).ToList();
            var finite = heights.SelectMany(h => h).Where(double.IsFinite).DefaultIfEmpty(0).ToArray();
            var offsets = SeriesCoincidence.PointOffsets(xs, heights, 0.03 * Math.Max(finite.Max() - finite.Min(), 1), (right - left) * 0.012);
            for (var s = 0; s < series.Count; s++)
            {
                anyPoint[p] |= Draw(plot, xs[s].Select((x, i) => x + offsets[s][i]).ToArray(), marks[s], colors[s].Color, colors[s].Shape);
            }
        }

        for (var s = 0; s < series.Count; s++)
        {
            var theory = series[s].Rows.Where(r => r.AnalyticFailureRate is > 0 && !Beside(r)).ToList();
            if (theory.Count > 0)
            {
                anyTheory = true;
                var line = all.Add.Scatter(
                    theory.Select(r => Math.Log10(r.ErrorRate)).ToArray(),
                    theory.Select(r => Math.Log10(r.AnalyticFailureRate!.Value)).ToArray(),
                    colors[s].Color);
                line.LinePattern = LinePattern.Dashed;
                line.LineWidth = 1.5f;
                // A short bar at each rate keeps the analytic value visible when the sweep has one rate.
                line.MarkerShape = MarkerShape.HorizontalBar;
                line.MarkerSize = 14;
            }
        }

        // Each panel explains only the marks it shows.
        if (anyPoint[0])
        {
            all.Legend.ManualItems.Add(FigureFrame.Key("Monte Carlo, 95% Wilson interval", MarkerShape.FilledCircle));
        }

        if (rows.Any(r => r.IsStratified))
        {
            all.Legend.ManualItems.Add(FigureFrame.Key("stratified rows: stratified estimate,\nconservative 95% interval (Bonferroni Clopper-Pearson)"));
        }

        if (anyTheory)
        {
            all.Legend.ManualItems.Add(FigureFrame.Key("analytic failure rate", MarkerShape.HorizontalBar, LinePattern.Dashed, markerSize: 14));
        }

        if (anyPoint[1])
        {
            silent.Legend.ManualItems.AddRange(FigureFrame.Keys("silent failures (miscorrected),\nMonte Carlo, 95% Wilson interval", MarkerShape.FilledCircle));
        }

        for (var p = 0; p < panels.Length; p++)
        {
            if (AnyBound(p, stratified: false))
            {
                panels[p].Plot.Legend.ManualItems.AddRange(FigureFrame.Keys(ZeroFailureBound.Description, MarkerShape.OpenTriangleDown));
            }

            if (AnyBound(p, stratified: true))
            {
                panels[p].Plot.Legend.ManualItems.AddRange(FigureFrame.Keys(StratifiedBoundDescription, MarkerShape.OpenTriangleDown));
            }

            if (!anyPoint[p] && !AnyBound(p, stratified: false) && !AnyBound(p, stratified: true))
            {
                panels[p].Plot.Legend.ManualItems.Add(FigureFrame.Key("nothing to draw"));
            }
        }

        var skipped = rows.Count - drawn.Count;
        if (skipped > 0)
        {
            all.Legend.ManualItems.Add(FigureFrame.Key(string.Create(CultureInfo.InvariantCulture, $"{skipped} rows at rate 0 not drawn")));
        }

        var first = rows[0];
        all.Title(string.Create(CultureInfo.InvariantCulture, $"Decode failures vs per-node error rate: {first.Pass} pass, {first.ErrorModel} errors, {first.Decoder} decoding"));
        all.YLabel("all failures, 1 - success (fraction, log)");
        silent.Title("Silent failures: a wrong result returned as good (miscorrected)");
        silent.YLabel("silent failures (fraction, log)");
        foreach (var plot in new[] { all, silent })
        {
            plot.XLabel("per-node error rate eps (probability per decode, log scale)");
            plot.Axes.Bottom.TickGenerator = FigureAxes.LogTicks();
            plot.Axes.Left.TickGenerator = FigureAxes.LogTicks();
            plot.ShowLegend(Edge.Right).Alignment = Alignment.UpperLeft;
            plot.Axes.AutoScale();
            var limits = plot.Axes.GetLimits();
            // A failure rate never exceeds 1 (10^0): keep the top of the axis just above it. An
            // empty panel shows 1e-4 to 1 rather than ScottPlot's default of 1e-10 to 1e10.
            var (bottom, top) = plot.GetPlottables().Any() ? Widen(limits.Bottom, Math.Min(limits.Top, 0.15), 0) : (-4, 0.15);
            plot.Axes.SetLimits(left, right, bottom, top);
        }

        // Both panels get the same margins, wide enough for the wider legend, so their x axes line up.
        var legendWidth = new[] { all, silent }.Max(p => { using var legend = p.GetLegendImage(); return legend.Width; });
        foreach (var plot in new[] { all, silent })
        {
            plot.Layout.Fixed(new PixelPadding(left: 95, right: legendWidth + 30, bottom: 55, top: 40));
        }

        return figure;
    }

    /// <summary>A range at least one decade wide, with <paramref name="margin"/> decades more on each side.</summary>
    private static (double Low, double High) Widen(double low, double high, double margin)
    {
        if (high - low < 1)
        {
            var centre = (low + high) / 2;
            (low, high) = (centre - 0.5, centre + 0.5);
        }

        return (low - margin, high + margin);
    }

    /// <summary>Draws one series' marks in a panel: points with intervals, open downward triangles for bounds. Returns whether it drew any point (the legend explains each kind of triangle from the marks themselves).</summary>
    private static bool Draw(Plot plot, double[] xs, Mark[] marks, Color color, MarkerShape shape)
    {
        var points = Enumerable.Range(0, marks.Length).Where(i => !marks[i].IsBound && marks[i].Rate > 0).ToArray();
        if (points.Length > 0)
        {
            var px = points.Select(i => xs[i]).ToArray();
            var py = points.Select(i => Math.Log10(marks[i].Rate)).ToArray();
            var dots = plot.Add.ScatterPoints(px, py, color);
            dots.MarkerShape = shape;
            dots.MarkerSize = 9;
            var bars = plot.Add.ErrorBar(px, py, px.Select(_ => 0.0).ToArray());
            bars.YErrorNegative = points.Select((i, j) => py[j] - Math.Log10(Math.Max(marks[i].Low, 1e-300))).ToArray();
            bars.YErrorPositive = points.Select((i, j) => Math.Log10(marks[i].High) - py[j]).ToArray();
            bars.Color = color;
        }

        var bounds = Enumerable.Range(0, marks.Length).Where(i => marks[i].DrawsTriangle).ToArray();
        if (bounds.Length > 0)
        {
            var triangles = plot.Add.ScatterPoints(bounds.Select(i => xs[i]).ToArray(), bounds.Select(i => Math.Log10(marks[i].Rate)).ToArray(), color);
            triangles.MarkerShape = MarkerShape.OpenTriangleDown;
            triangles.MarkerSize = 11;
            triangles.MarkerLineWidth = 1.5f;
        }

        return points.Length > 0;
    }
}
