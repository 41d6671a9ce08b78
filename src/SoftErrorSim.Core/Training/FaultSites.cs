using System.Globalization;
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
/// so that a run can show its fault count is what its rate predicts. Bursts (SPEC 3) are drawn
/// from a stream of their own, once per coded product (every forward and backward product of every
/// layer, re-executions included): with the burst rate one rack of adjacent nodes [rG, rG + G),
/// chosen uniformly, has its product struck on top of the independent faults, exactly as a
/// decode campaign strikes a decode's outputs; a node struck by both is one fault. What a burst's
/// fault does is drawn from a stream of that burst and node, not from the node's own, so that the
/// independent faults of a run with bursts are exactly those of the same run without them.
/// </summary>
internal sealed class FaultSites
{
    /// <summary>The number of step kinds in <see cref="FaultSteps"/> (one bit each).</summary>
    public const int StepKinds = 6;

    private readonly RandomSource[] _streams;
    private readonly double[] _rates;
    private readonly FaultSteps _steps;
    private readonly Func<FaultSite, bool>? _forced;
    private readonly long[] _opportunities;
    private readonly long[] _strikes;
    private readonly bool _checked;
    private readonly List<LoggedFault>[] _log;
    private readonly Dictionary<(long Step, FaultSteps Kind, int Layer, bool Forward, int Node), (string State, FaultCause Cause)>? _replay;
    private readonly FaultEnvironment? _bursts;
    private readonly RandomSource? _burstStream;
    private readonly IReadOnlyList<int[]> _racks = [];
    private readonly bool[] _inBurst;
    private readonly RandomSource?[] _held;
    private readonly ulong _seed;
    private long _burstDraws;
    private long _burstCount;
    private readonly FaultSteps _replaySteps;
    private long _step = -1;
    private int _sample;

    /// <summary>
    /// The sites of a run. <paramref name="rates"/> holds every node's rate of every step kind,
    /// [node * <see cref="StepKinds"/> + kind]; <paramref name="replay"/>, when given, strikes
    /// exactly its faults and no others, each from the stream state it was recorded with.
    /// </summary>
    public FaultSites(int nodeCount, ulong seed, double[] rates, FaultSteps steps, ErrorValueModel model, Func<FaultSite, bool>? forced, bool isChecked, IReadOnlyList<FaultRecord>? replay, FaultEnvironment? bursts = null)
    {
        _inBurst = new bool[nodeCount];
        _held = new RandomSource?[nodeCount];
        _seed = seed;
        if (bursts is { BurstRate: > 0 } && forced is null && replay is null)
        {
            _bursts = bursts;
            _burstStream = StreamKey.Source(seed, StreamKey.Hash("bursts"));
            _racks = bursts.Racks(nodeCount);
        }

        _streams = Enumerable.Range(0, nodeCount).Select(p => StreamKey.Source(seed, StreamKey.Hash("node-faults"), (ulong)p)).ToArray();
        _rates = rates;
        _steps = steps;
        Model = model;
        _forced = forced;
        _checked = isChecked;
        _opportunities = new long[nodeCount * StepKinds];
        _strikes = new long[nodeCount * StepKinds];
        _log = Enumerable.Range(0, nodeCount).Select(_ => new List<LoggedFault>()).ToArray();
        if (replay is not null)
        {
            _replay = [];
            foreach (var fault in replay)
            {
                if (fault.Node < 0 || fault.Node >= nodeCount || !_replay.TryAdd((fault.Step, fault.Kind, fault.Layer, fault.Forward, fault.Node), (fault.StreamState, fault.Cause)))
                {
                    throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"‹replay-faults›: the fault at step {fault.Step}, node {fault.Node} is out of range or listed twice"));
                }

                _replaySteps |= fault.Kind;
            }
        }
    }

    /// <summary>The simulated time a fault strikes at (for the timeline; zero when no clock is set).</summary>
    public Func<double>? Clock { get; set; }

    /// <summary>The step of the run now, numbered as the fault log numbers it (-1 before the first).</summary>
    public long Step => _step;

    /// <summary>What a fault does (the one fault injector's model).</summary>
    public ErrorValueModel Model { get; }

    /// <summary>Whether any fault can strike this step kind at all (a run at rate zero is the golden run).</summary>
    public bool Enabled(FaultSteps step) =>
        _forced is not null || (_replay is not null ? (_replaySteps & step) != 0 : (_steps & step) != 0 && RateOfKindPositive(step));

    /// <summary>Node's own fault stream (what a struck site draws its fault's details from).</summary>
    public RandomSource Stream(int node) => _streams[node];

    /// <summary>A new step of the run begins (re-executions after a rollback included): unblamed faults of the last step on vectors are settled.</summary>
    public void BeginStep(int sample)
    {
        _step++;
        _sample = sample;
        foreach (var log in _log)
        {
            for (var i = log.Count - 1; i >= 0 && log[i].Record.Step == _step - 1; i--)
            {
                if (!Persistent(log[i].Record))
                {
                    log[i].Settle(Unblamed);
                }
            }
        }
    }

    /// <summary>
    /// The burst draw of one coded product, made once before its nodes compute (so not from their
    /// threads): with the burst rate, one rack's nodes will find their product struck. Nothing is
    /// drawn without bursts, in a replay (which strikes the logged burst faults as it strikes every
    /// other) or in a forced run.
    /// </summary>
    public void DrawBurst()
    {
        Array.Clear(_inBurst);
        for (var p = 0; p < _held.Length; p++)
        {
            Restore(p);
        }

        if (_bursts is null)
        {
            return;
        }

        _burstDraws++;
        if (_bursts.DrawRack(_burstStream!, _racks.Count) is { } rack)
        {
            _burstCount++;
            foreach (var p in _racks[rack])
            {
                _inBurst[p] = true;
            }
        }
    }

    /// <summary>One draw for one site: whether a fault strikes it. Thread-safe across nodes (each node's counters are its own).</summary>
    public bool Strikes(in FaultSite site)
    {
        if (_forced is not null)
        {
            return _forced(site);
        }

        var kind = BitOperations.Log2((uint)site.Step);
        var slot = (site.Node * StepKinds) + kind;
        if (_replay is not null)
        {
            if (!_replay.TryGetValue((_step, site.Step, site.Layer, site.Forward, site.Node), out var logged))
            {
                return false;
            }

            _opportunities[slot]++;
            _strikes[slot]++;
            _streams[site.Node] = RandomSource.FromStateText(logged.State);
            Record(site, logged.State, logged.Cause);
            return true;
        }

        Restore(site.Node);
        var rate = _rates[slot];
        var struck = false;
        if (rate > 0 && (_steps & site.Step) != 0)
        {
            _opportunities[slot]++;
            struck = _streams[site.Node].NextDouble() < rate;
            if (struck)
            {
                _strikes[slot]++;
            }
        }

        // A burst strikes the product of its rack's nodes whatever their own draw said (after it, so
        // that the independent draws are those of a run without bursts).
        var burst = site.Step == FaultSteps.Product && _inBurst[site.Node];
        if (burst && !struck)
        {
            // The burst's fault draws what it does from its own stream (burst draw, node); the
            // node's stream is held aside until the node's next site, after the fault is applied.
            _held[site.Node] = _streams[site.Node];
            _streams[site.Node] = StreamKey.Source(_seed, StreamKey.Hash("burst-faults"), (ulong)(_burstDraws - 1), (ulong)site.Node);
        }

        if (struck || burst)
        {
            Record(site, _streams[site.Node].StateText, struck ? (burst ? FaultCause.IndependentAndBurst : FaultCause.Independent) : FaultCause.Burst);
        }

        return struck || burst;
    }

    /// <summary>Gives a node back its own stream after a burst's fault drew from the burst's.</summary>
    private void Restore(int node)
    {
        if (_held[node] is { } own)
        {
            _streams[node] = own;
            _held[node] = null;
        }
    }

    /// <summary>
    /// A fault on a vector a node holds (an encoded input, an output, a local copy): the model's
    /// effect, gaussian errors scaled to the vector's own RMS.
    /// </summary>
    public void StrikeVector(Span<double> words, int node)
    {
        var rms = Model.Kind == ErrorModelKind.Gaussian ? FaultInjector.RootMeanSquare(words) : 0;
        var before = Model.Kind == ErrorModelKind.BitFlip && _forced is null ? words.ToArray() : null;
        FaultInjector.Strike(words, Model, rms, _streams[node]);
        if (_forced is null)
        {
            Describe(node, FaultDetail.OnVector(Model, words, before, rms));
        }
    }

    /// <summary>Nodes a decode or storage check blamed: their unsettled faults are corrected (vectors) or repaired (stored blocks).</summary>
    public void Blamed(IReadOnlyList<int> nodes)
    {
        foreach (var p in nodes)
        {
            foreach (var fault in _log[p])
            {
                fault.Settle(Persistent(fault.Record) ? FaultVerdict.Repaired : FaultVerdict.Corrected);
            }
        }
    }

    /// <summary>
    /// A decode of layer <paramref name="layer"/> (pass <paramref name="forward"/>) over the outputs of
    /// <paramref name="nodes"/> came back detected: the unsettled faults that fed it are detected.
    /// Those are, on those nodes, the faults on the layer's stored blocks, the encode and product
    /// faults of this pass, and the local faults of this step (a wrong copy flows into the node's
    /// later products). A storage check (<paramref name="nodes"/> every node, <paramref name="forward"/>
    /// null) is fed by the stored-block faults of its layer only.
    /// </summary>
    public void Detected(IReadOnlyList<int> nodes, int layer, bool? forward)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        foreach (var p in nodes)
        {
            foreach (var fault in _log[p])
            {
                var r = fault.Record;
                var fed = Persistent(r)
                    ? r.Layer == layer
                    : forward is { } pass && r.Step == _step && (r.Kind is FaultSteps.Encode or FaultSteps.Product ? r.Layer == layer && r.Forward == pass : true);
                if (fed)
                {
                    fault.Settle(FaultVerdict.Detected);
                }
            }
        }
    }

    /// <summary>A rollback undid everything since the last checkpoint: every unsettled fault was rolled back.</summary>
    public void RolledBack()
    {
        foreach (var fault in _log.SelectMany(log => log))
        {
            fault.Settle(FaultVerdict.RolledBack);
        }
    }

    /// <summary>Every injected fault, by step, node and order of injection, with its verdict (faults never blamed are masked, or absorbed where nothing checks).</summary>
    public IReadOnlyList<FaultRecord> Log() => TimedLog().Select(f => f.Fault).ToArray();

    /// <summary>The fault log with the simulated time of every fault, in the same order.</summary>
    public IReadOnlyList<TimelineFault> TimedLog() => _log
        .SelectMany(log => log.Select((fault, i) => (Fault: new TimelineFault(fault.Verdict is { } verdict ? fault.Record with { Verdict = verdict } : fault.Record with { Verdict = Unblamed }, fault.Seconds), Order: i)))
        .OrderBy(r => r.Fault.Fault.Step).ThenBy(r => r.Fault.Fault.Node).ThenBy(r => r.Order)
        .Select(r => r.Fault)
        .ToArray();

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

    /// <summary>The injector's check of its own counts against the configured rates (not made in a replay or a forced run, which draw nothing).</summary>
    public IReadOnlyList<InjectorCheck> Check()
    {
        if (_replay is not null || _forced is not null)
        {
            return [];
        }

        var groups = TrainingInjectorCheck.RateGroups(_opportunities, _strikes, _rates, _streams.Length);
        if (_bursts is not null && _burstDraws > 0)
        {
            groups.Add((InjectorCheck.BurstKind, _bursts.BurstRate, _bursts.BurstSize, _burstDraws, _burstCount));
        }

        return InjectorCheck.Of(groups, InjectorCheck.FalseAlarm);
    }

    /// <summary>Burst draws so far (one per coded product when bursts are on) and the bursts they gave.</summary>
    public (long Draws, long Bursts) BurstCounts => (_burstDraws, _burstCount);

    /// <summary>Persistent faults change a stored block: sparse-weight products and every update.</summary>
    private bool Persistent(FaultRecord record) =>
        record.Kind == FaultSteps.Update || (record.Kind == FaultSteps.Product && Model.Kind == ErrorModelKind.SparseWeight);

    /// <summary>The verdict of a fault nothing blamed: masked where decodes are checked, absorbed where nothing checks.</summary>
    private FaultVerdict Unblamed => _checked ? FaultVerdict.Masked : FaultVerdict.Absorbed;

    private bool RateOfKindPositive(FaultSteps step)
    {
        var kind = BitOperations.Log2((uint)step);
        for (var p = 0; p < _streams.Length; p++)
        {
            if (_rates[(p * StepKinds) + kind] > 0)
            {
                return true;
            }
        }

        return false;
    }

    private void Record(in FaultSite site, string state, FaultCause cause) =>
        _log[site.Node].Add(new LoggedFault(new FaultRecord(_step, _sample, site.Layer, site.Forward, site.Node, site.Step, Model.Kind, FaultDetail.OnStorage(Model), FaultVerdict.Masked, state) { Cause = cause }, Clock?.Invoke() ?? 0));

    private void Describe(int node, string detail)
    {
        var log = _log[node];
        if (log.Count > 0)
        {
            log[^1].Record = log[^1].Record with { Detail = detail };
        }
    }

    /// <summary>A fault and its verdict once one is known (null while nothing has settled it).</summary>
    private sealed class LoggedFault(FaultRecord record, double seconds)
    {
        public FaultRecord Record { get; set; } = record;

        public double Seconds => seconds;

        public FaultVerdict? Verdict { get; private set; }

        public void Settle(FaultVerdict verdict) => Verdict ??= verdict;
    }
}
