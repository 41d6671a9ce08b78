using System.Globalization;
using ScottPlot;

namespace SoftErrorSim.Reporting;

/// <summary>
/// The sweep figure: decode failure rate (1 - success) against the per-node error rate on log-log
/// axes, one colour per series; Monte Carlo points with 95% Wilson intervals over the analytic
/// curve (dashed). Points with no failure cannot sit on a log axis and are left out.
/// </summary>
public static class SweepPlot
{
    /// <summary>Renders the figure from CSV rows alone.</summary>
    public static byte[] Render(IReadOnlyList<SweepCsvRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            throw new ArgumentException("no rows to plot", nameof(rows));
        }

        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var series = rows.GroupBy(r => r.SeriesLabel).ToList();
        for (var s = 0; s < series.Count; s++)
        {
            var color = palette.GetColor(s);
            var points = series[s].OrderBy(r => r.ErrorRate).ToList();
            var drawn = points.Where(r => r.ErrorRate > 0 && r.SuccessRate < 1).ToList();
            if (drawn.Count > 0)
            {
                var xs = drawn.Select(r => Math.Log10(r.ErrorRate)).ToArray();
                var ys = drawn.Select(r => Math.Log10(1 - r.SuccessRate)).ToArray();
                var marks = plot.Add.ScatterPoints(xs, ys, color);
                marks.LegendText = $"{series[s].Key} (Monte Carlo)";
                marks.MarkerSize = 7;
                var bars = plot.Add.ErrorBar(xs, ys, xs.Select(_ => 0.0).ToArray());
                bars.YErrorNegative = drawn.Select((r, i) => ys[i] - Math.Log10(Math.Max(1 - r.CiHigh, 1e-300))).ToArray();
                bars.YErrorPositive = drawn.Select((r, i) => Math.Log10(1 - r.CiLow) - ys[i]).ToArray();
                bars.Color = color;
            }

            var theory = points.Where(r => r.ErrorRate > 0 && r.AnalyticFailureRate is > 0).ToList();
            if (theory.Count > 1)
            {
                var line = plot.Add.ScatterLine(
                    theory.Select(r => Math.Log10(r.ErrorRate)).ToArray(),
                    theory.Select(r => Math.Log10(r.AnalyticFailureRate!.Value)).ToArray(),
                    color);
                line.LinePattern = LinePattern.Dashed;
                line.LegendText = $"{series[s].Key} (analytic)";
            }
        }

        static string Power(double v) => string.Create(CultureInfo.InvariantCulture, $"1e{v:0}");
        foreach (var axis in new IAxis[] { plot.Axes.Bottom, plot.Axes.Left })
        {
            axis.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
            {
                MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
                IntegerTicksOnly = true,
                LabelFormatter = Power,
            };
        }

        var first = rows[0];
        plot.Title(string.Create(CultureInfo.InvariantCulture, $"Decode failure vs per-node error rate: {first.Pass} pass, {first.ErrorModel} errors, {first.Decoder} decoding"));
        plot.XLabel("per-node error rate eps (probability per decode, log scale)");
        plot.YLabel("decode failure rate, 1 - success (fraction of trials, log scale)");
        plot.ShowLegend(Alignment.LowerRight);
        plot.Axes.AutoScale();
        var limits = plot.Axes.GetLimits();
        // A failure rate never exceeds 1 (10^0): keep the top of the axis there.
        plot.Axes.SetLimitsY(limits.Bottom, Math.Min(limits.Top, 0.2));
        return plot.GetImageBytes(DecodePlot.Width, DecodePlot.Height, ImageFormat.Png);
    }
}
