using SoftErrorSim.Core.Statistics;

namespace SoftErrorSim.Core.Tests.Statistics;

public class StatisticsTests
{
    [Fact]
    public void Wilson_interval_matches_published_values()
    {
        // Newcombe (1998), Table I: 81/263 gives 0.2553 to 0.3662 at 95%.
        var interval = BinomialInterval.Wilson(81, 263);
        Assert.Equal(0.2553, interval.Low, 4);
        Assert.Equal(0.3662, interval.High, 4);
        // 0 of 10: upper bound z^2 / (n + z^2) = 0.2775.
        Assert.Equal(0.2775, BinomialInterval.Wilson(0, 10).High, 4);
        Assert.Equal(0.0, BinomialInterval.Wilson(0, 10).Low, 12);
    }

    [Fact]
    public void Clopper_Pearson_matches_closed_forms_at_the_edges()
    {
        // With 0 successes the upper bound is 1 - (alpha/2)^(1/n); with n successes the lower is (alpha/2)^(1/n).
        Assert.Equal(1 - Math.Pow(0.025, 1.0 / 20), BinomialInterval.ClopperPearson(0, 20).High, 10);
        Assert.Equal(Math.Pow(0.025, 1.0 / 20), BinomialInterval.ClopperPearson(20, 20).Low, 10);
        // Newcombe (1998), Table I: 81/263 exact interval 0.2527 to 0.3676.
        var interval = BinomialInterval.ClopperPearson(81, 263);
        Assert.Equal(0.2527, interval.Low, 4);
        Assert.Equal(0.3676, interval.High, 4);
    }

    [Theory]
    [InlineData(12, 3, 0.05)]
    [InlineData(24, 6, 0.01)]
    [InlineData(40, 0, 0.3)]
    public void Binomial_tail_equals_the_direct_sum(int nodes, int correctable, double rate)
    {
        double direct = 0;
        for (var k = 0; k <= correctable; k++)
        {
            direct += Choose(nodes, k) * Math.Pow(rate, k) * Math.Pow(1 - rate, nodes - k);
        }

        Assert.Equal(direct, BinomialTail.AtMost(nodes, correctable, rate), 12);
    }

    [Fact]
    public void Binomial_tail_is_accurate_for_tiny_rates_and_exact_at_the_edges()
    {
        // P(no error among 10 nodes) at 1e-12 is (1 - 1e-12)^10 = 1 - 1e-11 + ..., resolvable only with log1p.
        Assert.Equal(1e-11, 1 - BinomialTail.AtMost(10, 0, 1e-12), 15);
        Assert.Equal(1.0, BinomialTail.AtMost(10, 10, 0.5));
        Assert.Equal(0.0, BinomialTail.AtMost(10, -1, 0.5));
        Assert.Equal(1.0, BinomialTail.AtMost(10, 2, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => BinomialTail.AtMost(10, 2, 1.5));
    }

    [Theory]
    [InlineData(12, 6, 1e-3)]
    [InlineData(24, 6, 0.05)]
    [InlineData(5, 0, 0.5)]
    public void The_upper_tail_complements_the_lower_and_keeps_tiny_values(int nodes, int correctable, double rate)
    {
        Assert.Equal(1.0, BinomialTail.AtMost(nodes, correctable, rate) + BinomialTail.MoreThan(nodes, correctable, rate), 12);
        // Far below 1e-16: C(12, 7) eps^7 (1 - eps)^5 + ... at eps = 1e-3 is about 7.9e-19.
        var tiny = BinomialTail.MoreThan(12, 6, 1e-3);
        var leading = Choose(12, 7) * Math.Pow(1e-3, 7) * Math.Pow(1 - 1e-3, 5);
        Assert.InRange(tiny, leading, leading * 1.01);
    }

    private static double Choose(int n, int k)
    {
        double result = 1;
        for (var i = 1; i <= k; i++)
        {
            result = result * (n - k + i) / i;
        }

        return result;
    }

    [Fact]
    public void Choose_is_the_exact_binomial_coefficient_below_1e12()
    {
        // The oracle: Pascal's triangle in exact integers. The decoders' search budgets compare
        // C(n, k) with a few thousand sets, so it must be exact far beyond those.
        var row = new System.Numerics.BigInteger[] { 1 };
        for (var n = 0; n <= 300; n++)
        {
            for (var k = 0; k <= n; k++)
            {
                if (row[k] < 1_000_000_000_000)
                {
                    Assert.Equal((double)row[k], BinomialTail.Choose(n, k));
                }
            }

            Assert.Equal(0, BinomialTail.Choose(n, n + 1));
            row = Enumerable.Range(0, n + 2).Select(k => (k == 0 ? 0 : row[k - 1]) + (k <= n ? row[k] : 0)).ToArray();
        }
    }
}
