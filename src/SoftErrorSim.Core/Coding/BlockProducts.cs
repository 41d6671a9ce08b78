using MathNet.Numerics.LinearAlgebra;
using SoftErrorSim.Core.Decoding;

namespace SoftErrorSim.Core.Coding;

/// <summary>
/// The coded products every node computes, as span kernels into caller-owned outputs. MathNet's
/// general matrix-vector product copies the block on every call (measured with BenchmarkDotNet,
/// about 15x slower here), which would make every decode look cheap by comparison.
/// </summary>
public static class BlockProducts
{
    /// <summary>output = block * input, block column-major: a sum of input-weighted columns (axpy form).</summary>
    public static void Multiply(Matrix<double> block, ReadOnlySpan<double> input, Span<double> output)
    {
        ArgumentNullException.ThrowIfNull(block);
        var rows = block.RowCount;
        if (input.Length != block.ColumnCount || output.Length != rows)
        {
            throw new ArgumentException("input and output lengths must match the block");
        }

        var values = block.AsColumnMajorArray() ?? block.ToColumnMajorArray();
        output.Clear();
        for (var j = 0; j < input.Length; j++)
        {
            DenseKernels.AddScaled(output, values.AsSpan(j * rows, rows), input[j]);
        }
    }

    /// <summary>output = block^T * input: one dot product per column of the block.</summary>
    public static void TransposeMultiply(Matrix<double> block, ReadOnlySpan<double> input, Span<double> output)
    {
        ArgumentNullException.ThrowIfNull(block);
        var rows = block.RowCount;
        if (input.Length != rows || output.Length != block.ColumnCount)
        {
            throw new ArgumentException("input and output lengths must match the block");
        }

        var values = block.AsColumnMajorArray() ?? block.ToColumnMajorArray();
        for (var j = 0; j < output.Length; j++)
        {
            output[j] = DenseKernels.Dot(values.AsSpan(j * rows, rows), input);
        }
    }

    /// <summary>block += scale * left right^T, in place: one axpy per column (the coded SGD update is rank one).</summary>
    public static void RankOneUpdate(Matrix<double> block, ReadOnlySpan<double> left, ReadOnlySpan<double> right, double scale)
    {
        ArgumentNullException.ThrowIfNull(block);
        var rows = block.RowCount;
        if (left.Length != rows || right.Length != block.ColumnCount)
        {
            throw new ArgumentException("factor lengths must match the block");
        }

        var values = block.AsColumnMajorArray() ?? throw new ArgumentException("the block must be dense", nameof(block));
        for (var j = 0; j < right.Length; j++)
        {
            if (right[j] != 0)
            {
                DenseKernels.AddScaled(values.AsSpan(j * rows, rows), left, scale * right[j]);
            }
        }
    }

    /// <summary>block * input as a new vector.</summary>
    public static Vector<double> Multiply(Matrix<double> block, Vector<double> input)
    {
        ArgumentNullException.ThrowIfNull(block);
        ArgumentNullException.ThrowIfNull(input);
        var output = new double[block.RowCount];
        Multiply(block, input.AsArray() ?? input.ToArray(), output);
        return Vector<double>.Build.Dense(output);
    }

    /// <summary>block^T * input as a new vector.</summary>
    public static Vector<double> TransposeMultiply(Matrix<double> block, Vector<double> input)
    {
        ArgumentNullException.ThrowIfNull(block);
        ArgumentNullException.ThrowIfNull(input);
        var output = new double[block.ColumnCount];
        TransposeMultiply(block, input.AsArray() ?? input.ToArray(), output);
        return Vector<double>.Build.Dense(output);
    }
}
