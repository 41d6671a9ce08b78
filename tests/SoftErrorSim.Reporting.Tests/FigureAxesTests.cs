using System.Globalization;
using System.Text.RegularExpressions;
using CsCheck;
using ScottPlot;

namespace SoftErrorSim.Reporting.Tests;

public sealed partial class FigureAxesTests : IDisposable
{
    private readonly Paint Paint = Paint.NewDisposablePaint();

    public void Dispose() => Paint.Dispose();

    [GeneratedRegex(@"\d[,\u066B]\d")]
    private static partial Regex DecimalComma();

    [GeneratedRegex(@"\d\.\d")]
    private static partial Regex DecimalPoint();

    [Fact]
    public void Every_log_axis_shows_at_least_two_labelled_ticks_inside_its_range()
    {
        // Any range from a ratio of 1.00023 (1e-4 decades) to 30 decades, anywhere from 1e-20 to 1e3.
        Gen.Select(Gen.Double[-20, 3], Gen.Double[1e-4, 30], Gen.Int[2, 25]).Sample((low, width, maxLabels) =>
        {
            var high = low + width;
            var labelled = FigureAxes.LogTickList(low, high, maxLabels).Where(t => t.IsMajor).ToList();
            Assert.InRange(labelled.Count, 2, maxLabels);
            Assert.All(labelled, t => Assert.InRange(t.Position, low - 1e-9, high + 1e-9));
            Assert.Equal(labelled.Count, labelled.Select(t => t.Label).Distinct().Count());
            // Each label names the value at its position: "2.5e-3" at log10(0.0025); labels keep 6 mantissa decimals, hence 1e-6.
            Assert.All(labelled, t => Assert.Equal(1, double.Parse(t.Label, CultureInfo.InvariantCulture) / Math.Pow(10, t.Position), 1e-6));
        });
    }

    [Theory]
    [InlineData(-3.3, 0.0, new[] { "1e-3", "1e-2", "1e-1", "1e0" })]
    [InlineData(-2.5, -1.5, new[] { "5e-3", "1e-2", "2e-2" })]
    [InlineData(-2.2, -1.9, new[] { "1e-2" })]
    public void Log_ticks_are_decades_then_1_2_5_then_every_multiple(double low, double high, string[] mustShow)
    {
        var labels = FigureAxes.LogTickList(low, high).Where(t => t.IsMajor).Select(t => t.Label).ToList();
        Assert.All(mustShow, label => Assert.Contains(label, labels));
        Assert.True(labels.Count >= 2, string.Join(" ", labels));
    }

    [Fact]
    public void Two_decades_label_their_1_2_5_multiples()
    {
        var labels = FigureAxes.LogTickList(-3.6, -2.3).Where(t => t.IsMajor).Select(t => t.Label);
        Assert.Equal(["5e-4", "1e-3", "2e-3", "5e-3"], labels);
    }

    [Fact]
    public void Many_decades_are_labelled_every_kth_one_and_still_at_least_twice()
    {
        var ticks = FigureAxes.LogTickList(-19, 0, maxLabels: 8);
        var labelled = ticks.Where(t => t.IsMajor).ToList();
        Assert.InRange(labelled.Count, 2, 8);
        Assert.Equal(20, ticks.Count(t => Math.Abs(t.Position - Math.Round(t.Position)) < 1e-12));
    }

    [Fact]
    public void Fixed_ticks_label_the_measured_values()
    {
        var ticks = FigureAxes.FixedTicks([100, 2, 4, 5, 10, 20, 25, 50, 0, -1], log: true);
        ticks.Regenerate(new CoordinateRange(0, 2), Edge.Bottom, new PixelLength(800), Paint, new LabelStyle());
        Assert.Equal(["2", "4", "5", "10", "20", "25", "50", "100"], ticks.Ticks.Select(t => t.Label));
        Assert.Equal(Math.Log10(25), ticks.Ticks[5].Position, 12); // 12 digits: the same log10, round-off only
    }

    [Fact]
    public void Count_axes_have_no_tick_below_zero_and_fractions_none_above_one()
    {
        var counts = FigureAxes.BoundedTicks(0, integersOnly: true);
        counts.Regenerate(new CoordinateRange(-2.3, 36), Edge.Left, new PixelLength(700), Paint, new LabelStyle());
        Assert.NotEmpty(counts.Ticks);
        Assert.All(counts.Ticks, t => Assert.True(t.Position >= 0, $"tick at {t.Position}"));
        Assert.All(counts.Ticks.Where(t => t.IsMajor), t => Assert.Equal(Math.Round(t.Position), t.Position));

        var fractions = FigureAxes.BoundedTicks(0, 1);
        fractions.Regenerate(new CoordinateRange(-0.05, 1.08), Edge.Left, new PixelLength(700), Paint, new LabelStyle());
        Assert.All(fractions.Ticks, t => Assert.InRange(t.Position, 0, 1));
        Assert.Contains(fractions.Ticks, t => t.Label == "1");
    }

    [Theory]
    [InlineData(0.25, "0.25")]
    [InlineData(0.30000000000000004, "0.3")]
    [InlineData(-0.0, "0")]
    [InlineData(1234567, "1234567")]
    [InlineData(2.5e-7, "2.5e-7")]
    [InlineData(3e12, "3e12")]
    public void Linear_labels_use_a_decimal_point_and_no_group_separator_under_any_culture(double value, string expected)
    {
        foreach (var culture in new[] { "de-DE", "fr-FR", "ar-SA", "en-US" })
        {
            FigureSamples.Under(culture, () => Assert.Equal(expected, FigureAxes.Linear(value)));
        }
    }

    [Theory]
    [InlineData(-3, "1e-3")]
    [InlineData(0, "1e0")]
    [InlineData(2, "1e2")]
    public void Log_labels_use_a_decimal_point_under_any_culture(double exponent, string expected)
    {
        FigureSamples.Under("de-DE", () =>
        {
            Assert.Equal(expected, FigureAxes.Power(exponent));
            Assert.Equal("2.5e-3", FigureAxes.Power(Math.Log10(0.0025)));
        });
    }

    [Fact]
    public void ScottPlots_own_tick_labels_follow_the_machine_culture()
    {
        // Why every axis needs invariant labels: this is what the figures showed under de-DE.
        Assert.Equal(",", CultureInfo.GetCultureInfo("de-DE").NumberFormat.NumberDecimalSeparator);
        FigureSamples.Under("de-DE", () => Assert.Contains(",", new ScottPlot.TickGenerators.NumericAutomatic().LabelFormatter(0.5), StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("de-DE")]
    [InlineData("fr-FR")]
    [InlineData("ar-SA")]
    public void Every_figure_is_labelled_with_decimal_points_under_a_comma_culture(string culture)
    {
        // The test would pass vacuously if the machine lacked culture data (invariant globalization).
        Assert.NotEqual(".", CultureInfo.GetCultureInfo(culture).NumberFormat.NumberDecimalSeparator);
        var texts = new List<string>();
        FigureSamples.Under(culture, () =>
        {
            var plots = new List<Plot>
            {
                FigurePlot.Build(new FigureLayout("linear", "x", "y"), [new FigureSeries("a", [0.1, 0.2, 0.3], [0.25, 0.5, 0.75]) { Low = [0.2, 0.4, 0.7], High = [0.3, 0.6, 0.8] }]),
                FigurePlot.Build(new FigureLayout("log", "x", "y") { LogX = true, LogY = true }, [new FigureSeries("b", [0.002, 0.003], [0.0021, 0.0029])]),
                DecodePlot.Build(FigureSamples.DecodeRows(), 6),
                TrainPlot.Build(FigureSamples.TrainRows()),
            };
            foreach (var plot in plots)
            {
                FigureFrame.Png(plot, FigurePlot.Width, FigurePlot.Height);
                texts.AddRange(FigureFrame.Texts(plot));
            }

            var sweep = SweepPlot.Build(FigureSamples.SweepRows(0.01, 0.012, 0.015));
            SweepPlot.Png(sweep);
            texts.AddRange(sweep.GetPlots().SelectMany(FigureFrame.Texts));
        });

        Assert.DoesNotContain(texts, t => DecimalComma().IsMatch(t));
        // Not vacuous: the figures do print decimal numbers (ticks such as 0.25, 2.5e-3).
        Assert.Contains(texts, t => DecimalPoint().IsMatch(t));
    }
}
