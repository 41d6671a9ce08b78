using System.Globalization;
using System.Text;
using SoftErrorSim.Core.Coding;
using SoftErrorSim.Core.Passes;
using SoftErrorSim.Core.Randomness;

namespace SoftErrorSim.Core.MonteCarlo;

/// <summary>The lists a sweep is the cross product of (SPEC 7, `sweep`).</summary>
public sealed record SweepAxes
{
    /// <summary>Schemes to run.</summary>
    public IReadOnlyList<SchemeKind> Schemes { get; init; } = [SchemeKind.Gpd];

    /// <summary>Node counts P (gpd, replication, uncoded).</summary>
    public IReadOnlyList<int> Nodes { get; init; } = [12];

    /// <summary>Row splits m.</summary>
    public IReadOnlyList<int> RowSplits { get; init; } = [2];

    /// <summary>Column splits n.</summary>
    public IReadOnlyList<int> ColumnSplits { get; init; } = [2];

    /// <summary>Batch splits d (empty: none).</summary>
    public IReadOnlyList<int> BatchSplits { get; init; } = [];

    /// <summary>Plain real (P, Q) MDS codes: GPD with m = Q, n = 1.</summary>
    public IReadOnlyList<int> Q { get; init; } = [];

    /// <summary>CodeNet grid rows Pr (mds).</summary>
    public IReadOnlyList<int> RowNodes { get; init; } = [];

    /// <summary>CodeNet grid columns Pc (mds).</summary>
    public IReadOnlyList<int> ColumnNodes { get; init; } = [];

    /// <summary>Evaluation points of GPD.</summary>
    public EvaluationPointKind Points { get; init; } = EvaluationPointKind.UnitCircle;

    /// <summary>CodeNet parity.</summary>
    public ParityKind Parity { get; init; } = ParityKind.Gaussian;
}

/// <summary>A combination the sweep cannot run, and why.</summary>
public sealed record SkippedCombination(string Description, string Reason);

/// <summary>The configurations of a sweep, in a fixed order, and the combinations it skips.</summary>
public sealed record SweepPlan(IReadOnlyList<CodeConfiguration> Configurations, IReadOnlyList<SkippedCombination> Skipped)
{
    /// <summary>Expands the cross product; invalid combinations are skipped with their one-line reason, never silently dropped.</summary>
    public static SweepPlan Expand(SweepAxes axes, PassKind pass)
    {
        ArgumentNullException.ThrowIfNull(axes);
        var configurations = new List<CodeConfiguration>();
        var skipped = new List<SkippedCombination>();
        void Try(CodeConfiguration candidate)
        {
            var description = $"{CodeConfiguration.Name(candidate.Scheme)} P={candidate.NodeCount} m={candidate.RowSplit} n={candidate.ColumnSplit}"
                + (candidate.BatchSplit is { } d ? $" d={d}" : string.Empty)
                + (candidate.RowNodes is { } pr ? $" Pr={pr} Pc={candidate.ColumnNodes}" : string.Empty);
            try
            {
                CodedPass.ActiveNodeCount(candidate, pass);
                if (!configurations.Contains(candidate))
                {
                    configurations.Add(candidate);
                }
            }
            catch (InvalidConfigurationException e)
            {
                skipped.Add(new SkippedCombination(description, e.Message));
            }
        }

        IReadOnlyList<int?> batches = axes.BatchSplits.Count == 0 ? [null] : axes.BatchSplits.Select(d => (int?)d).ToList();
        foreach (var scheme in axes.Schemes)
        {
            if (scheme == SchemeKind.Mds)
            {
                if (axes.RowNodes.Count == 0 || axes.ColumnNodes.Count == 0)
                {
                    skipped.Add(new SkippedCombination("mds", "mds needs ‹row-nodes› and ‹col-nodes›"));
                    continue;
                }

                foreach (var rowNodes in axes.RowNodes)
                {
                    foreach (var columnNodes in axes.ColumnNodes)
                    {
                        foreach (var m in axes.RowSplits)
                        {
                            foreach (var n in axes.ColumnSplits)
                            {
                                Try(new CodeConfiguration
                                {
                                    Scheme = scheme,
                                    RowSplit = m,
                                    ColumnSplit = n,
                                    RowNodes = rowNodes,
                                    ColumnNodes = columnNodes,
                                    Parity = axes.Parity,
                                    NodeCount = CodeConfiguration.CodeNetNodeCount(rowNodes, m, columnNodes, n),
                                });
                            }
                        }
                    }
                }

                continue;
            }

            foreach (var nodes in axes.Nodes)
            {
                foreach (var m in axes.RowSplits)
                {
                    foreach (var n in axes.ColumnSplits)
                    {
                        foreach (var d in scheme == SchemeKind.Gpd ? batches : [null])
                        {
                            Try(new CodeConfiguration { Scheme = scheme, NodeCount = nodes, RowSplit = m, ColumnSplit = n, BatchSplit = d, Points = axes.Points });
                        }
                    }
                }

                if (scheme == SchemeKind.Gpd)
                {
                    foreach (var q in axes.Q)
                    {
                        Try(new CodeConfiguration { Scheme = scheme, NodeCount = nodes, RowSplit = q, ColumnSplit = 1, Points = axes.Points });
                    }
                }
            }
        }

        return new SweepPlan(configurations, skipped);
    }
}

/// <summary>One point of a sweep: a configuration at one error rate.</summary>
public sealed record SweepPoint(CodeConfiguration Code, RateCampaignRow Row);

/// <summary>
/// Shard <see cref="Index"/> of <see cref="Count"/>: it runs the trials
/// [floor(T·i/N), floor(T·(i+1)/N)) of every point, so shards are equally loaded, and their counts
/// add up to exactly the whole run's (every trial's stream is keyed by its index alone).
/// </summary>
public readonly record struct ShardSpec(int Index, int Count)
{
    /// <summary>The whole run: shard 0 of 1.</summary>
    public static ShardSpec Whole => new(0, 1);

    /// <summary>Throws <see cref="ArgumentException"/> with a one-line reason when the index or count is out of range for <paramref name="trials"/> trials per point.</summary>
    public ShardSpec Validate(int trials)
    {
        if (Count < 1)
        {
            throw new ArgumentException($"shard count must be a positive integer (got {Count})");
        }

        if (Index < 0 || Index >= Count)
        {
            throw new ArgumentException($"shard index {Index} is out of range: shards of {Count} are numbered 0 to {Count - 1}");
        }

        if (Count > trials)
        {
            throw new ArgumentException($"{Count} shards exceed the {trials} trials per point: every shard needs at least one trial");
        }

        return this;
    }

    /// <summary>This shard's trials of a point with <paramref name="trials"/> trials: [First, End).</summary>
    public (int First, int End) TrialRange(int trials) =>
        ((int)((long)trials * Index / Count), (int)((long)trials * (Index + 1) / Count));

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Index}/{Count}");
}

/// <summary>A unit of sweep work (and of resume): trials [FirstTrial, EndTrial) of point <see cref="Point"/> (configuration-major, then rate).</summary>
public readonly record struct SweepBlock(int Point, int FirstTrial, int EndTrial)
{
    /// <summary>Trials in the block.</summary>
    public int Trials => EndTrial - FirstTrial;
}

/// <summary>What a finished block counted.</summary>
public sealed record SweepBlockResult(SweepBlock Block, OutcomeCounts Counts, double MaxConditionNumber);

/// <summary>Runs a sweep: the blocks of every point of the plan, in a fixed order.</summary>
public static class Sweep
{
    /// <summary>Default most trials in one block: the granularity at which an interrupted sweep keeps its work.</summary>
    public const int DefaultBlockTrials = 1 << 16;

    /// <summary>
    /// The identity of a sweep's results: every configuration, the pass, shape, model, decoder,
    /// rates, trials and seed, but not the thread count or shard split (which never change results).
    /// </summary>
    public static string Fingerprint(SweepPlan plan, RateCampaignSettings template)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(template);
        var text = new StringBuilder("sweep/v1");
        foreach (var code in plan.Configurations)
        {
            text.Append('|').Append((template with { Code = code }).CanonicalText());
        }

        text.Append(CultureInfo.InvariantCulture, $"|rates={string.Join(",", template.ErrorRates.Select(r => BitConverter.DoubleToInt64Bits(r).ToString("x16", CultureInfo.InvariantCulture)))}");
        text.Append(CultureInfo.InvariantCulture, $"|trials={template.Trials}|seed={template.Seed}");
        return StreamKey.Hash(text.ToString()).ToString("x16", CultureInfo.InvariantCulture);
    }

    /// <summary>The blocks a shard runs, in order, as a list; block boundaries sit at multiples of <paramref name="blockTrials"/>. For small sweeps: <see cref="Plan"/> never materialises them.</summary>
    public static IReadOnlyList<SweepBlock> Blocks(SweepPlan plan, RateCampaignSettings template, ShardSpec shard, int blockTrials = DefaultBlockTrials) =>
        Plan(plan, template, shard, blockTrials).ToList();

    /// <summary>
    /// The blocks a shard runs, in order, computed on demand (a sweep of 10^15 trials has more
    /// blocks than memory holds; its first block must start at once).
    /// </summary>
    public static SweepBlocks Plan(SweepPlan plan, RateCampaignSettings template, ShardSpec shard, int blockTrials = DefaultBlockTrials)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(template);
        ArgumentOutOfRangeException.ThrowIfLessThan(blockTrials, 1);
        var (first, end) = shard.TrialRange(template.Trials);
        return new SweepBlocks(plan.Configurations.Count * template.ErrorRates.Count, first, end, blockTrials);
    }

    /// <summary>
    /// Runs <paramref name="blocks"/> (from <see cref="Blocks"/>) except those in <paramref name="finished"/>,
    /// reporting each as it completes through <paramref name="blockDone"/> (the journal of a
    /// resumable run), and returns every point with the counts of all its blocks. Blocks carry their
    /// own streams, so the result is the same whatever was finished before and whatever the thread count.
    /// </summary>
    public static IReadOnlyList<SweepPoint> Run(
        SweepPlan plan,
        RateCampaignSettings template,
        IReadOnlyList<SweepBlock> blocks,
        IReadOnlyDictionary<SweepBlock, SweepBlockResult>? finished = null,
        Action<SweepBlockResult>? blockDone = null,
        IProgress<CampaignProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(blocks);
        var open = new int[plan.Configurations.Count * template.ErrorRates.Count];
        foreach (var block in blocks)
        {
            open[block.Point]++;
        }

        Dictionary<SweepBlock, SweepBlockResult>? kept = null;
        if (finished is not null)
        {
            var listed = blocks.ToHashSet();
            kept = finished.Where(f => listed.Contains(f.Key)).ToDictionary();
        }

        return Run(plan, template, blocks, blocks.Sum(b => (long)b.Trials), open, kept, blockDone, progress, cancellationToken);
    }

    /// <summary>
    /// Runs the blocks of <paramref name="blocks"/> (from <see cref="Plan"/>) except those in
    /// <paramref name="finished"/>, exactly as the list overload does, without ever holding the
    /// list of blocks: memory grows with the number of points, not of blocks.
    /// </summary>
    public static IReadOnlyList<SweepPoint> Run(
        SweepPlan plan,
        RateCampaignSettings template,
        SweepBlocks blocks,
        IReadOnlyDictionary<SweepBlock, SweepBlockResult>? finished = null,
        Action<SweepBlockResult>? blockDone = null,
        IProgress<CampaignProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(blocks);
        var open = new int[blocks.Points];
        Array.Fill(open, blocks.BlocksPerPoint);
        return Run(plan, template, blocks, blocks.Trials, open, finished is null ? null : finished.Where(f => blocks.Contains(f.Key)).ToDictionary(), blockDone, progress, cancellationToken);
    }

    private static List<SweepPoint> Run(
        SweepPlan plan,
        RateCampaignSettings template,
        IEnumerable<SweepBlock> blocks,
        long total,
        int[] open,
        IReadOnlyDictionary<SweepBlock, SweepBlockResult>? finished,
        Action<SweepBlockResult>? blockDone,
        IProgress<CampaignProgress>? progress,
        CancellationToken cancellationToken)
    {
        finished ??= new Dictionary<SweepBlock, SweepBlockResult>();
        var rates = template.ErrorRates.Count;
        var points = plan.Configurations.Count * rates;
        var counts = new OutcomeCounts[points];
        var worst = new double[points];
        var pointsDone = open.Count(o => o == 0);
        long done = 0;
        void Count(SweepBlockResult result)
        {
            counts[result.Block.Point] += result.Counts;
            worst[result.Block.Point] = Math.Max(worst[result.Block.Point], result.MaxConditionNumber);
            if (--open[result.Block.Point] == 0)
            {
                pointsDone++;
            }
        }

        // Finished blocks count first (in index order, so sums do not depend on the journal's order).
        foreach (var kept in finished.Values.OrderBy(r => r.Block.Point).ThenBy(r => r.Block.FirstTrial))
        {
            Count(kept);
            done += kept.Block.Trials;
        }

        progress?.Report(new CampaignProgress(done, total, pointsDone, points));
        CodedPass? workload = null;
        var workloadConfiguration = -1;
        foreach (var block in blocks)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (finished.ContainsKey(block))
            {
                continue;
            }

            var configuration = block.Point / rates;
            var settings = template with { Code = plan.Configurations[configuration] };
            if (configuration != workloadConfiguration)
            {
                workload = settings.BuildWorkload();
                workloadConfiguration = configuration;
            }

            var before = done;
            var tally = RateCampaign.RunTrials(
                settings,
                workload!,
                template.ErrorRates[block.Point % rates],
                block.FirstTrial,
                block.EndTrial,
                n => progress?.Report(new CampaignProgress(Interlocked.Add(ref done, n), total, pointsDone, points)),
                cancellationToken);
            var result = new SweepBlockResult(block, tally.Counts, tally.MaxConditionNumber);
            Count(result);
            blockDone?.Invoke(result);
            done = before + block.Trials;
            progress?.Report(new CampaignProgress(done, total, pointsDone, points));
        }

        return Enumerable.Range(0, points).Select(point =>
        {
            var settings = template with { Code = plan.Configurations[point / rates] };
            return new SweepPoint(settings.Code, RateCampaign.Row(settings, template.ErrorRates[point % rates], counts[point], worst[point]));
        }).ToList();
    }
}

/// <summary>
/// The blocks of a sweep shard in run order (point-major, then trials), computed from their index
/// on demand: every point runs the shard's trials [First, End), cut at multiples of the block size.
/// </summary>
public sealed class SweepBlocks : IEnumerable<SweepBlock>
{
    private readonly int _first;
    private readonly int _end;
    private readonly int _blockTrials;

    internal SweepBlocks(int points, int first, int end, int blockTrials)
    {
        Points = points;
        _first = first;
        _end = end;
        _blockTrials = blockTrials;
        BlocksPerPoint = end <= first ? 0 : (int)(((end - 1L) / blockTrials) - (first / blockTrials) + 1);
    }

    /// <summary>Points of the sweep (configurations times error rates).</summary>
    public int Points { get; }

    /// <summary>Blocks of every point.</summary>
    public int BlocksPerPoint { get; }

    /// <summary>Blocks in all (may exceed what any list can hold).</summary>
    public long Count => (long)Points * BlocksPerPoint;

    /// <summary>Trials in all blocks.</summary>
    public long Trials => (long)Points * (_end - _first);

    /// <summary>The block at <paramref name="index"/> in run order.</summary>
    public SweepBlock this[long index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            var point = (int)(index / BlocksPerPoint);
            var slot = (int)(index % BlocksPerPoint);
            var start = slot == 0 ? _first : (int)(((long)(_first / _blockTrials) + slot) * _blockTrials);
            var stop = (int)Math.Min(_end, ((long)(start / _blockTrials) + 1) * _blockTrials);
            return new SweepBlock(point, start, stop);
        }
    }

    /// <summary>Whether <paramref name="block"/> is one of the blocks (exactly, boundaries included).</summary>
    public bool Contains(SweepBlock block)
    {
        if (block.Point < 0 || block.Point >= Points || block.FirstTrial < _first || block.FirstTrial >= _end)
        {
            return false;
        }

        var expectedStart = block.FirstTrial == _first || block.FirstTrial % _blockTrials == 0;
        var expectedEnd = (int)Math.Min(_end, ((long)(block.FirstTrial / _blockTrials) + 1) * _blockTrials);
        return expectedStart && block.EndTrial == expectedEnd;
    }

    /// <inheritdoc />
    public IEnumerator<SweepBlock> GetEnumerator()
    {
        for (var point = 0; point < Points; point++)
        {
            for (var start = _first; start < _end;)
            {
                var stop = (int)Math.Min(_end, ((long)(start / _blockTrials) + 1) * _blockTrials);
                yield return new SweepBlock(point, start, stop);
                start = stop;
            }
        }
    }

    /// <inheritdoc />
    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
