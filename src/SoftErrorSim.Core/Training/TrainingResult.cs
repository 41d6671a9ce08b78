using SoftErrorSim.Core.Faults;

namespace SoftErrorSim.Core.Training;

/// <summary>One round of a training run: the model's quality and everything the cluster did.</summary>
public sealed record TrainingRow(
    string Scheme,
    int Round,
    long SamplesSeen,
    double Loss,
    double TestLoss,
    double TestAccuracy,
    long Decodes,
    long Clean,
    long Corrected,
    long Detected,
    long Miscorrected,
    long Repairs,
    long Rollbacks,
    long FaultsInjected,
    double SimulatedSeconds,
    double Flops,
    double WordsSent);

/// <summary>The fault draws of one step kind over a run: each is one Bernoulli(eps) trial of one node at one site.</summary>
public sealed record FaultDrawCount(FaultSteps Step, long Opportunities, long Strikes);

/// <summary>A whole run: its rows, the thresholds its decodes used, and what the run had to adapt or gave up on.</summary>
public sealed record TrainingResult(
    TrainingSettings Settings,
    IReadOnlyList<TrainingRow> Rows,
    int NodeCount,
    int ForwardThreshold,
    int BackwardThreshold,
    IReadOnlyList<string> Notes,
    string? Stopped)
{
    /// <summary>Simulated time of one checkpoint write or restore (the cost model's checkpoint bandwidth).</summary>
    public double CheckpointTransferSeconds { get; init; }

    /// <summary>How many fault draws the run made (sites where a fault could strike, re-executed steps included).</summary>
    public long FaultOpportunities { get; init; }

    /// <summary>Per step kind: the draws made and how many struck (the injector's own record, against which its rate is checked).</summary>
    public IReadOnlyList<FaultDrawCount> FaultDraws { get; init; } = [];

    /// <summary>Every injected fault with its verdict (SPEC 3, the fault log); as many as the run's faults injected.</summary>
    public IReadOnlyList<FaultRecord> FaultLog { get; init; } = [];

    /// <summary>Per step kind: whether the injector's count lies in the exact acceptance region of the configured rates.</summary>
    public IReadOnlyList<InjectorCheck> InjectorChecks { get; init; } = [];

    /// <summary>The timeline of the traced steps (null when the run was not traced).</summary>
    public Timeline? Timeline { get; init; }

    /// <summary>Every decode that blamed nodes, in order: where it happened and whom it blamed (for targeted tests).</summary>
    internal IReadOnlyList<BlameEvent> Blames { get; init; } = [];
}

/// <summary>A decode (or storage check, Layer -1 direction false) that blamed nodes.</summary>
internal sealed record BlameEvent(int Sample, int Layer, bool Forward, IReadOnlyList<int> Nodes);

/// <summary>Progress of a training run.</summary>
public readonly record struct TrainingProgress(long SamplesDone, long SamplesTotal, long Rollbacks);
