using ScottPlot;

namespace SoftErrorSim.Reporting.Tests;

public class FigurePaletteTests
{
    [Fact]
    public void Every_scheme_has_its_own_colour_and_its_own_marker()
    {
        var schemes = FigurePalette.Schemes;
        Assert.Equal(["fault-free", "gpd", "mds", "replication", "uncoded"], schemes.Select(s => s.Key).Order());
        Assert.Equal(schemes.Count, schemes.Select(s => s.Color.ToHex()).Distinct().Count());
        Assert.Equal(schemes.Count, schemes.Select(s => s.Marker).Distinct().Count());
    }

    [Fact]
    public void No_quantity_colour_is_a_scheme_colour()
    {
        var schemeColours = FigurePalette.Schemes.Select(s => s.Color.ToHex()).ToHashSet();
        Assert.Equal(FigurePalette.Quantities.Count, FigurePalette.Quantities.Select(c => c.ToHex()).Distinct().Count());
        Assert.DoesNotContain(FigurePalette.Quantities, c => schemeColours.Contains(c.ToHex()));
        Assert.DoesNotContain(FigurePalette.Schemes, s => s.Color.ToHex() == FigurePalette.Neutral.ToHex());
    }

    [Theory]
    [InlineData("mds", "mds")]
    [InlineData("CodeNet", "mds")]
    [InlineData("MDS", "mds")]
    [InlineData(" gpd ", "gpd")]
    [InlineData("fault-free", "fault-free")]
    [InlineData("faultfree", "fault-free")]
    [InlineData("Replication", "replication")]
    [InlineData("uncoded", "uncoded")]
    public void Csv_names_and_aliases_find_one_style(string name, string key)
    {
        Assert.Equal(key, FigurePalette.Find(name)!.Key);
        Assert.Same(FigurePalette.For(key), FigurePalette.For(name));
    }

    [Fact]
    public void An_unknown_scheme_has_no_style()
    {
        Assert.Null(FigurePalette.Find("raid"));
        Assert.Null(FigurePalette.Find(null));
        Assert.Throws<ArgumentException>(() => FigurePalette.For("raid"));
    }

    [Fact]
    public void Shades_keep_a_scheme_recognisable_but_distinct()
    {
        var gpd = FigurePalette.For("gpd").Color;
        static int Sum(Color c) => c.R + c.G + c.B;
        Assert.Equal(gpd.ToHex(), FigurePalette.Shade(gpd, 0).ToHex());
        Assert.True(Sum(FigurePalette.Shade(gpd, 1)) < Sum(gpd), "shade 1 is darker");
        Assert.True(Sum(FigurePalette.Shade(gpd, 2)) > Sum(gpd), "shade 2 is lighter");
        Assert.Equal(4, Enumerable.Range(0, 4).Select(s => FigurePalette.Shade(gpd, s).ToHex()).Distinct().Count());
        Assert.Throws<ArgumentOutOfRangeException>(() => FigurePalette.Shade(gpd, -1));
    }

    [Fact]
    public void Uncoded_has_the_same_colour_in_the_training_sweep_and_experiment_figures()
    {
        // The class of bug: a scheme coloured by its position in each figure (uncoded purple in one, red in another).
        var uncoded = FigurePalette.For("uncoded").Color.ToHex();
        var train = TrainPlot.Build(FigureSamples.TrainRows());
        Assert.Contains(train.Legend.ManualItems, i => i.LabelText == "uncoded" && i.LineColor.ToHex() == uncoded && i.MarkerShape == MarkerShape.FilledDiamond);

        var sweep = SweepPlot.Build(FigureSamples.SweepRows()).GetPlot(0);
        Assert.Contains(sweep.Legend.ManualItems, i => i.LabelText.StartsWith("uncoded", StringComparison.Ordinal) && i.MarkerFillColor.ToHex() == uncoded && i.MarkerShape == MarkerShape.FilledDiamond);

        // Uncoded listed last in one figure and first in another keeps its colour.
        var figure = FigurePlot.Build(new FigureLayout("t", "x", "y"), [new FigureSeries("uncoded", [1, 2], [3, 4]) { Scheme = "uncoded" }, new FigureSeries("gpd", [1, 2], [5, 6]) { Scheme = "gpd" }]);
        Assert.Contains(figure.Legend.ManualItems, i => i.LabelText == "uncoded" && i.LineColor.ToHex() == uncoded);
        Assert.Contains(figure.GetPlottables<ScottPlot.Plottables.Scatter>(), s => s.Color.ToHex() == uncoded);
    }

    [Fact]
    public void Plain_and_stratified_rows_of_one_configuration_are_two_series_in_two_shades_with_one_analytic_curve()
    {
        // reproduce rate-curves puts stratified rows of the small rates beside the plain ones.
        var plain = FigureSamples.SweepRows().Where(r => r.Scheme == "gpd").ToList();
        var stratified = plain.Where(r => r.ErrorRate <= 0.02)
            .Select(r => SweepCsv.WithStratified(r, new Core.MonteCarlo.StratifiedEstimate(Math.Pow(r.ErrorRate, 7), 0, 0.9 * Math.Pow(r.ErrorRate, 7), 1.1 * Math.Pow(r.ErrorRate, 7), 0.95), default)).ToList();
        var panel = SweepPlot.Build([.. plain, .. stratified]).GetPlot(0);
        var keys = panel.Legend.ManualItems.Where(i => i.LabelText.StartsWith("gpd", StringComparison.Ordinal)).ToList();
        Assert.Equal(["gpd P=12 m=2 n=2", "gpd P=12 m=2 n=2, stratified"], keys.Select(k => k.LabelText));
        Assert.NotEqual(keys[0].MarkerFillColor.ToHex(), keys[1].MarkerFillColor.ToHex());
        Assert.Single(panel.GetPlottables<ScottPlot.Plottables.Scatter>(), s => s.LinePattern.Equals(LinePattern.Dashed));

        // A sweep of stratified rows alone keeps its plain labels.
        var alone = SweepPlot.Build(stratified).GetPlot(0);
        Assert.Contains(alone.Legend.ManualItems, i => i.LabelText == "gpd P=12 m=2 n=2");
    }

    [Fact]
    public void Series_that_are_not_schemes_take_quantity_colours()
    {
        var (color, _) = FigurePlot.Style(new FigureSeries("K_fwd", [1], [1]) { Color = 1 }, 0);
        Assert.Equal(FigurePalette.Quantity(1).ToHex(), color.ToHex());
        var (scheme, marker) = FigurePlot.Style(new FigureSeries("x", [1], [1]) { Scheme = "replication", Color = 1 }, 0);
        Assert.Equal(FigurePalette.For("replication").Color.ToHex(), scheme.ToHex());
        Assert.Equal(MarkerShape.FilledTriangleUp, marker);
    }
}
