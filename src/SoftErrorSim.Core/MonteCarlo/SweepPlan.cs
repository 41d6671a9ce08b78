using System.Globalization;
using SoftErrorSim.Core.Coding;
using SoftErrorSim.Core.Passes;

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

/// <summary>One point of a sweep: a configuration at one error rate; <paramref name="Stratified"/> holds the stratified estimate when the sweep uses it.</summary>
public sealed record SweepPoint(CodeConfiguration Code, RateCampaignRow Row, StratifiedPoint? Stratified = null);

/// <summary>A point's stratified estimate: its strata, the summed counts of each (indexed like the strata), and the failure and silent-failure estimates.</summary>
public sealed record StratifiedPoint(IReadOnlyList<Stratum> Strata, IReadOnlyList<OutcomeCounts> Counts, StratifiedEstimate Failure, StratifiedEstimate Silent);

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

/// <summary>What a finished block counted; a stratified sweep's block also counts each stratum it ran trials of.</summary>
public sealed record SweepBlockResult(SweepBlock Block, OutcomeCounts Counts, double MaxConditionNumber, IReadOnlyList<StratumTally>? Strata = null);
