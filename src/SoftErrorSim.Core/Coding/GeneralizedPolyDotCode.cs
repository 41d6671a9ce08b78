using MathNet.Numerics.LinearAlgebra;

namespace SoftErrorSim.Core.Coding;

/// <summary>
/// Generalized PolyDot codes (Dutta, Bai, Jeong, Low and Grover, 2018; SPEC 2) on P nodes with an
/// m x n split of the weights. Node p stores W~_p = sum_ij W_ij a_p^(n i + j): one block-sized piece,
/// 1/(mn) of W. Forward, backward, update and repair all work on these stored blocks; weights are
/// encoded once and stay encoded.
/// </summary>
public sealed class GeneralizedPolyDotCode
{
    private readonly double[][] _powers;

    /// <summary>Creates the code on the given evaluation points (one per node).</summary>
    public GeneralizedPolyDotCode(IReadOnlyList<double> points, int rowSplit, int columnSplit, int? batchSplit = null)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rowSplit);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columnSplit);
        Points = points.ToArray();
        RowSplit = rowSplit;
        ColumnSplit = columnSplit;
        BatchSplit = batchSplit;
        var maxDegree = Math.Max(
            GpdThresholds.Backward(rowSplit, columnSplit),
            batchSplit is { } d ? GpdThresholds.MatMat(rowSplit, columnSplit, d) : 0);
        maxDegree = Math.Max(maxDegree, GpdThresholds.Forward(rowSplit, columnSplit));
        _powers = Points.Select(a => Enumerable.Range(0, maxDegree + 1).Select(t => Math.Pow(a, t)).ToArray()).ToArray();
        ForwardCode = RealLinearCode.PolynomialEvaluation(Points, GpdThresholds.Forward(rowSplit, columnSplit));
        BackwardCode = RealLinearCode.PolynomialEvaluation(Points, GpdThresholds.Backward(rowSplit, columnSplit));
        StorageCode = RealLinearCode.PolynomialEvaluation(Points, rowSplit * columnSplit);
        MatMatCode = batchSplit is { } dd ? RealLinearCode.PolynomialEvaluation(Points, GpdThresholds.MatMat(rowSplit, columnSplit, dd)) : null;
    }

    /// <summary>Creates the code a validated GPD configuration describes.</summary>
    public static GeneralizedPolyDotCode From(CodeConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        configuration.Validate();
        var points = EvaluationPoints.Create(configuration.Points, configuration.NodeCount, configuration.CodeSeed);
        return new GeneralizedPolyDotCode(points, configuration.RowSplit, configuration.ColumnSplit, configuration.BatchSplit);
    }

    /// <summary>a_p, one per node.</summary>
    public IReadOnlyList<double> Points { get; }

    /// <summary>P.</summary>
    public int NodeCount => Points.Count;

    /// <summary>m.</summary>
    public int RowSplit { get; }

    /// <summary>n.</summary>
    public int ColumnSplit { get; }

    /// <summary>d, or null when no matrix-matrix code was asked for.</summary>
    public int? BatchSplit { get; }

    /// <summary>The forward code, dimension K_fwd = mn + n - 1.</summary>
    public RealLinearCode ForwardCode { get; }

    /// <summary>The backward code, dimension K_bwd = 2mn - n.</summary>
    public RealLinearCode BackwardCode { get; }

    /// <summary>The code of the stored blocks themselves, dimension mn: a (P, mn) MDS code used for repair.</summary>
    public RealLinearCode StorageCode { get; }

    /// <summary>The matrix-matrix code, dimension mnd + n - 1, when d was given.</summary>
    public RealLinearCode? MatMatCode { get; }

    /// <summary>The degree of the forward product polynomial whose coefficient is s_i = sum_j W_ij x_j: n i + n - 1.</summary>
    public int ForwardDegree(int rowBlock) => (ColumnSplit * rowBlock) + ColumnSplit - 1;

    /// <summary>The degree whose coefficient is c_j = sum_i W_ij^T delta_i: n(m - 1) + j.</summary>
    public int BackwardDegree(int columnBlock) => (ColumnSplit * (RowSplit - 1)) + columnBlock;

    /// <summary>The degree whose coefficient is C_il = sum_j A_ij B_jl: n i + n - 1 + mn l.</summary>
    public int MatMatDegree(int rowBlock, int batchBlock) => ForwardDegree(rowBlock) + (RowSplit * ColumnSplit * batchBlock);

    /// <summary>a_p^t.</summary>
    public double Power(int node, int exponent) => _powers[node][exponent];

    /// <summary>
    /// W~_p = sum_ij W_ij a_p^(n i + j) for every node p. W must be (m R) x (n C); each stored block is R x C.
    /// </summary>
    public Matrix<double>[] EncodeWeights(Matrix<double> weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        var (blockRows, blockCols) = BlockShape(weights);

        // Cut the mn blocks out once, then form every node's combination with in-place axpys
        // (a 10,000 x 10,000 layer on 40 nodes would otherwise allocate tens of GB of temporaries).
        var blocks = new double[RowSplit * ColumnSplit][];
        for (var i = 0; i < RowSplit; i++)
        {
            for (var j = 0; j < ColumnSplit; j++)
            {
                blocks[(ColumnSplit * i) + j] = weights.SubMatrix(i * blockRows, blockRows, j * blockCols, blockCols).AsColumnMajorArray();
            }
        }

        var stored = new Matrix<double>[NodeCount];
        for (var p = 0; p < NodeCount; p++)
        {
            var block = Matrix<double>.Build.Dense(blockRows, blockCols);
            var values = block.AsColumnMajorArray();
            for (var t = 0; t < blocks.Length; t++)
            {
                Decoding.DenseKernels.AddScaled(values, blocks[t], _powers[p][t]);
            }

            stored[p] = block;
        }

        return stored;
    }

    /// <summary>x~_p = sum_l x_l a_p^(n - 1 - l): node p's local encoding of the input (length C).</summary>
    public Vector<double> EncodeInput(Vector<double> input, int node)
    {
        ArgumentNullException.ThrowIfNull(input);
        var length = SplitLength(input.Count, ColumnSplit, "input");
        var encoded = Vector<double>.Build.Dense(length);
        for (var l = 0; l < ColumnSplit; l++)
        {
            var coefficient = _powers[node][ColumnSplit - 1 - l];
            for (var k = 0; k < length; k++)
            {
                encoded[k] += coefficient * input[(l * length) + k];
            }
        }

        return encoded;
    }

    /// <summary>delta~_p = sum_k delta_k a_p^(n(m - 1 - k)): node p's local encoding of the backward input (length R).</summary>
    public Vector<double> EncodeDelta(Vector<double> delta, int node)
    {
        ArgumentNullException.ThrowIfNull(delta);
        var length = SplitLength(delta.Count, RowSplit, "delta");
        var encoded = Vector<double>.Build.Dense(length);
        for (var k = 0; k < RowSplit; k++)
        {
            var coefficient = _powers[node][ColumnSplit * (RowSplit - 1 - k)];
            for (var i = 0; i < length; i++)
            {
                encoded[i] += coefficient * delta[(k * length) + i];
            }
        }

        return encoded;
    }

    /// <summary>
    /// B~_p = sum_kl B_kl a_p^(n - 1 - k + mn l) for the right factor of a matrix-matrix product;
    /// B must be (n C) x (d Bc), each encoded block is C x Bc.
    /// </summary>
    public Matrix<double> EncodeRightFactor(Matrix<double> right, int node)
    {
        ArgumentNullException.ThrowIfNull(right);
        var d = BatchSplit ?? throw new InvalidOperationException("the code was built without a batch split d");
        var blockRows = SplitLength(right.RowCount, ColumnSplit, "right factor rows");
        var blockCols = SplitLength(right.ColumnCount, d, "right factor columns");
        var encoded = Matrix<double>.Build.Dense(blockRows, blockCols);
        for (var k = 0; k < ColumnSplit; k++)
        {
            for (var l = 0; l < d; l++)
            {
                var coefficient = _powers[node][ColumnSplit - 1 - k + (RowSplit * ColumnSplit * l)];
                encoded.Add(right.SubMatrix(k * blockRows, blockRows, l * blockCols, blockCols).Multiply(coefficient), encoded);
            }
        }

        return encoded;
    }

    /// <summary>
    /// The coded update of SPEC 2: W~_p &lt;- W~_p - eta (sum_i delta_i a_p^(n i)) (sum_j x_j a_p^j)^T,
    /// a rank-one update from two locally encoded vectors, equal to encoding the plain update.
    /// </summary>
    public void ApplyUpdate(Matrix<double> stored, int node, Vector<double> delta, Vector<double> input, double learningRate)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(delta);
        ArgumentNullException.ThrowIfNull(input);
        var rows = SplitLength(delta.Count, RowSplit, "delta");
        var cols = SplitLength(input.Count, ColumnSplit, "input");
        var left = Vector<double>.Build.Dense(rows);
        for (var i = 0; i < RowSplit; i++)
        {
            var coefficient = _powers[node][ColumnSplit * i];
            for (var k = 0; k < rows; k++)
            {
                left[k] += coefficient * delta[(i * rows) + k];
            }
        }

        var right = Vector<double>.Build.Dense(cols);
        for (var j = 0; j < ColumnSplit; j++)
        {
            var coefficient = _powers[node][j];
            for (var k = 0; k < cols; k++)
            {
                right[k] += coefficient * input[(j * cols) + k];
            }
        }

        stored.Subtract(left.OuterProduct(right).Multiply(learningRate), stored);
    }

    /// <summary>
    /// Regenerates node <paramref name="target"/>'s stored block from the blocks of <paramref name="goodNodes"/>
    /// (at least mn of them): the stored blocks are evaluations of a matrix polynomial of degree mn - 1,
    /// so W~_q = sum_p lambda_p W~_p with lambda the least-squares interpolation weights.
    /// Returns null when fewer than mn good nodes are given.
    /// </summary>
    public Matrix<double>? Repair(IReadOnlyList<Matrix<double>> stored, int target, IReadOnlyList<int> goodNodes)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(goodNodes);
        var rows = goodNodes.OrderBy(p => p).ToArray();
        if (rows.Length < RowSplit * ColumnSplit)
        {
            return null;
        }

        var system = StorageCode.System(rows);
        var targetRow = StorageCode.Generator.Row(target);
        var weights = system.PseudoInverse.TransposeThisAndMultiply(targetRow);
        var repaired = Matrix<double>.Build.Dense(stored[rows[0]].RowCount, stored[rows[0]].ColumnCount);
        foreach (var p in rows)
        {
            repaired.Add(stored[p].Multiply(weights[p]), repaired);
        }

        return repaired;
    }

    private (int Rows, int Cols) BlockShape(Matrix<double> weights) =>
        (SplitLength(weights.RowCount, RowSplit, "weight rows"), SplitLength(weights.ColumnCount, ColumnSplit, "weight columns"));

    private static int SplitLength(int total, int parts, string what)
    {
        if (total % parts != 0)
        {
            throw new ArgumentException($"{what} ({total}) must be divisible by {parts}");
        }

        return total / parts;
    }
}
