using SoftErrorSim.Core.Schemes;

namespace SoftErrorSim.Core.Training;

/// <summary>
/// The accounting of a training run: decode outcomes, repairs, rollbacks and faults, and the cost
/// model's simulated time, per-node arithmetic and words sent (SPEC 5, "Simulated time").
/// </summary>
internal sealed class Ledger
{
    private readonly CostModel _cost;
    private readonly double _slowestFlopsPerSecond;

    public Ledger(CostModel cost, int nodeCount)
    {
        _cost = cost;
        _slowestFlopsPerSecond = cost.SlowestFlopsPerSecond;
        NodeFlops = new double[nodeCount];
    }

    public long Decodes { get; set; }

    public long Clean { get; set; }

    public long Corrected { get; set; }

    public long Detected { get; set; }

    public long Miscorrected { get; set; }

    public long Repairs { get; set; }

    public long Rollbacks { get; set; }

    public long Faults { get; set; }

    public double SimulatedSeconds { get; private set; }

    public double WordsSent { get; private set; }

    /// <summary>Arithmetic per node.</summary>
    public double[] NodeFlops { get; }

    /// <summary>Where the spans of traced steps go (null: no trace).</summary>
    public TimelineRecorder? Timeline { get; set; }

    /// <summary>
    /// Every node of a step computes in parallel: the step takes the arithmetic of one node, at the
    /// slowest node's speed. <paramref name="nodes"/> (every node when null) only says whose span a
    /// trace shows.
    /// </summary>
    public void Compute(double flops, TimelineActivity activity = TimelineActivity.Compute, IEnumerable<int>? nodes = null)
    {
        Timeline?.Compute(activity, SimulatedSeconds, flops, nodes);
        SimulatedSeconds += flops / _slowestFlopsPerSecond;
    }

    /// <summary>A collective step: its latencies and the words on its critical path take time; all its words count as sent.</summary>
    public void Communicate(Traffic traffic, TimelineActivity activity = TimelineActivity.AllGather)
    {
        WordsSent += traffic.TotalWords;
        var seconds = (traffic.Latencies * _cost.LinkLatencySeconds) + (traffic.CriticalWords / _cost.WordsPerSecond);
        Timeline?.Everyone(activity, SimulatedSeconds, seconds);
        SimulatedSeconds += seconds;
    }

    /// <summary>Time spent moving every stored block to or from checkpoint storage.</summary>
    public void Transfer(double seconds, TimelineActivity activity = TimelineActivity.Checkpoint)
    {
        Timeline?.Everyone(activity, SimulatedSeconds, seconds);
        SimulatedSeconds += seconds;
    }

    /// <summary>The round's row.</summary>
    public TrainingRow Row(string scheme, int round, long samples, double loss, double testLoss, double accuracy) =>
        new(scheme, round, samples, loss, testLoss, accuracy, Decodes, Clean, Corrected, Detected, Miscorrected, Repairs, Rollbacks, Faults, SimulatedSeconds, NodeFlops.Sum(), WordsSent);
}
