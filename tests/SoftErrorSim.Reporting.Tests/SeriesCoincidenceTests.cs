using ScottPlot.Plottables;

namespace SoftErrorSim.Reporting.Tests;

public class SeriesCoincidenceTests
{
    private static (IReadOnlyList<double>, IReadOnlyList<double>) S(double[] xs, double[] ys) => (xs, ys);

    [Fact]
    public void Series_equal_at_every_point_form_a_group_and_one_differing_point_breaks_it()
    {
        double[] p = [8, 10, 12];
        var groups = SeriesCoincidence.Groups(
            [S(p, [1, 2, 3]), S(p, [0, 0, 1]), S(p, [1, 2, 3]), S(p, [0, 0, 2]), S(p, [1, 2, 3])],
            yTolerance: 1e-9);
        var group = Assert.Single(groups);
        Assert.Equal([0, 2, 4], group);
    }

    [Fact]
    public void The_tolerance_decides_what_counts_as_equal()
    {
        double[] p = [1, 2];
        Assert.Single(SeriesCoincidence.Groups([S(p, [1, 2]), S(p, [1.004, 2])], yTolerance: 0.005));
        Assert.Empty(SeriesCoincidence.Groups([S(p, [1, 2]), S(p, [1.006, 2])], yTolerance: 0.005));
    }

    [Fact]
    public void Different_x_values_or_lengths_never_coincide()
    {
        Assert.Empty(SeriesCoincidence.Groups([S([1, 2], [5, 5]), S([1, 3], [5, 5])], 0));
        Assert.Empty(SeriesCoincidence.Groups([S([1, 2], [5, 5]), S([1, 2, 3], [5, 5, 5])], 0));
    }

    [Fact]
    public void Not_finite_values_coincide_only_with_not_finite_values_and_a_series_without_finite_points_with_none()
    {
        Assert.Single(SeriesCoincidence.Groups([S([1, 2], [0.5, double.NaN]), S([1, 2], [0.5, double.PositiveInfinity])], 0));
        Assert.Empty(SeriesCoincidence.Groups([S([1, 2], [0.5, double.NaN]), S([1, 2], [0.5, 0.7])], 0));
        Assert.Empty(SeriesCoincidence.Groups([S([1, 2], [double.NaN, double.NaN]), S([1, 2], [double.NaN, double.NaN])], 0));
    }

    [Theory]
    [InlineData(1, 0.0)]
    [InlineData(2, 0.4)]
    [InlineData(3, 1.0)]
    [InlineData(4, 0.9)]
    public void Side_by_side_offsets_are_centred_and_span_the_spread(int count, double spread)
    {
        var offsets = SeriesCoincidence.Offsets(count, spread);
        // 12 digits: sums of a few doubles, round-off only.
        Assert.Equal(count, offsets.Length);
        Assert.Equal(0, offsets.Sum(), 12);
        Assert.Equal(spread, offsets.Max() - offsets.Min(), 12);
        Assert.Equal(offsets.Order(), offsets);
    }

    [Fact]
    public void Only_points_that_would_hide_one_another_are_moved()
    {
        // Two series equal at x = 1 only; a third far above.
        var offsets = SeriesCoincidence.PointOffsets([[1.0, 2.0], [1.0, 2.0], [1.0, 2.0]], [[5.0, 5.0], [5.01, 8.0], [9.0, 9.0]], yTolerance: 0.1, step: 0.2);
        // 12 digits here and below: a product and a sum of doubles, round-off only.
        Assert.Equal(-0.1, offsets[0][0], 12);
        Assert.Equal(0.1, offsets[1][0], 12);
        Assert.Equal([0.0, 0.0], offsets[2]);
        Assert.Equal(0.0, offsets[0][1]);
        Assert.Equal(0.0, offsets[1][1]);
    }

    [Fact]
    public void The_step_is_a_markers_width_but_never_crowds_the_next_x()
    {
        // 1.2% of the range for a 32-wide axis of P = 8..40 spaced 2: 0.384, below 0.3 x 2.
        Assert.Equal(0.384, SeriesCoincidence.Step([8, 10, 40], 2), 12);
        // Two x values 1 apart over a range of 1000: capped at 0.3 of the gap.
        Assert.Equal(0.3, SeriesCoincidence.Step([0, 1, 1000], 2), 12);
        Assert.Equal(0.1, SeriesCoincidence.Step([0, 1, 1000], 4), 12);
    }

    [Fact]
    public void In_the_tolerance_figure_codenet_is_drawn_beside_replication_and_named_equal_to_it()
    {
        // tolerance-vs-p at m = n = 2: CodeNet's forward tolerance equals replication's at every P.
        double[] p = [8, 10, 12, 14, 16];
        double[] tolerance = [0, 0, 1, 1, 2];
        var plot = FigurePlot.Build(
            new FigureLayout("t", "nodes P", "tolerance") { YFromZero = true, IntegerY = true },
            [
                new FigureSeries("CodeNet MDS forward", p, tolerance) { Scheme = "mds" },
                new FigureSeries("replication", p, tolerance) { Scheme = "replication" },
            ]);
        var drawn = plot.GetPlottables<Scatter>().Select(s => s.Data.GetScatterPoints().Select(c => c.X).ToArray()).ToList();
        Assert.Equal(2, drawn.Count);
        // A marker's width apart: 1.2% of the x range of 8 (9 digits: coordinates of order 10, round-off only).
        Assert.All(Enumerable.Range(0, p.Length), i => Assert.Equal(0.096, Math.Abs(drawn[0][i] - drawn[1][i]), 9));
        Assert.All(Enumerable.Range(0, p.Length), i => Assert.Equal(p[i], (drawn[0][i] + drawn[1][i]) / 2, 9));
        var legend = plot.Legend.ManualItems.Select(i => i.LabelText).ToList();
        Assert.Equal("equal at every point to", legend[legend.IndexOf("replication") + 1]);
        Assert.Equal("CodeNet MDS forward", legend[legend.IndexOf("replication") + 2]);
    }

    [Fact]
    public void Series_with_distinct_values_are_drawn_where_they_are()
    {
        double[] p = [8, 10, 12];
        var plot = FigurePlot.Build(new FigureLayout("t", "x", "y"), [new FigureSeries("a", p, [1, 2, 3]), new FigureSeries("b", p, [4, 5, 6])]);
        Assert.All(plot.GetPlottables<Scatter>(), s => Assert.Equal(p, s.Data.GetScatterPoints().Select(c => c.X)));
        Assert.DoesNotContain(plot.Legend.ManualItems, i => i.LabelText.Contains("equal at every point", StringComparison.Ordinal));
    }

    [Fact]
    public void Coded_training_equal_to_fault_free_is_named_in_the_training_legend()
    {
        var plot = TrainPlot.Build(FigureSamples.TrainRows());
        var legend = plot.Legend.ManualItems.Select(i => i.LabelText).ToList();
        foreach (var scheme in new[] { "gpd", "mds", "replication" })
        {
            Assert.Equal("= fault-free in accuracy and loss, every round", legend[legend.IndexOf(scheme) + 1]);
        }

        Assert.NotEqual("= fault-free in accuracy and loss, every round", legend[legend.IndexOf("uncoded") + 1]);
        // Four schemes' accuracy points at 100 samples: drawn at four different x values.
        var first = plot.GetPlottables<Scatter>().Where(s => s.Axes.YAxis == plot.Axes.Left).Select(s => s.Data.GetScatterPoints()[0]).ToList();
        Assert.Equal(first.Count, first.Select(c => c.X).Distinct().Count());
    }
}
