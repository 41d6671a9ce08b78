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
