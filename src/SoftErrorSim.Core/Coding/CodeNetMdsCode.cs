using MathNet.Numerics.LinearAlgebra;
using SoftErrorSim.Core.Kernels;
using SoftErrorSim.Core.Randomness;

namespace SoftErrorSim.Core.Coding;

/// <summary>The place of one CodeNet node in the Pr x Pc grid.</summary>
/// <param name="GridRow">0..Pr-1; rows at or beyond m hold row parity.</param>
/// <param name="GridColumn">0..Pc-1; columns at or beyond n hold column parity.</param>
public readonly record struct GridPosition(int GridRow, int GridColumn);

/// <summary>
/// The two-dimensional systematic MDS strategy of CodeNet (Dutta et al., arXiv 1903.01042; SPEC 2),
/// as in the authors' public implementation: an m x n grid of systematic blocks, (Pr - m) x n
/// row-parity nodes and m x (Pc - n) column-parity nodes, no corner nodes. The forward pass is a
/// (Pr, m) code over the row blocks of s = W x (each grid row sums the partial products of its
/// first n nodes); the backward pass a (Pc, n) code over the column blocks of c = W^T delta.
/// </summary>
public sealed class CodeNetMdsCode
{
    /// <summary>Creates the strategy; Gaussian parity rows come from <paramref name="seed"/>.</summary>
    public CodeNetMdsCode(int rowNodes, int rowSplit, int columnNodes, int columnSplit, ParityKind parity, ulong seed = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rowNodes, rowSplit);
        ArgumentOutOfRangeException.ThrowIfLessThan(columnNodes, columnSplit);
        RowNodes = rowNodes;
        RowSplit = rowSplit;
        ColumnNodes = columnNodes;
        ColumnSplit = columnSplit;
        Parity = parity;
        var stream = StreamKey.Source(seed, 0x4D445350UL);
        RowCode = SystematicCode(rowNodes, rowSplit, parity, stream);
        ColumnCode = SystematicCode(columnNodes, columnSplit, parity, stream);
        var positions = new List<GridPosition>();
        for (var r = 0; r < rowNodes; r++)
        {
            for (var c = 0; c < columnNodes; c++)
            {
                if (r < rowSplit || c < columnSplit)
                {
                    positions.Add(new GridPosition(r, c));
                }
            }
        }

        Positions = positions;
    }

    /// <summary>Creates the strategy a validated MDS configuration describes.</summary>
    public static CodeNetMdsCode From(CodeConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        configuration.Validate();
        return new CodeNetMdsCode(
            configuration.RowNodes!.Value,
            configuration.RowSplit,
            configuration.ColumnNodes!.Value,
            configuration.ColumnSplit,
            configuration.Parity,
            configuration.CodeSeed);
    }

    /// <summary>Pr.</summary>
    public int RowNodes { get; }

    /// <summary>m.</summary>
    public int RowSplit { get; }

    /// <summary>Pc.</summary>
    public int ColumnNodes { get; }

    /// <summary>n.</summary>
    public int ColumnSplit { get; }

    /// <summary>How the parity rows were chosen.</summary>
    public ParityKind Parity { get; }

    /// <summary>The systematic (Pr, m) code over row blocks, generator [I_m; parity].</summary>
    public LinearCode<double> RowCode { get; }

    /// <summary>The systematic (Pc, n) code over column blocks, generator [I_n; parity].</summary>
    public LinearCode<double> ColumnCode { get; }

    /// <summary>Grid position of each node, row-major, corners skipped.</summary>
    public IReadOnlyList<GridPosition> Positions { get; }

    /// <summary>P = mn + (Pr - m) n + m (Pc - n).</summary>
    public int NodeCount => Positions.Count;

    /// <summary>The nodes of the first n grid columns, which compute the forward pass.</summary>
    public int[] ForwardNodes() => Enumerable.Range(0, NodeCount).Where(p => Positions[p].GridColumn < ColumnSplit).ToArray();

    /// <summary>The nodes of the first m grid rows, which compute the backward pass.</summary>
    public int[] BackwardNodes() => Enumerable.Range(0, NodeCount).Where(p => Positions[p].GridRow < RowSplit).ToArray();

    /// <summary>
    /// Every node's stored block, column-major: systematic W_ij; row parity sum_i G_r[r, i] W_ij;
    /// column parity sum_j G_c[c, j] W_ij. W must be (m R) x (n C). Built by in-place axpys
    /// straight from W's columns, so that encoding a full-size layer allocates the stored blocks and
    /// nothing else (a block-matrix formulation allocated two copies of a block per term: tens of GB
    /// of garbage at CodeNet's size).
    /// </summary>
    public double[][] EncodeWeights(Matrix<double> weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        if (weights.RowCount % RowSplit != 0 || weights.ColumnCount % ColumnSplit != 0)
        {
            throw new ArgumentException("weight dimensions must be divisible by m and n", nameof(weights));
        }

        var blockRows = weights.RowCount / RowSplit;
        var blockCols = weights.ColumnCount / ColumnSplit;
        var values = weights.AsColumnMajorArray() ?? weights.ToColumnMajorArray();

        // block += weight * W_ij, column by column (the first term into zeros: exactly weight * W_ij).
        void Add(double[] block, int i, int j, double weight)
        {
            for (var k = 0; k < blockCols; k++)
            {
                DenseKernels.AddScaled(block.AsSpan(k * blockRows, blockRows), values.AsSpan((((j * blockCols) + k) * weights.RowCount) + (i * blockRows), blockRows), weight);
            }
        }

        var stored = new double[NodeCount][];
        for (var p = 0; p < NodeCount; p++)
        {
            var (r, c) = (Positions[p].GridRow, Positions[p].GridColumn);
            var block = new double[blockRows * blockCols];
            if (r < RowSplit && c < ColumnSplit)
            {
                for (var k = 0; k < blockCols; k++)
                {
                    values.AsSpan((((c * blockCols) + k) * weights.RowCount) + (r * blockRows), blockRows).CopyTo(block.AsSpan(k * blockRows));
                }
            }
            else if (r >= RowSplit)
            {
                for (var i = 0; i < RowSplit; i++)
                {
                    Add(block, i, c, RowCode.Generator[r, i]);
                }
            }
            else
            {
                for (var j = 0; j < ColumnSplit; j++)
                {
                    Add(block, r, j, ColumnCode.Generator[c, j]);
                }
            }

            stored[p] = block;
        }

        return stored;
    }

    private static LinearCode<double> SystematicCode(int length, int dimension, ParityKind parity, RandomSource stream)
    {
        var generator = Matrix<double>.Build.Dense(length, dimension);
        for (var i = 0; i < dimension; i++)
        {
            generator[i, i] = 1;
        }

        if (parity == ParityKind.Gaussian)
        {
            for (var r = dimension; r < length; r++)
            {
                for (var c = 0; c < dimension; c++)
                {
                    generator[r, c] = stream.NextGaussian();
                }
            }

            return new LinearCode<double>(generator);
        }

        // Systematic form of a Vandermonde code: G = V V_top^-1, so the code is still the set of
        // evaluations of polynomials of degree below the dimension, on Chebyshev points.
        var points = EvaluationPoints.Create(EvaluationPointKind.Chebyshev, length);
        var vandermonde = Matrix<double>.Build.Dense(length, dimension, (p, t) => Math.Pow(points[p], t));
        var top = vandermonde.SubMatrix(0, dimension, 0, dimension);
        var systematic = vandermonde * top.Inverse();
        for (var i = 0; i < dimension; i++)
        {
            for (var c = 0; c < dimension; c++)
            {
                systematic[i, c] = i == c ? 1 : 0;
            }
        }

        return new LinearCode<double>(systematic, points);
    }
}
