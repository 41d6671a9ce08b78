using SoftErrorSim.Core.Kernels;

namespace SoftErrorSim.Core.Coding;

/// <summary>
/// The algebra of Generalized PolyDot codes (Dutta, Bai, Jeong, Low and Grover, 2018; SPEC 2) on P
/// nodes with an m x n split, over the reals (T = double: real evaluation points) or the complex
/// numbers (T = Complex: the P-th roots of unity with the row-paired code of SPEC 2). Node p stores
/// W~_p = sum_ij W_ij a_p^(n i + j); the forward, backward, matrix-matrix and storage codes are
/// polynomial evaluation codes on the same points, each with the degrees its pass reads. The
/// stored blocks and the node-side arithmetic live in <see cref="Schemes.GpdLayer{T}"/>.
/// </summary>
public sealed class GeneralizedPolyDotCode<T>
    where T : struct, IEquatable<T>, IFormattable
{
    private readonly T[][] _powers;

    /// <summary>Creates the code on the given evaluation points (one per node).</summary>
    public GeneralizedPolyDotCode(IReadOnlyList<T> points, int rowSplit, int columnSplit, int? batchSplit = null)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rowSplit);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columnSplit);
        Points = points.ToArray();
        RowSplit = rowSplit;
        ColumnSplit = columnSplit;
        BatchSplit = batchSplit;
        var (m, n) = (rowSplit, columnSplit);
        var maxDegree = Math.Max(PolyDotThresholds.Backward(m, n), PolyDotThresholds.Forward(m, n));
        maxDegree = Math.Max(maxDegree, batchSplit is { } d ? PolyDotThresholds.MatMat(m, n, d) : 0);
        _powers = Points.Select(a =>
        {
            var row = new T[maxDegree + 1];
            row[0] = Field.FromReal<T>(1);
            for (var t = 1; t <= maxDegree; t++)
            {
                row[t] = Field.Multiply(row[t - 1], a);
            }

            return row;
        }).ToArray();
        ForwardCode = LinearCodes.PolynomialEvaluation(Points, PolyDotThresholds.Forward(m, n), Enumerable.Range(0, m).Select(ForwardDegree).ToArray());
        BackwardCode = LinearCodes.PolynomialEvaluation(Points, PolyDotThresholds.Backward(m, n), Enumerable.Range(0, n).Select(BackwardDegree).Order().ToArray(), realPartRead: Kernels.Field.IsComplex<T>());
        StorageCode = LinearCodes.PolynomialEvaluation(Points, m * n);
        MatMatCode = batchSplit is { } dd
            ? LinearCodes.PolynomialEvaluation(Points, PolyDotThresholds.MatMat(m, n, dd), Enumerable.Range(0, m).SelectMany(i => Enumerable.Range(0, dd).Select(l => MatMatDegree(i, l))).Order().ToArray())
            : null;
    }

    /// <summary>a_p, one per node.</summary>
    public IReadOnlyList<T> Points { get; }

    /// <summary>Whether the code is the complex, row-paired one (unit-circle points).</summary>
    public bool IsComplex => Field.IsComplex<T>();

    /// <summary>P.</summary>
    public int NodeCount => Points.Count;

    /// <summary>m.</summary>
    public int RowSplit { get; }

    /// <summary>n.</summary>
    public int ColumnSplit { get; }

    /// <summary>d, or null when no matrix-matrix code was asked for.</summary>
    public int? BatchSplit { get; }

    /// <summary>The forward code, dimension K_fwd = mn + n - 1.</summary>
    public LinearCode<T> ForwardCode { get; }

    /// <summary>The backward code, dimension K_bwd = 2mn - n.</summary>
    public LinearCode<T> BackwardCode { get; }

    /// <summary>The code of the stored blocks themselves, dimension mn: a (P, mn) MDS code used for repair.</summary>
    public LinearCode<T> StorageCode { get; }

    /// <summary>The matrix-matrix code, dimension mnd + n - 1, when d was given.</summary>
    public LinearCode<T>? MatMatCode { get; }

    /// <summary>The degree of the forward product polynomial whose coefficient is s_i = sum_j W_ij x_j: n i + n - 1.</summary>
    public int ForwardDegree(int rowBlock) => (ColumnSplit * rowBlock) + ColumnSplit - 1;

    /// <summary>
    /// The degree whose coefficient gives c_j = sum_i W_ij^T delta_i: n(m - 1) + j on real points;
    /// on the circle, where node p returns a_p^(mn-1) W~_p^H delta~_p, its real part at degree
    /// n(m - 1) + n - 1 - j (SPEC 2).
    /// </summary>
    public int BackwardDegree(int columnBlock) => IsComplex
        ? (ColumnSplit * (RowSplit - 1)) + ColumnSplit - 1 - columnBlock
        : (ColumnSplit * (RowSplit - 1)) + columnBlock;

    /// <summary>The degree whose coefficient is C_il = sum_j A_ij B_jl: n i + n - 1 + mn l.</summary>
    public int MatMatDegree(int rowBlock, int batchBlock) => ForwardDegree(rowBlock) + (RowSplit * ColumnSplit * batchBlock);

    /// <summary>a_p^t.</summary>
    public T Power(int node, int exponent) => _powers[node][exponent];
}
