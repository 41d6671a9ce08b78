using SoftErrorSim.Core.Coding;
using SoftErrorSim.Core.Decoding;
using SoftErrorSim.Core.Faults;
using SoftErrorSim.Core.MonteCarlo;
using SoftErrorSim.Core.Schemes;
using SoftErrorSim.Core.Statistics;

namespace SoftErrorSim.Core.Tests.Faults;

public class NodeRateOracleTests
{
    private static readonly CodeConfiguration Gpd10 = new() { Scheme = SchemeKind.Gpd, NodeCount = 10, RowSplit = 2, ColumnSplit = 2 };
    private static readonly CodeConfiguration Replication9 = new() { Scheme = SchemeKind.Replication, NodeCount = 9, RowSplit = 2, ColumnSplit = 2 };
    private static readonly CodeConfiguration Uncoded4 = new() { Scheme = SchemeKind.Uncoded, NodeCount = 4, RowSplit = 2, ColumnSplit = 2 };

    // CodeNet (Pr, m, Pc, n) = (3, 2, 3, 2): P = 4 + 2 + 2 = 8 nodes.
    private static readonly CodeConfiguration Mds8 = new() { Scheme = SchemeKind.Mds, RowSplit = 2, ColumnSplit = 2, RowNodes = 3, ColumnNodes = 3, NodeCount = CodeConfiguration.CodeNetNodeCount(3, 2, 3, 2) };

    public static TheoryData<string, PassKind, DecoderKind> Cases => new()
    {
        { "gpd", PassKind.Forward, DecoderKind.ProbabilityOne },
        { "gpd", PassKind.Backward, DecoderKind.BoundedDistance },
        { "replication", PassKind.Forward, DecoderKind.ProbabilityOne },
        { "replication", PassKind.Forward, DecoderKind.BoundedDistance },
        { "uncoded", PassKind.Forward, DecoderKind.ProbabilityOne },
        { "mds", PassKind.Forward, DecoderKind.ProbabilityOne },
        { "mds", PassKind.Backward, DecoderKind.BoundedDistance },
    };

    private static CodeConfiguration Code(string scheme) => scheme switch
    {
        "gpd" => Gpd10,
        "replication" => Replication9,
        "mds" => Mds8,
        _ => Uncoded4,
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Oracle_equals_exhaustive_enumeration_of_every_erring_set_for_P_at_most_10(string scheme, PassKind pass, DecoderKind decoder)
    {
        var code = Code(scheme);
        var random = new SoftErrorSim.Core.Randomness.RandomSource(7);
        var rates = Enumerable.Range(0, code.NodeCount).Select(_ => 0.3 * random.NextDouble()).ToArray();
        var (units, tolerance) = NodeRateOracle.Layout(code, pass, ErrorModelKind.Gaussian, decoder)!.Value;

        // Enumerate all 2^P erring sets: the decode fails when some unit has more than t wrong symbols.
        double success = 0, failure = 0;
        for (var set = 0; set < 1 << code.NodeCount; set++)
        {
            var probability = 1.0;
            for (var p = 0; p < code.NodeCount; p++)
            {
                probability *= (set >> p & 1) == 1 ? rates[p] : 1 - rates[p];
            }

            var fails = units.Any(symbols => symbols.Count(nodes => nodes.Any(p => (set >> p & 1) == 1)) > tolerance);
            if (fails)
            {
                failure += probability;
            }
            else
            {
                success += probability;
            }
        }

        // Sums of at most 1024 products of ten factors: a few hundred ulps at most.
        Assert.Equal(success, NodeRateOracle.SuccessProbability(code, pass, ErrorModelKind.Gaussian, decoder, rates)!.Value, 1e-13);
        Assert.Equal(failure, NodeRateOracle.FailureProbability(code, pass, ErrorModelKind.Gaussian, decoder, rates)!.Value, 1e-13);
    }

    [Fact]
    public void Equal_rates_give_the_binomial_oracle()
    {
        foreach (var code in new[] { Gpd10, Replication9, Uncoded4, Mds8 })
        {
            foreach (var rate in new[] { 1e-6, 0.01, 0.2 })
            {
                var rates = Enumerable.Repeat(rate, code.NodeCount).ToArray();
                var expected = SchemeOracle.FailureProbability(code, PassKind.Forward, ErrorModelKind.Gaussian, DecoderKind.ProbabilityOne, rate)!.Value;
                var actual = NodeRateOracle.FailureProbability(code, PassKind.Forward, ErrorModelKind.Gaussian, DecoderKind.ProbabilityOne, rates)!.Value;

                // Both are sums of the same positive terms by different routes: relative 1e-12.
                Assert.Equal(1, actual / expected, 1e-12);
            }
        }
    }

    [Fact]
    public void Failure_rates_near_1e_30_keep_their_digits()
    {
        // GPD P = 16, m = n = 2: K = 5, t = 10; at eps = 1e-3 the failure is about C(16, 11) 1e-33.
        var code = new CodeConfiguration { Scheme = SchemeKind.Gpd, NodeCount = 16, RowSplit = 2, ColumnSplit = 2 };
        var rates = Enumerable.Repeat(1e-3, 16).ToArray();
        var expected = BinomialTail.MoreThan(16, 10, 1e-3);
        var actual = NodeRateOracle.FailureProbability(code, PassKind.Forward, ErrorModelKind.Gaussian, DecoderKind.ProbabilityOne, rates)!.Value;
        Assert.InRange(expected, 1e-31, 1e-29);
        Assert.Equal(1, actual / expected, 1e-12);

        // One node 50x worse: the exact tail is computed by enumeration over which of the eleven or more erring nodes include it.
        rates[3] = 0.05;
        var withOutlier = NodeRateOracle.FailureProbability(code, PassKind.Forward, ErrorModelKind.Gaussian, DecoderKind.ProbabilityOne, rates)!.Value;
        var byHand = (0.05 * BinomialTail.MoreThan(15, 9, 1e-3)) + (0.95 * BinomialTail.MoreThan(15, 10, 1e-3));
        Assert.Equal(1, withOutlier / byHand, 1e-12);
    }

    [Fact]
    public void Poisson_binomial_weights_equal_enumeration()
    {
        double[] rates = [0.1, 0.5, 0.01, 0.9, 0.3, 0.0, 1.0, 0.25];
        var weights = ErrorCountDistribution.PoissonBinomial(rates);
        var expected = new double[rates.Length + 1];
        for (var set = 0; set < 1 << rates.Length; set++)
        {
            var probability = 1.0;
            for (var p = 0; p < rates.Length; p++)
            {
                probability *= (set >> p & 1) == 1 ? rates[p] : 1 - rates[p];
            }

            expected[System.Numerics.BitOperations.PopCount((uint)set)] += probability;
        }

        for (var e = 0; e < expected.Length; e++)
        {
            Assert.Equal(expected[e], weights[e], 1e-15);
        }
    }

    [Fact]
    public void Spreads_give_the_rates_they_promise()
    {
        var outliers = new OutlierNodeRates(2, 50).Rates(16, 0.01, 0.01, 5);
        Assert.Equal(2, outliers.Count(r => r == 0.5));
        Assert.Equal(14, outliers.Count(r => r == 0.01));
        Assert.Equal(outliers, new OutlierNodeRates(2, 50).Rates(16, 0.01, 0.01, 5));
        Assert.NotEqual(outliers, new OutlierNodeRates(2, 50).Rates(16, 0.01, 0.01, 6));

        // Log-normal multipliers have median 1: of 2001 draws, the median rate is the configured one within the sampling spread of a median (about 1.25 sigma / sqrt(n)).
        var lognormal = new LogNormalNodeRates(1).Rates(2001, 1e-3, 1e-3, 9).Order().ToArray();
        Assert.InRange(Math.Log(lognormal[1000] / 1e-3), -0.15, 0.15);

        // A listed rate is the node's at the default; a step kind at twice the default doubles it.
        Assert.Equal([0.02, 0.4], new ListedNodeRates([0.01, 0.2]).Rates(2, 0.02, 0.01, 1));
        Assert.Throws<ArgumentException>(() => new ListedNodeRates([0.01, 0.2]).Rates(3, 0.01, 0.01, 1));
    }

    public static TheoryData<string, string> Spreads => new()
    {
        { "gpd", "outlier" },
        { "gpd", "lognormal" },
        { "gpd", "list" },
        { "replication", "outlier" },
        { "replication", "lognormal" },
        { "replication", "list" },
        { "mds", "outlier" },
    };

    [Theory]
    [MemberData(nameof(Spreads))]
    public void Monte_Carlo_lies_in_the_exact_acceptance_region_of_the_Poisson_binomial_oracle(string scheme, string spread)
    {
        // Rates chosen so that failures are common enough to test: GPD P = 8 (K = 5, t = 2) at 0.15,
        // replication P = 16 (4 copies, t = 2 per block) and CodeNet (5, 3, 3, 2) at 0.1.
        var code = scheme switch
        {
            "gpd" => new CodeConfiguration { Scheme = SchemeKind.Gpd, NodeCount = 8, RowSplit = 2, ColumnSplit = 2 },
            "replication" => new CodeConfiguration { Scheme = SchemeKind.Replication, NodeCount = 16, RowSplit = 2, ColumnSplit = 2 },
            _ => new CodeConfiguration { Scheme = SchemeKind.Mds, RowSplit = 3, ColumnSplit = 2, RowNodes = 5, ColumnNodes = 3, NodeCount = CodeConfiguration.CodeNetNodeCount(5, 3, 3, 2) },
        };
        var rate = scheme == "gpd" ? 0.15 : 0.1;
        var random = new SoftErrorSim.Core.Randomness.RandomSource(11);
        NodeRateSpread nodes = spread switch
        {
            "outlier" => new OutlierNodeRates(2, scheme == "gpd" ? 3 : 5),
            "lognormal" => new LogNormalNodeRates(1),
            _ => new ListedNodeRates(Enumerable.Range(0, code.NodeCount).Select(_ => 2 * rate * random.NextDouble()).ToArray()),
        };
        const int trials = 4000;
        var row = RateCampaign.Run(new RateCampaignSettings
        {
            Code = code,
            Shape = new PassShape(6, 6),
            ErrorRates = [rate],
            Trials = trials,
            Seed = 3,
            Environment = new FaultEnvironment { NodeRates = nodes },
        }).Single();
        var expected = row.AnalyticSuccessRate!.Value;
        Assert.InRange(expected, 0.05, 0.995); // the test has power: failures are neither absent nor certain

        // Exact binomial acceptance region at false-alarm level 1e-4 per case (Clopper-Pearson duality).
        Assert.True(
            BinomialAcceptance.Holds(row.Counts.Successes, trials, expected, 1e-4),
            $"{scheme} {spread}: {row.Counts.Successes} of {trials} against the oracle's {expected}");
    }

    [Fact]
    public void The_default_environment_draws_exactly_what_a_single_rate_draws()
    {
        var settings = new RateCampaignSettings { Code = Gpd10, Shape = new PassShape(4, 4), ErrorRates = [0.3], Trials = 300, Seed = 4 };
        var plain = RateCampaign.Run(settings).Single();
        var listed = RateCampaign.Run(settings with { Environment = new FaultEnvironment { NodeRates = new ListedNodeRates(Enumerable.Repeat(0.3, 10).ToArray()) } }).Single();
        Assert.Equal(plain.AnalyticSuccessRate!.Value, listed.AnalyticSuccessRate!.Value, 1e-14);
        Assert.Equal(plain, RateCampaign.Run(settings with { Environment = new FaultEnvironment() }).Single());
    }
}
