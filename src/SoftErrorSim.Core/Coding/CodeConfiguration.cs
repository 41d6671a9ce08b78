using System.Globalization;

namespace SoftErrorSim.Core.Coding;

/// <summary>The redundancy strategies compared by the simulator (SPEC 2).</summary>
public enum SchemeKind
{
    /// <summary>Generalized PolyDot codes.</summary>
    Gpd,

    /// <summary>The two-dimensional systematic MDS strategy of CodeNet.</summary>
    Mds,

    /// <summary>r = floor(P / (mn)) copies of every block.</summary>
    Replication,

    /// <summary>No redundancy and no detection.</summary>
    Uncoded,
}

/// <summary>Which product of a training step is decoded.</summary>
public enum PassKind
{
    /// <summary>s = W x (matrix-vector, batch 1).</summary>
    Forward,

    /// <summary>c = W^T delta with the same stored blocks.</summary>
    Backward,

    /// <summary>C = A B with A in m x n blocks and B in n x d blocks (batch B &gt; 1).</summary>
    MatMat,
}

/// <summary>How the parity rows of the CodeNet generators are chosen.</summary>
public enum ParityKind
{
    /// <summary>Independent standard normal entries, as in the authors' public code.</summary>
    Gaussian,

    /// <summary>A systematic Vandermonde generator on Chebyshev points (a polynomial code).</summary>
    Chebyshev,
}

/// <summary>A configuration that cannot be run, with a one-line reason for the user.</summary>
public sealed class InvalidConfigurationException : ArgumentException
{
    /// <summary>Creates the exception with its one-line message.</summary>
    public InvalidConfigurationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with no message.</summary>
    public InvalidConfigurationException()
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public InvalidConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// One redundancy configuration: scheme, node count P and the m x n (x d) block split of the
/// weights. Immutable; sweeps derive variants with <c>with</c>. <see cref="Validate"/> checks every
/// invariant and is called by everything that builds a code from a configuration.
/// </summary>
public sealed record CodeConfiguration
{
    /// <summary>The largest node count accepted: decoders factor P x K systems per decode.</summary>
    public const int MaxNodeCount = 512;

    /// <summary>The strategy.</summary>
    public SchemeKind Scheme { get; init; }

    /// <summary>P, the number of compute nodes. For MDS it must equal mn + (Pr-m)n + m(Pc-n).</summary>
    public int NodeCount { get; init; }

    /// <summary>m, the number of row blocks of W.</summary>
    public int RowSplit { get; init; } = 1;

    /// <summary>n, the number of column blocks of W.</summary>
    public int ColumnSplit { get; init; } = 1;

    /// <summary>d, the number of column blocks of the right factor in matrix-matrix products; null when not used.</summary>
    public int? BatchSplit { get; init; }

    /// <summary>Evaluation points of GPD (and of Chebyshev CodeNet parity).</summary>
    public EvaluationPointKind Points { get; init; } = EvaluationPointKind.UnitCircle;

    /// <summary>Pr, the rows of the CodeNet grid (MDS only).</summary>
    public int? RowNodes { get; init; }

    /// <summary>Pc, the columns of the CodeNet grid (MDS only).</summary>
    public int? ColumnNodes { get; init; }

    /// <summary>How CodeNet's parity rows are chosen (MDS only).</summary>
    public ParityKind Parity { get; init; } = ParityKind.Gaussian;

    /// <summary>Seed of the random choices that belong to the code (random points, Gaussian parity).</summary>
    public ulong CodeSeed { get; init; } = 1;

    /// <summary>mn, the number of weight blocks; every node stores one block-sized piece.</summary>
    public int BlockCount => RowSplit * ColumnSplit;

    /// <summary>The MDS node count mn + (Pr-m)n + m(Pc-n) implied by the grid.</summary>
    public static int CodeNetNodeCount(int rowNodes, int rowSplit, int columnNodes, int columnSplit) =>
        (rowSplit * columnSplit) + ((rowNodes - rowSplit) * columnSplit) + (rowSplit * (columnNodes - columnSplit));

    /// <summary>Throws <see cref="InvalidConfigurationException"/> with a one-line reason unless the configuration can run.</summary>
    public CodeConfiguration Validate()
    {
        Require(RowSplit >= 1, $"‹m› must be a positive integer (got {RowSplit})");
        Require(ColumnSplit >= 1, $"‹n› must be a positive integer (got {ColumnSplit})");
        Require(BatchSplit is null || BatchSplit >= 1, $"‹d› must be a positive integer (got {BatchSplit})");
        Require(NodeCount >= 1, $"‹nodes› must be a positive integer (got {NodeCount})");
        Require(NodeCount <= MaxNodeCount, $"‹nodes› {NodeCount} exceeds the supported maximum of {MaxNodeCount}");
        switch (Scheme)
        {
            case SchemeKind.Gpd:
                var needed = Math.Max(PolyDotThresholds.Forward(RowSplit, ColumnSplit), PolyDotThresholds.Backward(RowSplit, ColumnSplit));
                if (BatchSplit is { } d)
                {
                    needed = Math.Max(needed, PolyDotThresholds.MatMat(RowSplit, ColumnSplit, d));
                }

                Require(
                    NodeCount >= needed,
                    $"gpd with m={RowSplit}, n={ColumnSplit}{(BatchSplit is null ? string.Empty : $", d={BatchSplit}")} needs at least {needed} nodes (its largest recovery threshold); got {NodeCount}");
                break;
            case SchemeKind.Mds:
                Require(RowNodes is not null && ColumnNodes is not null, "mds needs ‹row-nodes› and ‹col-nodes›");
                Require(RowNodes >= RowSplit, $"‹row-nodes› ({RowNodes}) must be at least ‹m› ({RowSplit})");
                Require(ColumnNodes >= ColumnSplit, $"‹col-nodes› ({ColumnNodes}) must be at least ‹n› ({ColumnSplit})");
                var implied = CodeNetNodeCount(RowNodes!.Value, RowSplit, ColumnNodes!.Value, ColumnSplit);
                Require(
                    implied == NodeCount,
                    $"mds with Pr={RowNodes}, m={RowSplit}, Pc={ColumnNodes}, n={ColumnSplit} uses {implied} nodes, not {NodeCount}");
                break;
            case SchemeKind.Replication:
            case SchemeKind.Uncoded:
                Require(
                    NodeCount >= BlockCount,
                    $"{Name(Scheme)} with m={RowSplit}, n={ColumnSplit} needs at least mn = {BlockCount} nodes; got {NodeCount}");
                break;
            default:
                throw new InvalidConfigurationException($"unknown scheme {Scheme}");
        }

        return this;
    }

    /// <summary>A canonical one-line text of the configuration, stable across versions: it keys random streams.</summary>
    public string CanonicalText() => string.Create(
        CultureInfo.InvariantCulture,
        $"scheme={Name(Scheme)};P={NodeCount};m={RowSplit};n={ColumnSplit};d={BatchSplit?.ToString(CultureInfo.InvariantCulture) ?? "-"};points={EvaluationPoints.Name(Points)};Pr={RowNodes?.ToString(CultureInfo.InvariantCulture) ?? "-"};Pc={ColumnNodes?.ToString(CultureInfo.InvariantCulture) ?? "-"};parity={Parity};codeseed={CodeSeed}");

    /// <summary>The command-line name of a scheme.</summary>
    public static string Name(SchemeKind scheme) => scheme switch
    {
        SchemeKind.Gpd => "gpd",
        SchemeKind.Mds => "mds",
        SchemeKind.Replication => "replication",
        SchemeKind.Uncoded => "uncoded",
        _ => throw new ArgumentOutOfRangeException(nameof(scheme), scheme, null),
    };

    /// <summary>The command-line name of a pass.</summary>
    public static string Name(PassKind pass) => pass switch
    {
        PassKind.Forward => "forward",
        PassKind.Backward => "backward",
        PassKind.MatMat => "matmat",
        _ => throw new ArgumentOutOfRangeException(nameof(pass), pass, null),
    };

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvalidConfigurationException(message);
        }
    }
}

/// <summary>The recovery thresholds of Generalized PolyDot codes (SPEC 2).</summary>
public static class PolyDotThresholds
{
    /// <summary>K_fwd = mn + n - 1: the product polynomial of the forward pass has degree mn + n - 2.</summary>
    public static int Forward(int m, int n) => (m * n) + n - 1;

    /// <summary>K_bwd = 2mn - n: the transpose product has degree 2mn - n - 1 (derived, SPEC 2).</summary>
    public static int Backward(int m, int n) => (2 * m * n) - n;

    /// <summary>K = mnd + n - 1, as for Entangled Polynomial codes.</summary>
    public static int MatMat(int m, int n, int d) => (m * n * d) + n - 1;
}
