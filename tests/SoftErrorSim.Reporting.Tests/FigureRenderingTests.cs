using ScottPlot;
using ScottPlot.Panels;
using ScottPlot.Plottables;

namespace SoftErrorSim.Reporting.Tests;

public class FigureRenderingTests
{
    private static readonly FigureLayout Counts = new("Error tolerance", "nodes P", "erring nodes tolerated") { YFromZero = true, IntegerY = true, XTicks = [8, 10, 12] };

    private static void AssertLegendBesideTheData(Plot plot)
    {
        Assert.Contains(plot.Axes.GetPanels(), p => p is LegendPanel { Edge: Edge.Right });
        Assert.False(plot.Legend.IsVisible, "a legend inside the data area");
    }

    private static List<Tick> Labelled(IAxis axis) =>
        axis.TickGenerator.Ticks.Where(t => t.IsMajor && !string.IsNullOrEmpty(t.Label) && t.Position >= axis.Min - 1e-9 && t.Position <= axis.Max + 1e-9).ToList();

    [Fact]
    public void The_generic_figure_is_a_1200_by_800_png_with_its_legend_beside_the_data()
    {
        var plot = FigurePlot.Build(Counts, [new FigureSeries("GPD", [8, 10, 12], [2, 4, 6]) { Scheme = "gpd" }, new FigureSeries("replication", [8, 10, 12], [0, 0, 1], FigureStyle.DashedLine) { Scheme = "replication" }]);
        FigureSamples.AssertPng(FigureFrame.Png(plot, FigurePlot.Width, FigurePlot.Height), 1200, 800);
        AssertLegendBesideTheData(plot);
    }

    [Fact]
    public void A_count_axis_has_no_negative_tick_and_keeps_points_at_zero_whole()
    {
        var plot = FigurePlot.Build(Counts, [new FigureSeries("replication", [8, 10, 12], [0, 0, 1]) { Scheme = "replication" }]);
        FigureFrame.Png(plot, FigurePlot.Width, FigurePlot.Height);
        var left = plot.Axes.Left;
        Assert.All(left.TickGenerator.Ticks, t => Assert.True(t.Position >= 0, $"tick at {t.Position}"));
        Assert.InRange(left.Min, -0.05 * left.Max, -1e-9);
        Assert.Equal(["8", "10", "12"], Labelled(plot.Axes.Bottom).Select(t => t.Label));
    }

    [Fact]
    public void A_narrow_log_axis_still_shows_two_labelled_ticks()
    {
        var plot = FigurePlot.Build(new FigureLayout("narrow", "eps", "failure rate") { LogX = true, LogY = true }, [new FigureSeries("gpd", [0.002, 0.0025, 0.003], [0.0021, 0.0024, 0.0029]) { Scheme = "gpd" }]);
        FigureSamples.AssertPng(FigureFrame.Png(plot, FigurePlot.Width, FigurePlot.Height), 1200, 800);
        Assert.True(Labelled(plot.Axes.Bottom).Count >= 2, string.Join(" ", plot.Axes.Bottom.TickGenerator.Ticks.Select(t => t.Label)));
        Assert.True(Labelled(plot.Axes.Left).Count >= 2, string.Join(" ", plot.Axes.Left.TickGenerator.Ticks.Select(t => t.Label)));
    }

    [Fact]
    public void The_checkpoint_axis_is_labelled_at_the_measured_intervals()
    {
        double[] k = [2, 4, 5, 10, 20, 25, 50, 100];
        var plot = FigurePlot.Build(
            new FigureLayout("checkpoint", "K", "seconds") { LogX = true, XTicks = k },
            [new FigureSeries("Monte Carlo", k, k.Select(x => 0.02 + (1 / x)).ToList(), FigureStyle.Markers) { Scheme = "replication" }]);
        FigureSamples.AssertPng(FigureFrame.Png(plot, FigurePlot.Width, FigurePlot.Height), 1200, 800);
        Assert.Equal(k.Select(x => FigureAxes.Linear(x)), Labelled(plot.Axes.Bottom).Select(t => t.Label));
    }

    [Fact]
    public void A_series_that_stops_being_finite_is_marked_where_it_diverged()
    {
        var plot = FigurePlot.Build(new FigureLayout("t", "x", "y"), [new FigureSeries("uncoded", [1, 2, 3, 4], [1, 2, double.NaN, double.NaN]) { Scheme = "uncoded" }]);
        FigureSamples.AssertPng(FigureFrame.Png(plot, FigurePlot.Width, FigurePlot.Height), 1200, 800);
        Assert.Equal(3, Assert.Single(plot.GetPlottables<VerticalLine>()).X);
        Assert.Contains(plot.Legend.ManualItems, i => i.LabelText == "not finite from x = 3 (diverged)");
    }

    [Fact]
    public void The_decode_figure_keeps_its_legend_off_the_miscorrections_and_draws_them_on_top()
    {
        var plot = DecodePlot.Build(FigureSamples.DecodeRows(), 6);
        FigureSamples.AssertPng(FigureFrame.Png(plot, DecodePlot.Width, DecodePlot.Height), 1200, 800);
        AssertLegendBesideTheData(plot);
        Assert.Equal(MarkerShape.Eks, plot.GetPlottables<Scatter>().Last().MarkerShape);
        Assert.All(plot.Axes.Left.TickGenerator.Ticks, t => Assert.InRange(t.Position, 0, 1));
    }

    [Fact]
    public void The_training_figure_is_a_1200_by_800_png_with_one_legend_entry_per_scheme()
    {
        var rows = FigureSamples.TrainRows();
        var png = TrainPlot.Render(rows);
        FigureSamples.AssertPng(png, 1200, 800);
        var plot = TrainPlot.Build(rows);
        AssertLegendBesideTheData(plot);
        Assert.All(new[] { "fault-free", "gpd", "mds", "replication", "uncoded" }, s => Assert.Single(plot.Legend.ManualItems, i => i.LabelText == s));
    }

    [Fact]
    public void A_training_run_that_diverges_is_marked_at_the_round_its_loss_stopped_being_finite()
    {
        var rows = FigureSamples.TrainRows().Select(r => r.Scheme == "uncoded" && r.Round >= 3 ? r with { Loss = double.NaN } : r).ToList();
        var plot = TrainPlot.Build(rows);
        FigureSamples.AssertPng(FigureFrame.Png(plot, FigurePlot.Width, FigurePlot.Height), 1200, 800);
        Assert.Equal(300, Assert.Single(plot.GetPlottables<VerticalLine>()).X);
        Assert.Contains(plot.Legend.ManualItems, i => i.LabelText == "uncoded diverged: loss not finite");
        Assert.Contains(plot.Legend.ManualItems, i => i.LabelText == "from round 3 (300 samples)");
        Assert.Contains(plot.GetPlottables<Text>(), t => t.LabelText == "uncoded diverged");
        // The loss axis still spans the finite losses.
        Assert.InRange(plot.Axes.Right.Min, 0, 0.7);
        Assert.InRange(plot.Axes.Right.Max, 1.15, 2);
    }

    [Fact]
    public void A_training_figure_with_no_finite_loss_gets_no_made_up_loss_axis()
    {
        var rows = FigureSamples.TrainRows().Where(r => r.Scheme is "fault-free" or "uncoded").Select(r => r with { Loss = double.NaN }).ToList();
        var plot = TrainPlot.Build(rows);
        FigureSamples.AssertPng(FigureFrame.Png(plot, FigurePlot.Width, FigurePlot.Height), 1200, 800);
        // ScottPlot's default for an axis without data is -11..11.
        Assert.Equal((0.0, 1.0), (plot.Axes.Right.Min, plot.Axes.Right.Max));
        Assert.Empty(plot.Axes.Right.TickGenerator.Ticks);
        Assert.Contains("not finite", plot.Axes.Right.Label.Text, StringComparison.Ordinal);
        Assert.Equal(2, plot.GetPlottables<VerticalLine>().Select(l => l.X).Distinct().Count());
    }

    [Fact]
    public void The_sweep_figure_is_a_1200_by_1100_png_of_two_panels_with_legends_beside()
    {
        var figure = SweepPlot.Build(FigureSamples.SweepRows());
        FigureSamples.AssertPng(SweepPlot.Png(figure), SweepPlot.Width, SweepPlot.Height);
        Assert.Equal(2, figure.GetPlots().Length);
        Assert.All(figure.GetPlots(), AssertLegendBesideTheData);
        Assert.Equal(1100, SweepPlot.Height);
    }

    [Fact]
    public void Sweep_points_without_failures_are_drawn_as_upper_bounds_with_a_legend_entry()
    {
        var figure = SweepPlot.Build(FigureSamples.SweepRows());
        SweepPlot.Png(figure);
        var (all, silent) = (figure.GetPlot(0), figure.GetPlot(1));
        var bound = Math.Log10(ZeroFailureBound.Upper(2000));
        foreach (var panel in new[] { all, silent })
        {
            var triangles = panel.GetPlottables<Scatter>().Where(s => s.MarkerShape == MarkerShape.OpenTriangleDown).SelectMany(s => s.Data.GetScatterPoints()).ToList();
            Assert.NotEmpty(triangles);
            Assert.All(triangles, c => Assert.Equal(bound, c.Y, 12)); // the same log10, round-off only
            Assert.Contains(panel.Legend.ManualItems, i => i.MarkerShape == MarkerShape.OpenTriangleDown && i.LabelText.StartsWith("none in n trials", StringComparison.Ordinal));
        }

        // One bound per row without a failure above (GPD's nine, replication's at the lowest rates),
        // one per row without a silent failure below (GPD's and replication's, eighteen).
        var rows = FigureSamples.SweepRows();
        Assert.Equal(rows.Count(r => r.Trials == r.Clean + r.Corrected), all.GetPlottables<Scatter>().Where(s => s.MarkerShape == MarkerShape.OpenTriangleDown).Sum(s => s.Data.GetScatterPoints().Count));
        Assert.Equal(18, silent.GetPlottables<Scatter>().Where(s => s.MarkerShape == MarkerShape.OpenTriangleDown).Sum(s => s.Data.GetScatterPoints().Count));
    }

    [Fact]
    public void A_stratified_row_without_a_silent_failure_is_drawn_at_its_interval_end_under_its_own_legend()
    {
        // Stratified GPD rows (no miscorrection: silent rate 0, interval upper end 1e-12) and plain
        // replication rows (no miscorrection in 2000 trials: 1 - 0.05^(1/2000)) in one figure: each
        // kind of triangle is explained by its own legend entry, and only where it is drawn.
        var plain = FigureSamples.SweepRows().Where(r => r.Scheme == "replication").ToList();
        var stratified = FigureSamples.SweepRows().Where(r => r.Scheme == "gpd")
            .Select(r => SweepCsv.WithStratified(r, new Core.MonteCarlo.StratifiedEstimate(Math.Pow(r.ErrorRate, 7), 0, 0.9 * Math.Pow(r.ErrorRate, 7), 1.1 * Math.Pow(r.ErrorRate, 7), 0.95), new Core.MonteCarlo.StratifiedEstimate(0, 0, 0, 1e-12, 0.95))).ToList();
        var figure = SweepPlot.Build([.. plain, .. stratified]);
        SweepPlot.Png(figure);
        var silent = figure.GetPlot(1);
        var gpd = FigurePalette.For("gpd").Color.ToHex();
        var triangles = silent.GetPlottables<Scatter>().Where(s => s.MarkerShape == MarkerShape.OpenTriangleDown && s.Color.ToHex() == gpd).SelectMany(s => s.Data.GetScatterPoints()).ToList();
        Assert.Equal(stratified.Count, triangles.Count);
        Assert.All(triangles, c => Assert.Equal(-12, c.Y, 12)); // log10(1e-12) in double: round-off only
        // A key's first line carries the triangle (FigureFrame.Keys puts each further line under it).
        var (stratifiedKey, plainKey) = (SweepPlot.StratifiedBoundDescription.Split('\n')[0], ZeroFailureBound.Description.Split('\n')[0]);
        Assert.Contains(silent.Legend.ManualItems, i => i.MarkerShape == MarkerShape.OpenTriangleDown && i.LabelText == stratifiedKey);
        Assert.Contains(silent.Legend.ManualItems, i => i.MarkerShape == MarkerShape.OpenTriangleDown && i.LabelText == plainKey);

        // Above, every stratified failure rate is positive (drawn as points): no stratified triangle, no such entry.
        var all = figure.GetPlot(0);
        Assert.DoesNotContain(all.GetPlottables<Scatter>(), s => s.MarkerShape == MarkerShape.OpenTriangleDown && s.Color.ToHex() == gpd);
        Assert.DoesNotContain(all.Legend.ManualItems, i => i.LabelText == stratifiedKey);

        // Stratified rows alone: no 1 - 0.05^(1/n) entry, since no triangle is one.
        var alone = SweepPlot.Build(stratified).GetPlot(1);
        Assert.Contains(alone.Legend.ManualItems, i => i.LabelText == stratifiedKey);
        Assert.DoesNotContain(alone.Legend.ManualItems, i => i.LabelText == plainKey);
    }

    [Fact]
    public void Silent_failures_have_their_own_panel_and_detected_ones_do_not_appear_there()
    {
        var figure = SweepPlot.Build(FigureSamples.SweepRows());
        var silent = figure.GetPlot(1);
        var replication = FigurePalette.For("replication").Color.ToHex();
        var uncoded = FigurePalette.For("uncoded").Color.ToHex();
        // Replication's failures are all detected: in the silent panel it has bounds only.
        Assert.All(silent.GetPlottables<Scatter>().Where(s => s.Color.ToHex() == replication), s => Assert.Equal(MarkerShape.OpenTriangleDown, s.MarkerShape));
        // Uncoded's failures are all silent: drawn there as points at their rate.
        var points = silent.GetPlottables<Scatter>().Single(s => s.Color.ToHex() == uncoded && s.MarkerShape == MarkerShape.FilledDiamond).Data.GetScatterPoints();
        Assert.Equal(Math.Log10(Math.Round(2000 * (1 - Math.Pow(0.7, 4))) / 2000), points[^1].Y, 12); // round-off only
    }

    [Fact]
    public void A_single_rate_sweep_labels_both_axes_of_both_panels()
    {
        var figure = SweepPlot.Build(FigureSamples.SweepRows(0.01));
        FigureSamples.AssertPng(SweepPlot.Png(figure), SweepPlot.Width, SweepPlot.Height);
        foreach (var panel in figure.GetPlots())
        {
            Assert.True(Labelled(panel.Axes.Bottom).Count >= 2, string.Join(" ", panel.Axes.Bottom.TickGenerator.Ticks.Select(t => t.Label)));
            Assert.True(Labelled(panel.Axes.Left).Count >= 2, string.Join(" ", panel.Axes.Left.TickGenerator.Ticks.Select(t => t.Label)));
        }
    }

    [Fact]
    public void Sweep_rows_at_rate_zero_are_counted_not_dropped_silently()
    {
        var rows = FigureSamples.SweepRows(0.01, 0.1).Append(FigureSamples.Sweep("gpd", 12, 0, 2000, 2000, 0, 0, 0)).ToList();
        var figure = SweepPlot.Build(rows);
        FigureSamples.AssertPng(SweepPlot.Png(figure), SweepPlot.Width, SweepPlot.Height);
        Assert.Contains(figure.GetPlot(0).Legend.ManualItems, i => i.LabelText == "1 rows at rate 0 not drawn");
    }

    [Fact]
    public void A_sweep_with_nothing_to_draw_still_gets_a_sensible_labelled_axis()
    {
        var rows = FigureSamples.SweepRows(0.01).Select(r => r with { ErrorRate = 0 }).ToList();
        var figure = SweepPlot.Build(rows);
        FigureSamples.AssertPng(SweepPlot.Png(figure), SweepPlot.Width, SweepPlot.Height);
        foreach (var panel in figure.GetPlots())
        {
            // 1e-4 to a little above 1, not ScottPlot's empty-plot default of 1e-10 to 1e10.
            Assert.Equal((-4.0, 0.15), (panel.Axes.Left.Min, panel.Axes.Left.Max));
            Assert.Contains(panel.Legend.ManualItems, i => i.LabelText == "nothing to draw");
            Assert.True(Labelled(panel.Axes.Left).Count >= 2);
        }
    }

    [Fact]
    public void Rendering_is_deterministic_so_a_merged_sweep_redraws_byte_for_byte()
    {
        Assert.Equal(SweepPlot.Render(FigureSamples.SweepRows()), SweepPlot.Render(FigureSamples.SweepRows()));
        Assert.Equal(TrainPlot.Render(FigureSamples.TrainRows()), TrainPlot.Render(FigureSamples.TrainRows()));
    }
}
