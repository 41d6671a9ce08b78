namespace SoftErrorSim.Core.Training;

/// <summary>What a node spends simulated time on (SPEC 5, the timeline): one kind per span of a trace.</summary>
public enum TimelineActivity
{
    /// <summary>A coded product with the encoding of its operand.</summary>
    Compute,

    /// <summary>The all-gather of a pass's coded outputs (CodeNet: reduce within a grid row, then all-gather).</summary>
    AllGather,

    /// <summary>The node's own decode of the all-gathered outputs.</summary>
    Decode,

    /// <summary>A blamed block rebuilt: the source blocks fetched and the interpolation.</summary>
    Repair,

    /// <summary>A check of the stored blocks (before a checkpoint, and of a repair's sources): projections, their all-gather and decode.</summary>
    StorageCheck,

    /// <summary>The coded SGD update of the stored blocks.</summary>
    Update,

    /// <summary>A verified checkpoint written: every node's stored blocks moved to storage.</summary>
    Checkpoint,

    /// <summary>A rollback: every node's stored blocks read back from the last checkpoint.</summary>
    Rollback,
}

/// <summary>
/// The steps a trace covers, <see cref="FirstStep"/> to <see cref="LastStep"/> inclusive, numbered
/// as faults.csv numbers them (from 0, re-executed steps after a rollback counted again). A trace
/// grows with every step traced, so it is bounded to a window.
/// </summary>
public readonly record struct TraceWindow(long FirstStep, long LastStep)
{
    /// <summary>Steps traced when no window is given: the first 100 (about 2 KB per node and step for a three-layer network: 1.5 MB for 100 steps on 8 nodes).</summary>
    public static TraceWindow Default => new(0, 99);

    /// <summary>Whether the window holds <paramref name="step"/>.</summary>
    public bool Contains(long step) => step >= FirstStep && step <= LastStep;
}

/// <summary>One node's span of simulated time: from <see cref="StartSeconds"/> for <see cref="DurationSeconds"/>, in step <see cref="Step"/>.</summary>
public sealed record TimelineSpan(long Step, TimelineActivity Activity, int Node, double StartSeconds, double DurationSeconds);

/// <summary>An injected fault and the simulated time at which it struck.</summary>
public sealed record TimelineFault(FaultRecord Fault, double Seconds);

/// <summary>A run's timeline inside its window: every node's spans and every fault, in simulated seconds from the run's start.</summary>
public sealed record Timeline(TraceWindow Window, int NodeCount, IReadOnlyList<TimelineSpan> Spans, IReadOnlyList<TimelineFault> Faults);

/// <summary>
/// Collects the spans of the steps inside a window as the ledger charges them. A node's arithmetic
/// span lasts its own flops over its own speed; the step waits for the slowest node, so faster
/// nodes show idle gaps. Communication and checkpoint transfers occupy every node alike.
/// </summary>
internal sealed class TimelineRecorder(TraceWindow window, CostModel cost, int nodeCount, Func<long> currentStep)
{
    private readonly List<TimelineSpan> _spans = [];

    public TraceWindow Window => window;

    /// <summary>Records arithmetic of <paramref name="flops"/> per node on <paramref name="nodes"/> (every node when null) from <paramref name="start"/>.</summary>
    public void Compute(TimelineActivity activity, double start, double flops, IEnumerable<int>? nodes)
    {
        var step = currentStep();
        if (!window.Contains(step) || !(flops > 0))
        {
            return;
        }

        foreach (var p in nodes ?? Enumerable.Range(0, nodeCount))
        {
            var speed = cost.NodeFlopsPerSecond is { Count: > 0 } speeds ? speeds[p] : cost.FlopsPerSecond;
            _spans.Add(new TimelineSpan(step, activity, p, start, flops / speed));
        }
    }

    /// <summary>Records a span every node spends alike (communication, checkpoint transfers).</summary>
    public void Everyone(TimelineActivity activity, double start, double seconds)
    {
        var step = currentStep();
        if (!window.Contains(step) || !(seconds > 0))
        {
            return;
        }

        for (var p = 0; p < nodeCount; p++)
        {
            _spans.Add(new TimelineSpan(step, activity, p, start, seconds));
        }
    }

    /// <summary>The timeline, with the faults (verdicts settled) of the steps in the window.</summary>
    public Timeline Finish(IEnumerable<TimelineFault> faults) =>
        new(window, nodeCount, _spans, faults.Where(f => window.Contains(f.Fault.Step)).ToArray());
}
