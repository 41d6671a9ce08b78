using System.Runtime.InteropServices;
using MathNet.Numerics.LinearAlgebra;
using SoftErrorSim.Core.Coding;
using SoftErrorSim.Core.Randomness;

namespace SoftErrorSim.Benchmarks;

/// <summary>
/// The configuration every benchmark measures, as named by the decoding-cost target: GPD with
/// m = n = 3 (K_fwd = mn + n - 1 = 11) on P = 24 nodes, 256 x 256 blocks, so W is 768 x 768 and
/// every coded forward output has 256 entries.
/// </summary>
internal static class BenchmarkWorkload
{
    public const int NodeCount = 24;
    public const int Split = 3;
    public const int BlockSize = 256;

    /// <summary>Seed of the workload; timings do not depend on the values, only on the shapes.</summary>
    public const ulong Seed = 1;

    public static CodeConfiguration Configuration { get; } = new CodeConfiguration
    {
        Scheme = SchemeKind.Gpd,
        NodeCount = NodeCount,
        RowSplit = Split,
        ColumnSplit = Split,
    }.Validate();

    public static Matrix<double> Gaussian(int rows, int cols, RandomSource random)
    {
        var values = new double[rows * cols];
        random.FillGaussian(values);
        return Matrix<double>.Build.Dense(rows, cols, values);
    }

    public static Vector<double> GaussianVector(int length, RandomSource random)
    {
        var values = new double[length];
        random.FillGaussian(values);
        return Vector<double>.Build.Dense(values);
    }

    /// <summary>Every node's stored block W~_p and encoded input x~_p for a random W and x of the workload's shape.</summary>
    public static (Matrix<double>[] Stored, Vector<double>[] EncodedInputs) CodedOperands(GeneralizedPolyDotCode code, RandomSource random)
    {
        var weights = Gaussian(Split * BlockSize, Split * BlockSize, random);
        var input = GaussianVector(Split * BlockSize, random);
        var stored = code.EncodeWeights(weights);
        var encoded = new Vector<double>[code.NodeCount];
        for (var node = 0; node < code.NodeCount; node++)
        {
            encoded[node] = code.EncodeInput(input, node);
        }

        return (stored, encoded);
    }

    /// <summary>y_p = W~_p x~_p for every node: the work a coded forward pass decodes.</summary>
    public static Vector<double>[] AllCodedProducts(Matrix<double>[] stored, Vector<double>[] encodedInputs)
    {
        var outputs = new Vector<double>[stored.Length];
        for (var node = 0; node < stored.Length; node++)
        {
            outputs[node] = BlockProducts.Multiply(stored[node], encodedInputs[node]);
        }

        return outputs;
    }

    /// <summary>
    /// y = A x as a column-by-column axpy over A's dense column-major storage with
    /// <see cref="System.Numerics.Vector{T}"/>, writing into <paramref name="destination"/> without
    /// allocating. A reference for what the arithmetic of a coded product costs; Core does not use it.
    /// </summary>
    public static void ReferenceProduct(Matrix<double> block, Vector<double> input, Span<double> destination)
    {
        var values = block.AsColumnMajorArray() ?? throw new ArgumentException("the reference kernel needs a dense matrix", nameof(block));
        var rows = block.RowCount;
        var y = destination[..rows];
        y.Clear();
        var yVectors = MemoryMarshal.Cast<double, System.Numerics.Vector<double>>(y);
        var tail = yVectors.Length * System.Numerics.Vector<double>.Count;
        for (var j = 0; j < block.ColumnCount; j++)
        {
            var column = values.AsSpan(j * rows, rows);
            var x = input[j];
            var scale = new System.Numerics.Vector<double>(x);
            var columnVectors = MemoryMarshal.Cast<double, System.Numerics.Vector<double>>(column);
            for (var v = 0; v < yVectors.Length; v++)
            {
                yVectors[v] += scale * columnVectors[v];
            }

            for (var i = tail; i < rows; i++)
            {
                y[i] += x * column[i];
            }
        }
    }

    /// <summary>One caller-owned output per node for <see cref="AllReferenceProducts"/>.</summary>
    public static double[][] Destinations(int nodeCount) =>
        Enumerable.Range(0, nodeCount).Select(_ => new double[BlockSize]).ToArray();

    /// <summary><see cref="ReferenceProduct"/> for every node: the P coded products at the cost of their arithmetic.</summary>
    public static double[][] AllReferenceProducts(Matrix<double>[] stored, Vector<double>[] encodedInputs, double[][] destinations)
    {
        for (var node = 0; node < stored.Length; node++)
        {
            ReferenceProduct(stored[node], encodedInputs[node], destinations[node]);
        }

        return destinations;
    }
}
