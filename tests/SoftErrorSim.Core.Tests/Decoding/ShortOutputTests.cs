using SoftErrorSim.Core.Coding;
using SoftErrorSim.Core.Decoding;
using SoftErrorSim.Core.Faults;
using SoftErrorSim.Core.MonteCarlo;
using SoftErrorSim.Core.Schemes;
using SoftErrorSim.Core.Statistics;

namespace SoftErrorSim.Core.Tests.Decoding;

/// <summary>
/// Outputs shorter than the number of erring nodes (SPEC 4: the span test needs outputs at least as
/// long as the number of errors). The interleaved locator places up to floor(L (P - K) / (L + 1))
/// errors in L-column outputs, the oracle says exactly that much, and nothing beyond is ever
/// accepted wrong. Before the locator, P = 40, m = 4, n = 5, forward, 16-row blocks (L = 8 complex
/// columns) refused every decode with more than 8 errors while the oracle promised 15, and a rate
/// campaign at eps = 0.1 saw 35 detections in 2000 trials against an oracle failure rate of 6e-7.
/// </summary>
public class ShortOutputTests
{
    /// <summary>P = 40, m = 4, n = 5 on the unit circle: K = 24 forward.</summary>
    private static readonly CodeConfiguration Gpd40 = new CodeConfiguration { Scheme = SchemeKind.Gpd, NodeCount = 40, RowSplit = 4, ColumnSplit = 5 };

    [Theory]
    [InlineData(40, 24, 8, 14)] // L (P - K) / (L + 1) = 128 / 9
    [InlineData(40, 24, 1, 8)] // one column: Berlekamp-Welch's floor((P - K)/2)
    [InlineData(40, 24, 2, 10)] // 32 / 3
    [InlineData(40, 24, 15, 15)] // L >= P - K - 1: the span test reaches P - K - 1
    [InlineData(128, 71, 4, 45)] // 228 / 5
    [InlineData(12, 5, 4, 6)] // small code: the subset search tries all 2,211 sets of 4 to 6 and reaches P - K - 1
    public void The_reach_is_the_interleaved_bound_unless_the_span_test_or_an_exhaustive_search_covers_more(int nodes, int k, int length, int expected) =>
        Assert.Equal(expected, ProbabilityOneDecoder.Reach(nodes, k, length));

    [Theory]
    [InlineData(16, 8)] // L = 8 complex columns
    [InlineData(2, 1)] // L = 1
    [Trait("Category", "Slow")]
    public void Every_count_up_to_the_reach_is_corrected_and_none_beyond_is_accepted_wrong(int blockRows, int length)
    {
        // P = 40, m = 4, n = 5 forward on the unit circle: K = 24.
        var reach = ProbabilityOneDecoder.Reach(40, 24, length);
        Assert.Equal(reach, SchemeOracle.DecodedTolerance(Gpd40, PassKind.Forward, DecoderKind.ProbabilityOne, 15, new PassShape(blockRows, 8)));
        var result = ForwardDecodes(blockRows, 1, reach - 3, reach + 2, 1201);
        foreach (var row in result.Rows)
        {
            Assert.True(row.Counts.Miscorrected == 0, $"{row.Errors} errors: {row.Counts}");

            // Within the reach errors in general position are located with probability one: every
            // decode succeeds. Beyond it no locator of that degree exists, and the decoder refuses.
            var expected = row.Errors <= reach ? row.Counts.Trials : 0;
            Assert.True(row.Counts.Successes == expected, $"{row.Errors} errors (reach {reach}): {row.Counts}");
        }
    }

    [Theory]
    [InlineData(16, 1e-6)]
    [InlineData(16, 3e-6)]
    [InlineData(16, 1e-5)]
    [InlineData(2, 1e-6)]
    [InlineData(2, 3e-6)]
    [Trait("Category", "Slow")]
    public void Small_errors_beyond_the_reach_are_refused_never_waved_through(int blockRows, double magnitude)
    {
        // Errors a little above the 1e-6 tolerance's reach, too many to locate: a bound that
        // treats the inconsistency as one node's error (as "negligible") understates several
        // nodes' effect; it accepted 160 of 200 wrong decodes of 15 errors at 3e-6 (L = 8).
        var reach = ProbabilityOneDecoder.Reach(40, 24, (blockRows + 1) / 2);
        var result = ForwardDecodes(blockRows, magnitude, reach, reach + 3, 1203);
        foreach (var row in result.Rows)
        {
            Assert.True(row.Counts.Miscorrected == 0, $"magnitude {magnitude}, {row.Errors} errors (reach {reach}): {row.Counts}");
        }
    }

    [Theory]
    [InlineData(0.1)]
    [InlineData(0.3)]
    [Trait("Category", "Slow")]
    public void A_rate_campaign_with_short_outputs_lies_in_the_exact_region_of_the_oracle(double rate)
    {
        // The oracle with the reach of 8-column outputs (14 of P - K - 1 = 15), computed here
        // independently as the binomial tail; accepted at the false-alarm level 1e-4 per point.
        const int trials = 1500;
        var row = RateCampaign.Run(new RateCampaignSettings
        {
            Code = Gpd40,
            Pass = PassKind.Forward,
            Shape = new PassShape(16, 8),
            Model = new ErrorValueModel { Kind = ErrorModelKind.Gaussian },
            ErrorRates = [rate],
            Trials = trials,
            Seed = 1202,
            Threads = 2,
        }).Single();
        var oracle = BinomialTail.AtMost(40, 14, rate);
        Assert.Equal(oracle, row.AnalyticSuccessRate!.Value, 12);
        Assert.Equal(0, row.Counts.Miscorrected);
        Assert.True(BinomialAcceptance.Holds(row.Counts.Successes, trials, oracle, 1e-4), $"eps {rate}: {row.Counts.Successes} of {trials} vs oracle {oracle}");
    }

    /// <summary>60 forward decodes of gaussian errors at each count from <paramref name="minErrors"/> to <paramref name="maxErrors"/>, P = 40, m = 4, n = 5, blocks of <paramref name="blockRows"/> x 8.</summary>
    private static DecodeCampaignResult ForwardDecodes(int blockRows, double magnitude, int minErrors, int maxErrors, ulong seed) =>
        DecodeCampaign.Run(new DecodeCampaignSettings
        {
            Code = Gpd40,
            Pass = PassKind.Forward,
            Shape = new PassShape(blockRows, 8),
            Model = new ErrorValueModel { Kind = ErrorModelKind.Gaussian, Magnitude = magnitude },
            MinErrors = minErrors,
            MaxErrors = maxErrors,
            Trials = 60,
            Seed = seed,
            Threads = 2,
        });
}
