using System.Globalization;

namespace SoftErrorSim.Reporting.Tests;

public class DecodeCsvTests
{
    private static readonly DecodeCsvRow[] Rows =
    [
        new("gpd", 12, 2, 2, null, "forward", 5, "gaussian", 0, 1000, 1000, 0, 0, 0, 1.0, 0.9961783439490446, 1.0, 7UL, "probability-one", 19.65, 6),
        new("gpd", 12, 2, 2, 3, "matmat", 5, "bitflip", 7, 1000, 0, 0, 998, 2, 0.0, 0.0, 0.003830, 18446744073709551615UL, "bounded-distance", 1234.5678),
    ];

    private const string Golden =
        "scheme,nodes,m,n,d,pass,threshold,error_model,errors,trials,clean,corrected,detected,miscorrected,success_rate,ci_low,ci_high,seed,decoder,max_condition_number,tolerance\n" +
        "gpd,12,2,2,,forward,5,gaussian,0,1000,1000,0,0,0,1,0.9961783439490446,1,7,probability-one,19.65,6\n" +
        "gpd,12,2,2,3,matmat,5,bitflip,7,1000,0,0,998,2,0,0,0.00383,18446744073709551615,bounded-distance,1234.5678,\n";

    [Theory]
    [InlineData("")]
    [InlineData("de-DE")]
    [InlineData("fr-FR")]
    [InlineData("ar-SA")]
    public void Csv_is_identical_under_any_culture(string culture)
    {
        var saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(culture);
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);
            Assert.Equal(Golden, DecodeCsv.Write(Rows));
            Assert.Equal(Rows, DecodeCsv.Read(Golden));
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
            CultureInfo.CurrentUICulture = saved;
        }
    }

    [Theory]
    [InlineData("a,b\n1,2\n")]
    [InlineData("")]
    public void A_file_with_another_header_is_refused(string text) =>
        Assert.Throws<InvalidDataException>(() => DecodeCsv.Read(text));

    [Fact]
    public void A_malformed_number_is_refused()
    {
        var bad = Golden.Replace("0.9961783439490446", "0,99", StringComparison.Ordinal);
        Assert.Throws<InvalidDataException>(() => DecodeCsv.Read(bad));
    }

    [Fact]
    public void Doubles_round_trip_exactly()
    {
        foreach (var value in new[] { 0.1, 1.0 / 3, double.Epsilon, 1e308, 5e-324, -0.0 })
        {
            Assert.Equal(value, double.Parse(InvariantText.Number(value), CultureInfo.InvariantCulture));
        }
    }
}
