using System.Globalization;

namespace SoftErrorSim.Reporting.Tests;

public class SweepCsvTests
{
    private static readonly SweepCsvRow[] Rows =
    [
        new("gpd", 12, 2, 2, null, "forward", "gaussian", 0.001, 2000, 1973, 27, 0, 0, 1.0, 0.998, 1.0, 0.9999999999999999, 1, "probability-one", null, null, 7.9e-19),
        new("mds", 18, 2, 2, null, "backward", "bitflip", 0.25, 10, 3, 4, 2, 1, 0.7, 0.39, 0.89, null, 2, "probability-one", 7, 4, null),
    ];

    [Theory]
    [InlineData("")]
    [InlineData("de-DE")]
    [InlineData("fr-FR")]
    public void Sweep_csv_round_trips_identically_under_any_culture(string culture)
    {
        var saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(culture);
            var text = SweepCsv.Write(Rows);
            Assert.StartsWith("scheme,nodes,m,n,d,pass,error_model,error_rate,trials,clean,corrected,detected,miscorrected,success_rate,ci_low,ci_high,analytic_success_rate,seed", text, StringComparison.Ordinal);
            Assert.Contains("gpd,12,2,2,,forward,gaussian,0.001,2000,1973,27,0,0,1,0.998,1,0.9999999999999999,1,probability-one,,,7.9E-19", text, StringComparison.Ordinal);
            Assert.Equal(Rows, SweepCsv.Read(text));
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    [Fact]
    public void The_sweep_figure_renders_with_points_that_never_failed()
    {
        var png = SweepPlot.Render(Rows);
        Assert.True(png.Length > 20_000);
    }
}
