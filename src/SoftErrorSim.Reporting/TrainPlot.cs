using System.Globalization;
using ScottPlot;

namespace SoftErrorSim.Reporting;

/// <summary>
/// The training figure: test accuracy (solid, left axis) and mean training loss (dashed, right
/// axis) against samples seen, in each scheme's colour. Schemes equal to another at every round
/// (coded training that matches fault-free) are drawn side by side and the legend says so; a run
/// whose loss stops being finite is marked where it diverged.
/// </summary>
public static class TrainPlot
{
    /// <summary>Renders the figure from CSV rows alone.</summary>
    public static byte[] Render(IReadOnlyList<TrainCsvRow> rows) => FigureFrame.Png(Build(rows), FigurePlot.Width, FigurePlot.Height);

    /// <summary>The plot of the figure, before rendering.</summary>
    internal static Plot Build(IReadOnlyList<TrainCsvRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            throw new ArgumentException("no rows to plot", nameof(rows));
        }

        var plot = new Plot();
        var schemes = rows.GroupBy(r => r.Scheme).Select(g => (Name: g.Key, Rows: g.OrderBy(r => r.SamplesSeen).ToList())).ToList();
        var xs = schemes.Select(s => s.Rows.Select(r => (double)r.SamplesSeen).ToArray()).ToList();
        var accuracy = schemes.Select(s => s.Rows.Select(r => 100 * r.TestAccuracy).ToArray()).ToList();
        var loss = schemes.Select(s => s.Rows.Select(r => r.Loss).ToArray()).ToList();
        var gap = SeriesCoincidence.SmallestGap(xs.SelectMany(x => x));

        // Schemes equal at every round draw exactly over one another: name the equality (within
        // about a pixel, 1/400 of the axis span) and draw points that would hide one another
        // (within a marker's height, 1/60 of the span) side by side, a marker's width apart.
        var step = SeriesCoincidence.Step(xs.SelectMany(x => x), 2);
        (double[][] Offsets, List<int>[] Equal) SideBySide(List<double[]> ys)
        {
            var finite = ys.SelectMany(y => y).Where(double.IsFinite).ToArray();
            var span = finite.Length == 0 ? 1 : Math.Max(finite.Max() - finite.Min(), 1e-12);
            var equal = schemes.Select(_ => new List<int>()).ToArray();
            foreach (var group in SeriesCoincidence.Groups(ys.Select((y, i) => ((IReadOnlyList<double>)xs[i], (IReadOnlyList<double>)y)).ToList(), span / 400))
            {
                foreach (var member in group.Skip(1))
                {
                    equal[member].Add(group[0]);
                }
            }

            var offsets = SeriesCoincidence.PointOffsets([.. xs], [.. ys], span / 60, step);
            return (offsets, equal);
        }

        var (accuracyOffsets, accuracyEqual) = SideBySide(accuracy);
        var (lossOffsets, lossEqual) = SideBySide(loss);
        var anyLoss = loss.SelectMany(l => l).Any(double.IsFinite);
        var diverged = new List<(double X, string Scheme, Color Color)>();
        var divergence = new List<LegendItem>();
        for (var s = 0; s < schemes.Count; s++)
        {
            var (name, points) = schemes[s];
            var style = FigurePalette.Find(name);
            var color = style?.Color ?? FigurePalette.Quantity(s);
            var shape = style?.Marker ?? FigurePalette.QuantityMarker(s);
            // The scheme's legend entry: its colour, marker and solid line.
            plot.Legend.ManualItems.AddRange(FigureFrame.Keys(name + Equality(accuracyEqual[s], lossEqual[s]), shape, LinePattern.Solid, color, 10));
            var accuracyPoints = Finite(xs[s], accuracy[s], accuracyOffsets[s]);
            if (accuracyPoints.X.Length > 0)
            {
                var accuracyLine = plot.Add.Scatter(accuracyPoints.X, accuracyPoints.Y, color);
                accuracyLine.LineWidth = 2;
                accuracyLine.MarkerShape = shape;
                accuracyLine.MarkerSize = 10;
            }

            var lossPoints = Finite(xs[s], loss[s], lossOffsets[s]);
            if (lossPoints.X.Length > 0)
            {
                var lossLine = plot.Add.Scatter(lossPoints.X, lossPoints.Y, color);
                lossLine.LinePattern = LinePattern.Dashed;
                lossLine.LineWidth = 1.5f;
                lossLine.MarkerShape = FigurePalette.Open(shape);
                lossLine.MarkerSize = 8;
                lossLine.Axes.YAxis = plot.Axes.Right;
            }

            var bad = points.FindIndex(r => !double.IsFinite(r.Loss) || !double.IsFinite(r.TestAccuracy));
            if (bad >= 0)
            {
                // Runs that diverge at the same round are drawn side by side, so each line shows.
                var x = points[bad].SamplesSeen + (step * diverged.Count(d => Math.Abs(d.X - points[bad].SamplesSeen) < 0.5 * gap));
                plot.Add.VerticalLine(x, 2, color, LinePattern.DenselyDashed);
                divergence.AddRange(FigureFrame.Keys(string.Create(CultureInfo.InvariantCulture, $"{name} diverged: loss not finite\nfrom round {points[bad].Round} ({points[bad].SamplesSeen} samples)"), line: LinePattern.DenselyDashed, color: color));
                diverged.Add((x, name, color));
            }
        }

        string Equality(List<int> sameAccuracy, List<int> sameLoss)
        {
            var both = sameAccuracy.Intersect(sameLoss).ToList();
            var parts = both.Select(o => $"= {schemes[o].Name} in accuracy and loss")
                .Concat(sameAccuracy.Except(both).Select(o => $"= {schemes[o].Name} in accuracy"))
                .Concat(sameLoss.Except(both).Select(o => $"= {schemes[o].Name} in loss"))
                .ToList();
            return string.Concat(parts.Select(p => $"\n{p}, every round"));
        }

        plot.Legend.ManualItems.AddRange(FigureFrame.Keys("test accuracy (left axis):\nsolid line, filled markers", MarkerShape.FilledCircle, LinePattern.Solid));
        plot.Legend.ManualItems.AddRange(FigureFrame.Keys("mean training loss (right axis):\ndashed line, open markers", MarkerShape.OpenCircle, LinePattern.Dashed));
        plot.Legend.ManualItems.AddRange(divergence);
        var widest = accuracyOffsets.Concat(lossOffsets).SelectMany(o => o).Select(Math.Abs).DefaultIfEmpty(0).Max();
        if (widest > 0)
        {
            plot.Legend.ManualItems.AddRange(FigureFrame.Keys(string.Create(CultureInfo.InvariantCulture, $"points that coincide are drawn side\nby side (shifted by up to {FigureAxes.Linear(widest)} samples)")));
        }

        var first = rows[0];
        plot.Title(string.Create(CultureInfo.InvariantCulture, $"Decentralised coded training under soft errors: per-node error rate {rows.Max(r => r.ErrorRate):0.###e0} per step, seed {first.Seed}"));
        plot.XLabel("training samples seen (batch 1: SGD steps)");
        plot.YLabel("test accuracy (%), solid");
        plot.Axes.Right.Label.Text = anyLoss
            ? "mean training loss per round (cross-entropy, nats), dashed"
            : "mean training loss: not finite in any run (every run diverged)";
        plot.Axes.Bottom.TickGenerator = FigureAxes.BoundedTicks(0);
        plot.Axes.Left.TickGenerator = FigureAxes.BoundedTicks(0, 100);
        plot.Axes.Right.TickGenerator = anyLoss ? FigureAxes.BoundedTicks(0) : new ScottPlot.TickGenerators.EmptyTickGenerator();
        FigureFrame.LegendBeside(plot);
        plot.Axes.AutoScale();
        if (!anyLoss)
        {
            // No loss to scale to: without this the right axis spans ScottPlot's default -11..11.
            plot.Axes.SetLimitsY(0, 1, plot.Axes.Right);
        }

        var limits = plot.Axes.GetLimits();
        for (var d = 0; d < diverged.Count; d++)
        {
            // Beside its line, on the side with room: labels of late divergences sit left of their line.
            var late = diverged[d].X > (limits.Left + limits.Right) / 2;
            var text = plot.Add.Text($"{diverged[d].Scheme} diverged", diverged[d].X, limits.Top);
            text.LabelAlignment = late ? Alignment.UpperRight : Alignment.UpperLeft;
            text.OffsetX = late ? -4 : 4;
            text.OffsetY = 4 + (18 * diverged.Take(d).Count(o => Math.Abs(o.X - diverged[d].X) < 0.5 * gap));
            text.LabelFontSize = 12;
            text.LabelFontColor = diverged[d].Color;
        }

        return plot;
    }

    private static (double[] X, double[] Y) Finite(double[] xs, double[] ys, double[] offsets)
    {
        var kept = Enumerable.Range(0, xs.Length).Where(i => double.IsFinite(ys[i])).ToArray();
        return (kept.Select(i => xs[i] + offsets[i]).ToArray(), kept.Select(i => ys[i]).ToArray());
    }
}
