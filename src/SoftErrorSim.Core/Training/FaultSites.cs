using System.Numerics;
using SoftErrorSim.Core.Faults;
using SoftErrorSim.Core.Randomness;

namespace SoftErrorSim.Core.Training;

/// <summary>Where a fault could strike: the sample (attempt), the step kind, the layer, the direction and the node.</summary>
internal readonly record struct FaultSite(int Sample, FaultSteps Step, int Layer, bool Forward, int Node);

/// <summary>
/// The fault environment of a training run (SPEC 3): every node draws from its own stream, exactly
/// once per site where a fault of an enabled step kind could strike, at the configured rate (or
/// exactly where a test forces it). Every draw and every strike is counted per node and step kind,
/// so that a run can show its fault count is what its rate predicts.
/// </summary>
internal sealed class FaultSites
{
    /// <summary>The number of step kinds in <see cref="FaultSteps"/> (one bit each).</summary>
    public const int StepKinds = 6;

    private readonly RandomSource[] _streams;
    private readonly double _rate;
    private readonly FaultSteps _steps;
    private readonly Func<FaultSite, bool>? _forced;
    private readonly long[] _opportunities;
    private readonly long[] _strikes;

    public FaultSites(int nodeCount, ulong seed, double rate, FaultSteps steps, ErrorValueModel model, Func<FaultSite, bool>? forced)
    {
        _streams = Enumerable.Range(0, nodeCount).Select(p => StreamKey.Source(seed, StreamKey.Hash("node-faults"), (ulong)p)).ToArray();
        _rate = rate;
        _steps = steps;
        Model = model;
        _forced = forced;
        _opportunities = new long[nodeCount * StepKinds];
        _strikes = new long[nodeCount * StepKinds];
    }

    /// <summary>What a fault does (the one fault injector's model).</summary>
    public ErrorValueModel Model { get; }

    /// <summary>Whether any fault can strike this step kind at all (a run at rate zero is the golden run).</summary>
    public bool Enabled(FaultSteps step) => _forced is not null || (_rate > 0 && (_steps & step) != 0);

    /// <summary>Node's own fault stream (what a struck site draws its fault's details from).</summary>
    public RandomSource Stream(int node) => _streams[node];

    /// <summary>One draw for one site: whether a fault strikes it. Thread-safe across nodes (each node's counters are its own).</summary>
    public bool Strikes(in FaultSite site)
    {
        if (_forced is not null)
        {
            return _forced(site);
        }

        if (!(_rate > 0) || (_steps & site.Step) == 0)
        {
            return false;
        }

        var slot = (site.Node * StepKinds) + BitOperations.Log2((uint)site.Step);
        _opportunities[slot]++;
        var struck = _streams[site.Node].NextDouble() < _rate;
        if (struck)
        {
            _strikes[slot]++;
        }

        return struck;
    }

    /// <summary>
    /// A fault on a vector a node holds (an encoded input, an output, a local copy): the model's
    /// effect, gaussian errors scaled to the vector's own RMS.
    /// </summary>
    public void StrikeVector(Span<double> words, int node) =>
        FaultInjector.Strike(words, Model, Model.Kind == ErrorModelKind.Gaussian ? FaultInjector.RootMeanSquare(words) : 0, _streams[node]);

    /// <summary>All draws so far.</summary>
    public long Opportunities => _opportunities.Sum();

    /// <summary>Per step kind: draws and strikes.</summary>
    public IReadOnlyList<FaultDrawCount> Draws() => Enumerable.Range(0, StepKinds)
        .Select(k => new FaultDrawCount(
            (FaultSteps)(1 << k),
            Enumerable.Range(0, _streams.Length).Sum(p => _opportunities[(p * StepKinds) + k]),
            Enumerable.Range(0, _streams.Length).Sum(p => _strikes[(p * StepKinds) + k])))
        .Where(c => c.Opportunities > 0)
        .ToArray();
}
