using SoftErrorSim.Core.Training;

namespace SoftErrorSim.Core.Tests.Training;

/// <summary>
/// With every rate at zero, the simulated time of a run equals the cost model's closed form for the
/// fault-free protocol (SPEC 5), computed here from the network's shapes alone: every product,
/// encoding, all-gather (CodeNet: a reduce along each grid line, then an all-gather of the line
/// symbols), decode, update, storage check and checkpoint write of the run, and nothing else.
/// </summary>
public class SimulatedTimeTests
{
    private static readonly (Dataset Train, Dataset Test) Synthetic = SyntheticDataset.Generate(700, 20, 4, 5, spread: 0.35).Split(400, 300, 5);

    private static readonly int[] Widths = [20, 16, 12, 4];

    private static TrainingSettings Settings(TrainingScheme scheme) => new()
    {
        Scheme = scheme,
        Layers = Widths,
        LearningRate = 0.05,
        TrainSamples = 100,
        TestSamples = 50,
        Rounds = 2,
        NodeCount = 8,
        RowNodes = scheme == TrainingScheme.Mds ? 4 : null,
        ColumnNodes = scheme == TrainingScheme.Mds ? 4 : null,
        ErrorRate = 0,
        CheckpointEvery = 10,
        Points = SoftErrorSim.Core.Coding.EvaluationPointKind.Chebyshev,
    };

    [Theory]
    [InlineData(TrainingScheme.Gpd)]
    [InlineData(TrainingScheme.Mds)]
    [InlineData(TrainingScheme.Replication)]
    public void With_every_rate_zero_simulated_time_is_the_closed_form(TrainingScheme scheme)
    {
        var settings = Settings(scheme);
        var run = CodedTraining.Run(settings, Synthetic.Train, Synthetic.Test);
        var cost = settings.Cost;
        var (m, n) = (settings.RowSplit, settings.ColumnSplit);

        // Per layer: block R x C of the W padded to multiples of m and n.
        double step = 0, check = 0, storedWords = 0;
        for (var l = 0; l < Widths.Length - 1; l++)
        {
            var (rows, cols) = (Widths[l + 1], Widths[l]);
            var (paddedRows, paddedCols) = ((rows + m - 1) / m * m, (cols + n - 1) / n * n);
            var (r, c) = (paddedRows / m, paddedCols / n);
            storedWords += r * c;
            var (nodes, forwardSenders, backwardSenders) = scheme switch
            {
                TrainingScheme.Gpd => (8, 8, 8),
                TrainingScheme.Mds => (12, 8, 8),
                _ => (8, 8, 8), // replication: 2 copies of the 4 blocks
            };

            // The gather of a pass: GPD and replication all-gather every output; CodeNet reduces the n
            // (or m) partial products of each of its 4 grid lines in ceil(log2 2) = 1 step, then
            // all-gathers the 4 line symbols.
            double Gather(int senders, double words) => scheme == TrainingScheme.Mds
                ? (2 * cost.LinkLatencySeconds) + ((1 + 4) * words / cost.WordsPerSecond)
                : cost.LinkLatencySeconds + ((senders - 1) * words / cost.WordsPerSecond);

            // Decoding: GPD P^2 per output word (syndrome and interpolation), CodeNet Pr^2 (or Pc^2)
            // per line word, replication one pass over the copies.
            double Decode(double words) => scheme switch
            {
                TrainingScheme.Gpd => 2.0 * 8 * 8 * words,
                TrainingScheme.Mds => 2.0 * 4 * 4 * words,
                _ => 8 * words,
            };

            var encodeForward = scheme == TrainingScheme.Gpd ? 2.0 * paddedCols : 0;
            var encodeBackward = scheme == TrainingScheme.Gpd ? 2.0 * paddedRows : 0;
            var product = 2.0 * r * c;
            step += ((encodeForward + product + Decode(r)) / cost.FlopsPerSecond) + Gather(forwardSenders, r);
            if (l > 0)
            {
                step += ((encodeBackward + product + Decode(c)) / cost.FlopsPerSecond) + Gather(backwardSenders, c);
            }

            step += 2.0 * r * c / cost.FlopsPerSecond; // the coded update

            // A storage check: every node projects its block, the projections are all-gathered and decoded.
            check += ((2.0 * r * c) + (2.0 * nodes * nodes * r)) / cost.FlopsPerSecond;
            check += cost.LinkLatencySeconds + ((nodes - 1) * r / cost.WordsPerSecond);
        }

        var checkpoints = settings.TrainSamples / settings.CheckpointEvery;
        var write = cost.LinkLatencySeconds + (storedWords / cost.CheckpointWordsPerSecond);
        var expected = (settings.TrainSamples * step) + (checkpoints * (check + write));

        // The engine sums the same terms in another order: equal to rounding (1e-12 relative).
        Assert.Equal(expected, run.Rows[^1].SimulatedSeconds, expected * 1e-12);
        Assert.Equal(0, run.Rows[^1].Repairs + run.Rows[^1].Rollbacks + run.Rows[^1].FaultsInjected);
    }
}
