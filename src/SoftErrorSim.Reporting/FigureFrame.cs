using System.Runtime.CompilerServices;
using ScottPlot;

[assembly: InternalsVisibleTo("SoftErrorSim.Reporting.Tests")]

namespace SoftErrorSim.Reporting;

/// <summary>What every figure shares around its data: the legend outside the data area, invariant tick labels, the PNG.</summary>
internal static class FigureFrame
{
    /// <summary>
    /// Puts the legend beside the data area, one entry per line, so it never covers a point.
    /// (ScottPlot 5.1's legend below the plot measures its wrapped rows at one width and draws
    /// them at another, and cuts off entries; one column beside the plot is measured right.)
    /// </summary>
    public static void LegendBeside(Plot plot, Alignment alignment = Alignment.UpperLeft)
    {
        var panel = plot.ShowLegend(Edge.Right);
        panel.Alignment = alignment;
        plot.Legend.Orientation = Orientation.Vertical;
    }

    /// <summary>
    /// Legend entries that explain a kind of mark (or a series): a marker, a line, or both, then
    /// one entry without a symbol for each further line of <paramref name="label"/> (ScottPlot
    /// gives every entry the height of the tallest when one label has several lines).
    /// </summary>
    public static IEnumerable<LegendItem> Keys(string label, MarkerShape marker = MarkerShape.None, LinePattern? line = null, Color? color = null, float markerSize = 9)
    {
        ArgumentNullException.ThrowIfNull(label);
        var lines = label.Split('\n');
        yield return Key(lines[0], marker, line, color, markerSize);
        foreach (var more in lines.Skip(1))
        {
            yield return Key(more);
        }
    }

    /// <summary>One legend entry of <see cref="Keys"/>.</summary>
    public static LegendItem Key(string label, MarkerShape marker = MarkerShape.None, LinePattern? line = null, Color? color = null, float markerSize = 9)
    {
        var c = color ?? FigurePalette.Neutral;
        return new LegendItem
        {
            LabelText = label,
            MarkerShape = marker,
            MarkerSize = marker == MarkerShape.None ? 0 : markerSize,
            MarkerFillColor = c,
            MarkerLineColor = c,
            LineColor = c,
            LineWidth = line is null ? 0 : 1.5f,
            LinePattern = line ?? LinePattern.Solid,
        };
    }

    /// <summary>Every axis still on ScottPlot's default ticks gets invariant labels (its default follows the machine's culture).</summary>
    public static void InvariantTicks(Plot plot)
    {
        foreach (var axis in plot.Axes.GetAxes())
        {
            if (axis.TickGenerator is ScottPlot.TickGenerators.NumericAutomatic automatic)
            {
                automatic.LabelFormatter = FigureAxes.Linear;
            }
        }
    }

    /// <summary>The PNG bytes of a finished plot.</summary>
    public static byte[] Png(Plot plot, int width, int height)
    {
        InvariantTicks(plot);
        FitTitle(plot, width, height);
        return plot.GetImageBytes(width, height, ImageFormat.Png);
    }

    /// <summary>
    /// Shrinks the title's font until the title fits: ScottPlot centres it over the data area, which
    /// the legend beside it pushes left, and cuts off whatever runs past the figure's edge.
    /// </summary>
    public static void FitTitle(Plot plot, int width, int height)
    {
        var label = plot.Axes.Title.Label;
        if (string.IsNullOrEmpty(label.Text))
        {
            return;
        }

        for (var attempt = 0; attempt < 4; attempt++)
        {
            plot.RenderInMemory(width, height);
            var centre = plot.LastRender.DataRect.HorizontalCenter;
            var room = (2 * Math.Min(centre, width - centre)) - 16;
            using var paint = Paint.NewDisposablePaint();
            var needed = label.Measure(label.Text, paint).Width;
            if (needed <= room)
            {
                return;
            }

            label.FontSize = Math.Max(9, label.FontSize * room / needed);
        }
    }

    /// <summary>Every piece of text a rendered plot shows: title, axis labels, tick labels, legend entries, labels inside the data area.</summary>
    public static IEnumerable<string> Texts(Plot plot)
    {
        yield return plot.Axes.Title.Label.Text;
        foreach (var axis in plot.Axes.GetAxes())
        {
            yield return axis.Label.Text;
            foreach (var tick in axis.TickGenerator.Ticks)
            {
                yield return tick.Label;
            }
        }

        foreach (var item in plot.Legend.GetItems())
        {
            yield return item.LabelText;
        }

        foreach (var text in plot.GetPlottables<ScottPlot.Plottables.Text>())
        {
            yield return text.LabelText;
        }
    }
}
