using SoftErrorSim.Core.Faults;
using SoftErrorSim.Core.Randomness;
using SoftErrorSim.Core.Training;

namespace SoftErrorSim.Core.Tests.Training;

/// <summary>The fault log's verdicts detected and rolled-back (SPEC 3): a fault that fed a detected decode against one a rollback merely undid.</summary>
public class FaultVerdictTests
{
    private static readonly (Dataset Train, Dataset Test) Synthetic = SyntheticDataset.Generate(230, 12, 4, 7).Split(200, 30, 7);

    private static TrainingSettings Replication(double errorRate) => new()
    {
        Scheme = TrainingScheme.Replication,
        Layers = [12, 10, 10, 4],
        TrainSamples = 200,
        TestSamples = 30,
        Rounds = 2,
        NodeCount = 8, // r = 2 copies of the mn = 4 blocks: copies that disagree can only be detected
        ErrorRate = errorRate,
        Fault = FaultKind.Gaussian,
        Steps = FaultSteps.Product | FaultSteps.Update,
        CheckpointEvery = 5,
    };

    [Fact]
    public void With_two_copies_every_fault_is_detected_and_each_rollback_has_its_detected_faults()
    {
        var run = CodedTraining.Run(Replication(0.002), Synthetic.Train, Synthetic.Test);
        var last = run.Rows[^1];
        Assert.True(last.Rollbacks >= 5, $"only {last.Rollbacks} rollbacks: the test needs detections");

        // Two copies cannot correct: every gaussian fault makes its copies disagree at the next
        // decode of its layer (products: this one; stored blocks: the next) or at the storage check
        // before a checkpoint, and the step is rolled back there.
        Assert.All(run.FaultLog, f => Assert.Equal(FaultVerdict.Detected, f.Verdict));

        // Each rollback (counted by the run, not the log) ends a step in which detected faults struck.
        Assert.Equal(last.Rollbacks, run.FaultLog.Select(f => f.Step).Distinct().Count());
    }

    [Fact]
    public void A_fault_undone_by_a_rollback_it_did_not_cause_is_rolled_back_not_detected()
    {
        // Replayed: an update fault corrupts node 2's stored block of layer 2 in step 3; in step 4
        // node 5's first forward product errs, its decode is detected before layer 2 is decoded, and
        // the run rolls back. Only the product fault fed the detected decode.
        var state = StreamKey.Source(1, 2).StateText;
        FaultRecord[] faults =
        [
            new(3, 3, 2, false, 2, FaultSteps.Update, ErrorModelKind.Gaussian, string.Empty, FaultVerdict.Masked, state),
            new(4, 4, 0, true, 5, FaultSteps.Product, ErrorModelKind.Gaussian, string.Empty, FaultVerdict.Masked, state),
        ];
        var run = CodedTraining.Run(Replication(0) with { ReplayFaults = faults, CheckpointEvery = 50 }, Synthetic.Train, Synthetic.Test);
        Assert.Equal(1, run.Rows[^1].Rollbacks);
        Assert.Equal(1, run.Rows[^1].Detected);
        Assert.Equal([FaultVerdict.RolledBack, FaultVerdict.Detected], run.FaultLog.Select(f => f.Verdict));
        Assert.Equal("detected", FaultRecord.Name(FaultVerdict.Detected));
    }
}
