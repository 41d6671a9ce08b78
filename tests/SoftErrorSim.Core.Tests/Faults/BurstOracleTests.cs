using SoftErrorSim.Core.Coding;
using SoftErrorSim.Core.Decoding;
using SoftErrorSim.Core.Faults;
using SoftErrorSim.Core.MonteCarlo;
using SoftErrorSim.Core.Schemes;
using SoftErrorSim.Core.Statistics;

namespace SoftErrorSim.Core.Tests.Faults;

public class BurstOracleTests
{
    public static TheoryData<string, int> Cases => new()
    {
        { "gpd", 2 },
        { "gpd", 3 },
        { "replication", 2 },
        { "replication", 4 },
        { "mds", 2 },
    };

    private static CodeConfiguration Code(string scheme) => scheme switch
    {
        "gpd" => new CodeConfiguration { Scheme = SchemeKind.Gpd, NodeCount = 10, RowSplit = 2, ColumnSplit = 2 },
        "replication" => new CodeConfiguration { Scheme = SchemeKind.Replication, NodeCount = 8, RowSplit = 2, ColumnSplit = 2 },
        _ => new CodeConfiguration { Scheme = SchemeKind.Mds, RowSplit = 2, ColumnSplit = 2, RowNodes = 3, ColumnNodes = 3, NodeCount = CodeConfiguration.CodeNetNodeCount(3, 2, 3, 2) },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Burst_oracle_equals_enumeration_of_every_burst_and_erring_set(string scheme, int burstSize)
    {
        var code = Code(scheme);
        const double burst = 0.3;
        var settings = new RateCampaignSettings
        {
            Code = code,
            ErrorRates = [0.1],
            Environment = new FaultEnvironment { NodeRates = new OutlierNodeRates(1, 3), BurstRate = burst, BurstSize = burstSize },
        };
        var rates = CampaignFaults.NodeRates(settings, 0.1)!;
        var (units, tolerance) = NodeRateOracle.Layout(code, PassKind.Forward, ErrorModelKind.Gaussian, DecoderKind.ProbabilityOne)!.Value;
        var racks = code.NodeCount / burstSize;

        // Every burst outcome (none, or rack r = nodes [rG, rG + G)) times every independent erring set.
        double failure = 0;
        for (var outcome = -1; outcome < racks; outcome++)
        {
            var weight = outcome < 0 ? 1 - burst : burst / racks;
            var rackMask = outcome < 0 ? 0 : ((1 << burstSize) - 1) << (outcome * burstSize);
            for (var set = 0; set < 1 << code.NodeCount; set++)
            {
                var probability = weight;
                for (var p = 0; p < code.NodeCount; p++)
                {
                    probability *= (set >> p & 1) == 1 ? rates[p] : 1 - rates[p];
                }

                var wrong = set | rackMask;
                if (units.Any(symbols => symbols.Count(nodes => nodes.Any(p => (wrong >> p & 1) == 1)) > tolerance))
                {
                    failure += probability;
                }
            }
        }

        var (success, analyticFailure) = CampaignFaults.Analytic(settings, 0.1);

        // Sums of a few thousand products of ten factors: 1e-13 absolute.
        Assert.Equal(failure, analyticFailure!.Value, 1e-13);
        Assert.Equal(1 - failure, success!.Value, 1e-13);
    }

    [Theory]
    [InlineData("gpd")]
    [InlineData("replication")]
    public void Monte_Carlo_with_bursts_lies_in_the_exact_acceptance_region_of_the_oracle(string scheme)
    {
        // GPD P = 8 (t = 2) with bursts of 2 on top of 0.05; replication P = 16 (4 copies, t = 2) with racks of 4 that hold one copy of every block.
        var code = scheme == "gpd"
            ? new CodeConfiguration { Scheme = SchemeKind.Gpd, NodeCount = 8, RowSplit = 2, ColumnSplit = 2 }
            : new CodeConfiguration { Scheme = SchemeKind.Replication, NodeCount = 16, RowSplit = 2, ColumnSplit = 2 };
        const int trials = 4000;
        var row = RateCampaign.Run(new RateCampaignSettings
        {
            Code = code,
            Shape = new PassShape(6, 6),
            ErrorRates = [scheme == "gpd" ? 0.05 : 0.1],
            Trials = trials,
            Seed = 8,
            Environment = new FaultEnvironment { BurstRate = 0.2, BurstSize = scheme == "gpd" ? 2 : 4 },
        }).Single();
        var expected = row.AnalyticSuccessRate!.Value;
        Assert.InRange(expected, 0.05, 0.995);

        // Exact binomial acceptance region at false-alarm level 1e-4.
        Assert.True(BinomialAcceptance.Holds(row.Counts.Successes, trials, expected, 1e-4), $"{scheme}: {row.Counts.Successes} of {trials} against {expected}");
    }
}
