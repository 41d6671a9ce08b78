using MathNet.Numerics.LinearAlgebra;
using SoftErrorSim.Core.Coding;
using SoftErrorSim.Core.Randomness;
using SoftErrorSim.Core.Schemes;
using SoftErrorSim.Core.Statistics;
using SoftErrorSim.Core.Training;

namespace SoftErrorSim.Core.Tests.Training;

/// <summary>
/// The two training defects an independent run of CodeNet's own code exposed: a product site drawn
/// twice (faults at about 2 eps), and CodeNet blocks blamed by a backward decode rebuilt from a grid
/// column too short to rebuild from (a rollback where CodeNet repairs).
/// </summary>
public class FaultSiteTests
{
    private static readonly (Dataset Train, Dataset Test) Synthetic = SyntheticDataset.Generate(700, 20, 4, 5, spread: 0.35).Split(400, 300, 5);

    /// <summary>False-alarm level of each exact binomial check below: 1e-4, so any seed passes with probability 0.9999.</summary>
    private const double Alpha = 1e-4;

    public static TheoryData<TrainingScheme, int?, int?> Schemes => new()
    {
        { TrainingScheme.Gpd, null, null },
        { TrainingScheme.Mds, 6, 6 },
        { TrainingScheme.Uncoded, null, null },
    };

    [Theory]
    [MemberData(nameof(Schemes))]
    public void Every_fault_site_is_drawn_once_and_fault_counts_lie_in_the_binomial_region_of_sites_times_eps(TrainingScheme scheme, int? rowNodes, int? colNodes)
    {
        const double rate = 0.004;
        var settings = new TrainingSettings
        {
            Scheme = scheme,
            Layers = [20, 16, 12, 4],
            LearningRate = 0.05,
            TrainSamples = 400,
            TestSamples = 50,
            Rounds = 4,
            NodeCount = 12,
            RowNodes = rowNodes,
            ColumnNodes = colNodes,
            ErrorRate = rate,
            Fault = FaultKind.SparseWeight,
            Steps = FaultSteps.Product | FaultSteps.Update,
            CheckpointEvery = 20,
        };
        var run = CodedTraining.Run(settings, Synthetic.Train, Synthetic.Test);
        var last = run.Rows[^1];

        // Rollbacks re-execute steps and so add sites; these settings have none (checked), so the
        // sites are counted from the network and the scheme alone, independently of the injector.
        Assert.True(last.Rollbacks == 0, $"{last.Rollbacks} rollbacks, {last.Detected} detected, {last.FaultsInjected} faults, {last.Repairs} repairs");
        var (forwardNodes, backwardNodes, allNodes) = scheme switch
        {
            TrainingScheme.Gpd => (12, 12, 12),
            TrainingScheme.Mds => (6 * 2, 2 * 6, 20), // Pr n forward, m Pc backward, P = 4 + 8 + 8 in all
            _ => (4, 4, 4), // uncoded: the mn = 4 blocks on 4 nodes
        };
        var layers = settings.Layers.Count - 1;
        long productSites = settings.TrainSamples * ((layers * forwardNodes) + ((layers - 1) * backwardNodes));
        long updateSites = settings.TrainSamples * layers * allNodes;

        var product = run.FaultDraws.Single(d => d.Step == FaultSteps.Product);
        var update = run.FaultDraws.Single(d => d.Step == FaultSteps.Update);
        Assert.Equal(productSites, product.Opportunities);
        Assert.Equal(updateSites, update.Opportunities);
        Assert.Equal(last.FaultsInjected, product.Strikes + update.Strikes);
        Assert.True(BinomialAcceptance.Holds(product.Strikes, productSites, rate, Alpha), $"{product.Strikes} product faults in {productSites} sites at {rate}");
        Assert.True(BinomialAcceptance.Holds(update.Strikes, updateSites, rate, Alpha), $"{update.Strikes} update faults in {updateSites} sites at {rate}");
    }

    /// <summary>
    /// Grids (Pr, m, Pc, n) where a blamed grid column leaves fewer than m blocks on it
    /// (Pr - m &lt; m) or a blamed grid row fewer than n (Pc - n &lt; n), including CodeNet's own
    /// (7, 5, 6, 4).
    /// </summary>
    public static TheoryData<int, int, int, int> ShortLineGrids => new()
    {
        { 7, 5, 6, 4 },
        { 3, 2, 3, 2 },
        { 4, 3, 3, 2 },
        { 3, 2, 5, 3 },
        { 5, 2, 3, 2 },
    };

    [Theory]
    [MemberData(nameof(ShortLineGrids))]
    public void A_CodeNet_block_blamed_with_its_whole_grid_line_is_rebuilt_from_the_other_line_when_that_one_suffices(int rowNodes, int m, int colNodes, int n)
    {
        var configuration = new CodeConfiguration
        {
            Scheme = SchemeKind.Mds,
            NodeCount = CodeConfiguration.CodeNetNodeCount(rowNodes, m, colNodes, n),
            RowSplit = m,
            ColumnSplit = n,
            RowNodes = rowNodes,
            ColumnNodes = colNodes,
        };
        var random = new RandomSource(11);
        var weights = Matrix<double>.Build.Dense(3 * m, 2 * n, (_, _) => random.NextGaussian());
        var code = CodeNetMdsCode.From(configuration);
        var original = code.EncodeWeights(weights);
        var nodes = Enumerable.Range(0, code.NodeCount).ToArray();
        foreach (var node in nodes)
        {
            var (r, c) = code.Positions[node];
            var column = nodes.Where(p => code.Positions[p].GridColumn == c).ToArray();
            var row = nodes.Where(p => code.Positions[p].GridRow == r).ToArray();

            // A backward decode blames the m systematic blocks of a grid column, a forward decode
            // the n forward blocks of a grid row: what can rebuild the node is counted here from
            // the grid alone: a line rebuilds only from sources it can verify, at least K + 1 of
            // its symbols (K of them would be trusted blindly).
            foreach (var bad in new[] { column.Where(p => code.Positions[p].GridRow < m).ToHashSet(), row.Where(p => code.Positions[p].GridColumn < n).ToHashSet() })
            {
                if (!bad.Contains(node))
                {
                    continue;
                }

                var fromColumn = c < n && column.Count(p => !bad.Contains(p)) >= m + 1;
                var fromRow = r < m && row.Count(p => !bad.Contains(p)) >= n + 1;
                var layer = new CodeNetLayer(code, weights);
                Array.Clear(layer.Stored[node]);
                layer.Stored[node][0] = 1e3;
                Assert.Equal(fromColumn || fromRow, layer.RebuildNode(node, bad));
                if (fromColumn || fromRow)
                {
                    // Tolerance: a least-squares combination of at most 7 blocks of O(1) entries, 1e-10.
                    var expected = original[node];
                    Assert.True(layer.Stored[node].Select((v, i) => Math.Abs(v - expected[i])).Max() < 1e-10, $"node {node} at ({r}, {c}) rebuilt wrongly");
                }
            }
        }
    }

    [Fact]
    public void On_CodeNets_grid_a_fault_in_a_backward_product_is_repaired_without_a_rollback()
    {
        // Grid (7, 5, 6, 4): a backward decode blames a whole grid column, whose 2 parity blocks
        // cannot rebuild its 5 systematic blocks; their grid rows can.
        var settings = new TrainingSettings
        {
            Scheme = TrainingScheme.Mds,
            Layers = [20, 16, 12, 4],
            LearningRate = 0.05,
            TrainSamples = 100,
            TestSamples = 50,
            Rounds = 2,
            NodeCount = 38,
            RowSplit = 5,
            ColumnSplit = 4,
            RowNodes = 7,
            ColumnNodes = 6,
            Fault = FaultKind.Gaussian,
            CheckpointEvery = 10,
        };
        var run = CodedTraining.Run(settings, Synthetic.Train, Synthetic.Test, site =>
            site is { Sample: 7, Layer: 1, Forward: false, Node: 2, Step: FaultSteps.Product });
        var last = run.Rows[^1];
        Assert.Equal(1, last.FaultsInjected);
        Assert.Equal(0, last.Rollbacks + last.Detected + last.Miscorrected);
        Assert.Equal(1, last.Corrected);
        Assert.Equal(5, last.Repairs); // the m = 5 blocks of the blamed grid column
        var reference = CodedTraining.Run(settings with { Scheme = TrainingScheme.FaultFree, NodeCount = 20 }, Synthetic.Train, Synthetic.Test);
        Assert.Equal(reference.Rows[^1].Loss, last.Loss, 1e-8);
    }
}
