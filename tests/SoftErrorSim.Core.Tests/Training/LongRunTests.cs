using SoftErrorSim.Core.Training;

namespace SoftErrorSim.Core.Tests.Training;

/// <summary>
/// Long runs stay honest (issue 11, 1c): over 20,000 SGD steps with sparse-weight or gaussian faults
/// in products and updates, no coded scheme ever accepts a wrong decode, every corrected decode and
/// every repair is paid for by a fault, and without faults the coded updates do not drift the
/// stored codes out of consistency (no scrubbing is needed at this length).
/// </summary>
public class LongRunTests
{
    private static readonly (Dataset Train, Dataset Test) Data = SyntheticDataset.Generate(20_300, 20, 4, 5, spread: 0.35).Split(20_000, 300, 5);

    private static TrainingSettings Settings(TrainingScheme scheme, FaultKind fault, double rate) => new()
    {
        Scheme = scheme,
        Layers = [20, 16, 12, 4],
        LearningRate = 0.02,
        TrainSamples = 20_000,
        TestSamples = 300,
        Rounds = 10,
        NodeCount = 12,
        RowNodes = scheme == TrainingScheme.Mds ? 4 : null,
        ColumnNodes = scheme == TrainingScheme.Mds ? 4 : null,
        ErrorRate = rate,
        Fault = fault,
        Steps = FaultSteps.Product | FaultSteps.Update,
        CheckpointEvery = 20,
    };

    public static TheoryData<TrainingScheme, FaultKind> Cases()
    {
        var data = new TheoryData<TrainingScheme, FaultKind>();
        foreach (var fault in new[] { FaultKind.SparseWeight, FaultKind.Gaussian })
        {
            foreach (var scheme in new[] { TrainingScheme.Gpd, TrainingScheme.Mds, TrainingScheme.Replication })
            {
                data.Add(scheme, fault);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Twenty_thousand_steps_with_faults_accept_no_wrong_decode_and_correct_no_more_than_the_faults(TrainingScheme scheme, FaultKind fault)
    {
        var run = CodedTraining.Run(Settings(scheme, fault, 1e-3), Data.Train, Data.Test);
        Assert.Null(run.Stopped);
        var last = run.Rows[^1];
        Assert.True(last.FaultsInjected > 1000, $"{last.FaultsInjected} faults");
        Assert.Equal(0, last.Miscorrected);

        // A corrected decode needs a fault behind it; a fault is repaired once, on every node of the
        // line the decoder blames (CodeNet's lines here hold 2 nodes, replication's groups 1).
        Assert.InRange(last.Corrected, 1, last.FaultsInjected);
        Assert.InRange(last.Repairs, 1, (scheme == TrainingScheme.Mds ? 2 : 1) * last.FaultsInjected);

        // Rollbacks come only from faults the scheme cannot locate (two in one decode, a replica
        // group without a majority): at eps = 1e-3 far fewer than 1 in 50 faults.
        Assert.InRange(last.Rollbacks, 0, last.FaultsInjected / 50);
        Assert.True(last.TestAccuracy > 0.95, $"accuracy {last.TestAccuracy}");
    }

    [Theory]
    [InlineData(TrainingScheme.Gpd)]
    [InlineData(TrainingScheme.Mds)]
    public void Twenty_thousand_fault_free_coded_updates_keep_the_stored_code_consistent(TrainingScheme scheme)
    {
        // Every checkpoint's storage check is strict (a residual above the rounding floor is blamed
        // or refused); rounding drift of the coded updates would show as repairs or rollbacks.
        var run = CodedTraining.Run(Settings(scheme, FaultKind.Gaussian, 0), Data.Train, Data.Test);
        var last = run.Rows[^1];
        Assert.Equal(0, last.Repairs + last.Rollbacks + last.Detected + last.Miscorrected + last.Corrected);
        Assert.Equal(last.Decodes, last.Clean);
    }
}
