using SoftErrorSim.Core.Training;

namespace SoftErrorSim.Core.Tests.Training;

/// <summary>
/// The paths only full-size layers take (a shadow of at least 1M words shares its reference pass
/// among the threads): a run is the same, word for word, on one thread and on two, with faults
/// that make every decode outcome and repair happen.
/// </summary>
public class FullSizePathTests
{
    [Theory]
    [InlineData(TrainingScheme.Gpd)]
    [InlineData(TrainingScheme.Mds)]
    [InlineData(TrainingScheme.Replication)]
    public void A_run_with_a_million_word_layer_is_the_same_on_one_and_two_threads(TrainingScheme scheme)
    {
        // 1024 x 1100 = 1.13M words: above the parallel threshold; a few steps keep it fast.
        var (train, test) = SyntheticDataset.Generate(14, 1100, 4, 2).Split(8, 6, 2);
        var settings = new TrainingSettings
        {
            Scheme = scheme,
            Layers = [1100, 1024, 4],
            TrainSamples = 8,
            TestSamples = 6,
            Rounds = 2,
            CheckpointEvery = 2,
            NodeCount = 12,
            RowNodes = scheme == TrainingScheme.Mds ? 3 : null,
            ColumnNodes = scheme == TrainingScheme.Mds ? 4 : null,
            ErrorRate = 0.05,
            Fault = FaultKind.Gaussian,
            BackwardFirstLayer = true,
            Biases = true,
        };
        var one = CodedTraining.Run(settings with { Threads = 1 }, train, test);
        var two = CodedTraining.Run(settings with { Threads = 2 }, train, test);

        Assert.Equal(one.Rows, two.Rows);
        Assert.True(one.Rows[^1].FaultsInjected > 0, "faults must strike for the check to mean anything");
    }
}
