using SoftErrorSim.Core.Randomness;

namespace SoftErrorSim.Experiments.Tests;

public class FalseAlarmTests
{
    [Fact]
    public void The_family_wise_level_of_reproduce_is_at_most_one_percent()
    {
        // The budgets are decimal fractions summing to exactly 0.01; their binary sum may land one ulp above it.
        Assert.True(FalseAlarm.FamilyWise <= 0.01 * (1 + 1e-12), $"{FalseAlarm.FamilyWise}");
    }

    [Theory]
    [InlineData(1e-3, 300_000)]
    [InlineData(3e-3, 100_000)]
    [InlineData(0.1, 5_000)]
    public void Strikes_drawn_at_the_rate_pass_the_martingale_bound_and_twice_the_rate_fails_it(double rate, int draws)
    {
        // 100 independent runs at the rate, each failing with probability at most 0.01: more than 5
        // failures (probability below 1e-3 for a true bound) would show a bound that is not one. At
        // twice the rate (the double draw of issue 11, item 1) every run must fail: with 300 or more
        // strikes expected, twice as many lie more than 12 standard errors away.
        var passed = 0;
        var doubled = 0;
        for (ulong run = 0; run < 100; run++)
        {
            var random = StreamKey.Source(20261130, StreamKey.Hash("strike-bound"), run);
            long strikes = 0;
            long twice = 0;
            for (var i = 0; i < draws; i++)
            {
                var u = random.NextDouble();
                strikes += u < rate ? 1 : 0;
                twice += u < 2 * rate ? 1 : 0;
            }

            passed += StrikeCountBound.Holds(strikes, draws, rate, 0.01) ? 1 : 0;
            doubled += StrikeCountBound.Holds(twice, draws, rate, 0.01) ? 0 : 1;
        }

        Assert.True(passed >= 95, $"{passed}/100 correct streams passed");
        Assert.Equal(100, doubled);
    }

    [Fact]
    public void A_run_that_stops_on_its_strikes_still_passes_the_martingale_bound()
    {
        // The adaptive case a binomial region gets wrong: stop as soon as the strikes run ahead of
        // the mean by 3 standard deviations (or after 100,000 draws). Ville's inequality holds at
        // any stopping time, so at level 0.01 at most about 1% of such runs may fail.
        const double Rate = 1e-3;
        var failed = 0;
        for (ulong run = 0; run < 300; run++)
        {
            var random = StreamKey.Source(20261130, StreamKey.Hash("strike-bound-stopped"), run);
            long strikes = 0;
            long draws = 0;
            while (draws < 100_000)
            {
                draws++;
                strikes += random.NextDouble() < Rate ? 1 : 0;
                if (draws > 1000 && strikes > (Rate * draws) + (3 * Math.Sqrt(Rate * draws)))
                {
                    break;
                }
            }

            failed += StrikeCountBound.Holds(strikes, draws, Rate, 0.01) ? 0 : 1;
        }

        Assert.True(failed <= 9, $"{failed}/300 stopped runs failed at level 0.01");
    }
}
