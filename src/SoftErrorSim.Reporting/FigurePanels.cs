using ScottPlot;

namespace SoftErrorSim.Reporting;

/// <summary>Several <see cref="FigurePlot"/> figures stacked as panels of one PNG, 1200 pixels wide and <see cref="PanelHeight"/> per panel.</summary>
public static class FigurePanels
{
    /// <summary>Height of one panel in pixels.</summary>
    public const int PanelHeight = 560;

    /// <summary>Renders the panels top to bottom.</summary>
    public static byte[] Render(IReadOnlyList<(FigureLayout Layout, IReadOnlyList<FigureSeries> Series)> panels)
    {
        ArgumentNullException.ThrowIfNull(panels);
        if (panels.Count == 0)
        {
            throw new ArgumentException("no panels to draw", nameof(panels));
        }

        var figure = new Multiplot();
        foreach (var initial in figure.GetPlots().ToArray())
        {
            figure.RemovePlot(initial); // a new Multiplot holds one empty plot
        }

        var plots = panels.Select(p => FigurePlot.Build(p.Layout, p.Series)).ToList();
        foreach (var plot in plots)
        {
            FigureFrame.InvariantTicks(plot);
            FigureFrame.FitTitle(plot, FigurePlot.Width, PanelHeight);
            figure.AddPlot(plot);
        }

        using var image = figure.Render(FigurePlot.Width, PanelHeight * panels.Count);
        return image.GetImageBytes(ImageFormat.Png, 100);
    }
}
