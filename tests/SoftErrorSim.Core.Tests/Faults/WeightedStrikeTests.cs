using SoftErrorSim.Core.Coding;
using SoftErrorSim.Core.Faults;
using SoftErrorSim.Core.MonteCarlo;
using SoftErrorSim.Core.Statistics;

namespace SoftErrorSim.Core.Tests.Faults;

public class WeightedStrikeTests
{
    [Fact]
    public void Node_rates_weight_which_nodes_an_exact_count_strikes()
    {
        // Replication P = 12 (3 copies of 4 blocks; block b on nodes b, b + 4, b + 8): two errors are
        // corrected unless they strike the same block (then no two copies agree). Nodes 4 and 8 (two
        // copies of block 0) at odds 100, the others at 1: a pair's weight is its odds product, so of
        // the total 100 x 100 + 2 x 10 x 100 + C(10, 2) = 12045 the pairs sharing a block weigh
        // 10000 ({4, 8}) + 2 x 100 ({0, 4}, {0, 8}) + 3 x 3 = 10209 (unweighted: 12 / 66 = 0.18).
        var code = new CodeConfiguration { Scheme = SchemeKind.Replication, NodeCount = 12, RowSplit = 2, ColumnSplit = 2 };
        var odds = Enumerable.Repeat(1.0, 12).ToArray();
        (odds[4], odds[8]) = (100, 100);
        const int trials = 3000;
        var row = DecodeCampaign.Run(new DecodeCampaignSettings
        {
            Code = code,
            Shape = new PassShape(4, 4),
            MinErrors = 2,
            MaxErrors = 2,
            Trials = trials,
            Seed = 5,
            NodeRates = new ListedNodeRates(odds.Select(w => w / (1 + w)).ToArray()),
        }).Rows.Single();
        var success = 1 - (10209.0 / 12045);

        // Exact binomial acceptance at 1e-4, for the campaign and for the sampler's share of pairs holding node 4
        // (10000 + 10 x 100 of 12045).
        Assert.True(BinomialAcceptance.Holds(row.Counts.Successes, trials, success, 1e-4), $"{row.Counts.Successes} of {trials} corrected, expected {success}");
        var weights = NodeErrorRates.PerNode(odds.Select(w => w / (1 + w)).ToArray());
        var random = new SoftErrorSim.Core.Randomness.RandomSource(9);
        var positions = new int[2];
        var withFour = 0;
        for (var t = 0; t < trials; t++)
        {
            weights.Sample(2, random, positions);
            withFour += positions.Contains(4) ? 1 : 0;
        }

        Assert.True(BinomialAcceptance.Holds(withFour, trials, 11000.0 / 12045, 1e-4), $"{withFour} of {trials} pairs hold node 4");
    }
}
