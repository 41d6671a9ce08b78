using SoftErrorSim.Core.Statistics;

namespace SoftErrorSim.Reporting.Tests;

public class ZeroFailureBoundTests
{
    [Theory]
    [InlineData(1L)]
    [InlineData(2L)]
    [InlineData(10L)]
    [InlineData(2000L)]
    [InlineData(20_000L)]
    [InlineData(1_000_000L)]
    public void The_bound_is_the_exact_clopper_pearson_one_sided_95_percent_bound_at_zero_events(long trials)
    {
        // The one-sided 95% upper bound is the upper end of the two-sided 90% Clopper-Pearson
        // interval, computed there from a Beta quantile: an independent computation.
        var exact = BinomialInterval.ClopperPearson(0, trials, alpha: 0.10).High;
        // MathNet's Beta quantile is accurate to about 4e-8 relative at n = 1e6 (measured against the series below).
        Assert.Equal(exact, ZeroFailureBound.Upper(trials), exact * 1e-6);
    }

    [Theory]
    [InlineData(1_000L)]
    [InlineData(10_000L)]
    [InlineData(100_000L)]
    public void Moderate_trial_counts_match_the_series_of_one_minus_exp(long trials)
    {
        // 1 - exp(-y) = y - y^2/2! + y^3/3! - ..., y = -ln(0.05)/n, summed to y^8/8! (the rest is below 1e-20 of y for n >= 1000).
        var y = -Math.Log(0.05) / trials;
        var (series, term) = (0.0, -1.0);
        for (var k = 1; k <= 8; k++)
        {
            term *= -y / k;
            series += term;
        }

        // exp(x) - 1 cancels about 1e-16 / y of its digits: under 4e-12 relative at y = 3e-5.
        Assert.Equal(series, ZeroFailureBound.Upper(trials), series * 1e-11);
    }

    [Theory]
    [InlineData(1L, 0.95)]
    [InlineData(2L, 0.7763932022500210)]
    public void Small_trial_counts_give_the_closed_form(long trials, double expected) =>
        // 1 - 0.05^(1/2) = 1 - sqrt(0.05) = 0.776393202250021; 1e-15: round-off of one exp.
        Assert.Equal(expected, ZeroFailureBound.Upper(trials), 1e-15);

    [Theory]
    [InlineData(1_000_000_000L)]
    [InlineData(1_000_000_000_000L)]
    public void Huge_trial_counts_keep_full_precision_near_the_rule_of_three(long trials)
    {
        // n (1 - 0.05^(1/n)) -> -ln 0.05 = 2.9957 as n grows; 1 - Math.Pow(0.05, 1.0 / n) would
        // lose about 7 (at 1e9) to 10 (at 1e12) of its 16 digits to cancellation.
        var limit = -Math.Log(0.05);
        var scaled = ZeroFailureBound.Upper(trials) * trials;
        // The next term of the expansion is limit^2 / (2n), below 5e-9 at n = 1e9.
        Assert.Equal(limit, scaled, limit * 1e-8);
        Assert.True(scaled < limit, "the bound lies just below 2.9957/n");
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-5L)]
    public void No_trials_give_no_bound(long trials) => Assert.True(double.IsNaN(ZeroFailureBound.Upper(trials)));

    [Fact]
    public void A_sweep_point_that_never_failed_is_drawn_at_its_bound_and_one_that_failed_at_its_rate()
    {
        var never = FigureSamples.Sweep("gpd", 12, 0.01, 2000, 1900, 100, 0, 0);
        var mark = SweepPlot.AllFailures(never);
        Assert.True(mark.IsBound);
        Assert.Equal(ZeroFailureBound.Upper(2000), mark.Rate);

        var failed = FigureSamples.Sweep("replication", 12, 0.01, 2000, 1990, 0, 10, 0);
        var rate = SweepPlot.AllFailures(failed);
        Assert.False(rate.IsBound);
        Assert.Equal(10.0 / 2000, rate.Rate, 1e-15); // 1 - (1990/2000): round-off only
        Assert.True(rate.Low < rate.Rate && rate.Rate < rate.High, "the Wilson interval brackets the rate");
    }

    [Fact]
    public void Silent_failures_are_counted_apart_from_detected_ones()
    {
        // 50 detected failures and no silent one: the sweep figure's upper panel shows 50/n, the lower a bound.
        var detectedOnly = FigureSamples.Sweep("replication", 12, 0.05, 2000, 1950, 0, 50, 0);
        Assert.Equal(50.0 / 2000, SweepPlot.AllFailures(detectedOnly).Rate, 1e-15); // round-off only
        Assert.True(SweepPlot.SilentFailures(detectedOnly).IsBound);
        Assert.Equal(ZeroFailureBound.Upper(2000), SweepPlot.SilentFailures(detectedOnly).Rate);

        var silent = FigureSamples.Sweep("uncoded", 4, 0.05, 2000, 1990, 0, 0, 10);
        var mark = SweepPlot.SilentFailures(silent);
        Assert.False(mark.IsBound);
        Assert.Equal(10.0 / 2000, mark.Rate, 1e-15); // one division: round-off only
        var wilson = BinomialInterval.Wilson(10, 2000);
        Assert.Equal((wilson.Low, wilson.High), (mark.Low, mark.High));
    }
}
