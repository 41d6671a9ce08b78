using System.Globalization;

namespace SoftErrorSim.Reporting.Tests;

public class InvariantTextTests
{
    [Theory]
    [InlineData("de-DE")]
    [InlineData("fr-FR")]
    [InlineData("ar-SA")]
    public void Numbers_round_trip_with_a_point_whatever_the_current_culture(string name)
    {
        var saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(name);
            foreach (var value in new[] { 0.5, -1e-300, 5e-324, double.MaxValue, 1234567.25, -0.0, double.NaN, double.PositiveInfinity })
            {
                var text = InvariantText.Number(value);
                Assert.DoesNotContain(",", text, StringComparison.Ordinal);
                Assert.Equal(BitConverter.DoubleToInt64Bits(value), BitConverter.DoubleToInt64Bits(InvariantText.ParseDouble(text)));
            }

            Assert.Equal("1234567", InvariantText.Whole(1234567));
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    [Theory]
    [InlineData("0,5")]
    [InlineData("1,000")]
    [InlineData("")]
    public void A_decimal_comma_is_refused_rather_than_read_as_a_whole_number(string text) =>
        Assert.Throws<FormatException>(() => InvariantText.ParseDouble(text));
}
