using MathNet.Numerics.LinearAlgebra;
using Simd = System.Numerics.Vector<double>;
using SimdOps = System.Numerics.Vector;

namespace SoftErrorSim.Core.Kernels;

/// <summary>
/// The coded products every node computes, as span kernels into caller-owned outputs, on stored
/// blocks held as plain column-major arrays. Real blocks are rows x cols doubles. Complex blocks
/// (unit-circle GPD, SPEC 2) are split: the rows x cols real parts, then the rows x cols imaginary
/// parts, so that every column operation is a pair of contiguous real streams the SIMD loops can
/// fuse in one pass over memory (matrix-vector work is memory-bound; see ProductBenchmarks).
/// MathNet's general matrix-vector product copies the block on every call (measured with
/// BenchmarkDotNet, about 15x slower here), so Core never uses it for products.
/// </summary>
public static class BlockProducts
{
    /// <summary>output = block * input for a real rows x cols block: a sum of input-weighted columns (axpy form).</summary>
    public static void Multiply(ReadOnlySpan<double> block, int rows, ReadOnlySpan<double> input, Span<double> output)
    {
        var cols = input.Length;
        if (output.Length != rows || block.Length != rows * cols)
        {
            throw new ArgumentException("input and output lengths must match the block");
        }

        output.Clear();
        for (var j = 0; j < cols; j++)
        {
            if (input[j] != 0)
            {
                DenseKernels.AddScaled(output, block.Slice(j * rows, rows), input[j]);
            }
        }
    }

    /// <summary>output = block^T * input for a real rows x cols block: one dot product per column.</summary>
    public static void TransposeMultiply(ReadOnlySpan<double> block, int rows, ReadOnlySpan<double> input, Span<double> output)
    {
        if (input.Length != rows || block.Length != rows * output.Length)
        {
            throw new ArgumentException("input and output lengths must match the block");
        }

        // Four columns at a time in one loop (DenseKernels.Dot4: the bits of four Dot calls).
        var j = 0;
        for (; j + 4 <= output.Length; j += 4)
        {
            (output[j], output[j + 1], output[j + 2], output[j + 3]) = DenseKernels.Dot4(block.Slice(j * rows, rows), block.Slice((j + 1) * rows, rows), block.Slice((j + 2) * rows, rows), block.Slice((j + 3) * rows, rows), input);
        }

        for (; j < output.Length; j++)
        {
            output[j] = DenseKernels.Dot(block.Slice(j * rows, rows), input);
        }
    }

    /// <summary>block += scale * left right^T for a real block, in place: one axpy per column (the coded SGD update is rank one).</summary>
    public static void RankOneUpdate(Span<double> block, ReadOnlySpan<double> left, ReadOnlySpan<double> right, double scale)
    {
        var rows = left.Length;
        if (block.Length != rows * right.Length)
        {
            throw new ArgumentException("factor lengths must match the block");
        }

        for (var j = 0; j < right.Length; j++)
        {
            if (right[j] != 0)
            {
                DenseKernels.AddScaled(block.Slice(j * rows, rows), left, scale * right[j]);
            }
        }
    }

    /// <summary>
    /// y = B x for a complex split block (rows x cols), x split (cols real parts, then cols
    /// imaginary parts), y split likewise (rows, then rows): per column, y += x_j B_j, fused.
    /// </summary>
    public static void ComplexMultiply(ReadOnlySpan<double> block, int rows, ReadOnlySpan<double> input, Span<double> output)
    {
        var cols = input.Length / 2;
        if (output.Length != 2 * rows || block.Length != 2 * rows * cols)
        {
            throw new ArgumentException("input and output lengths must match the complex block");
        }

        var size = rows * cols;
        var yre = output[..rows];
        var yim = output.Slice(rows, rows);
        output.Clear();
        for (var j = 0; j < cols; j++)
        {
            var (xr, xi) = (input[j], input[cols + j]);
            if (xr == 0 && xi == 0)
            {
                continue;
            }

            ComplexAxpy(yre, yim, block.Slice(j * rows, rows), block.Slice(size + (j * rows), rows), xr, xi);
        }
    }

    /// <summary>
    /// z = B^H d for a complex split block (rows x cols): z_j = sum_i conj(B_ij) d_i, four real dot
    /// products per column, d and z split.
    /// </summary>
    public static void ComplexConjugateTransposeMultiply(ReadOnlySpan<double> block, int rows, ReadOnlySpan<double> input, Span<double> output)
    {
        var cols = output.Length / 2;
        if (input.Length != 2 * rows || block.Length != 2 * rows * cols)
        {
            throw new ArgumentException("input and output lengths must match the complex block");
        }

        var size = rows * cols;
        var dre = input[..rows];
        var dim = input.Slice(rows, rows);
        for (var j = 0; j < cols; j++)
        {
            var bre = block.Slice(j * rows, rows);
            var bim = block.Slice(size + (j * rows), rows);

            // (Bre - i Bim)(dre + i dim) = (Bre dre + Bim dim) + i (Bre dim - Bim dre): four real
            // dots in one loop, each with the bits of its own Dot call.
            var (reRe, imIm, reIm, imRe) = DenseKernels.ComplexDots(bre, bim, dre, dim);
            output[j] = reRe + imIm;
            output[cols + j] = reIm - imRe;
        }
    }

    /// <summary>B += scale * u v^T for a complex split block (no conjugate: the coded update of SPEC 2), u and v split.</summary>
    public static void ComplexRankOneUpdate(Span<double> block, ReadOnlySpan<double> left, ReadOnlySpan<double> right, double scale)
    {
        var rows = left.Length / 2;
        var cols = right.Length / 2;
        if (block.Length != 2 * rows * cols)
        {
            throw new ArgumentException("factor lengths must match the complex block");
        }

        var size = rows * cols;
        var ure = left[..rows];
        var uim = left.Slice(rows, rows);
        for (var j = 0; j < cols; j++)
        {
            var (vr, vi) = (scale * right[j], scale * right[cols + j]);
            if (vr == 0 && vi == 0)
            {
                continue;
            }

            // B_j += v_j u: a complex axpy of u into the column.
            ComplexAxpy(block.Slice(j * rows, rows), block.Slice(size + (j * rows), rows), ure, uim, vr, vi);
        }
    }

    /// <summary>(yre + i yim) += (xr + i xi)(are + i aim), one fused pass over the four streams.</summary>
    internal static void ComplexAxpy(Span<double> yre, Span<double> yim, ReadOnlySpan<double> are, ReadOnlySpan<double> aim, double xr, double xi)
    {
        var i = 0;
        var n = yre.Length;
        if (SimdOps.IsHardwareAccelerated && n >= Simd.Count)
        {
            var wr = new Simd(xr);
            var wi = new Simd(xi);
            for (; i <= n - Simd.Count; i += Simd.Count)
            {
                var r = new Simd(are[i..]);
                var m = new Simd(aim[i..]);
                (new Simd(yre[i..]) + (wr * r) - (wi * m)).CopyTo(yre[i..]);
                (new Simd(yim[i..]) + (wr * m) + (wi * r)).CopyTo(yim[i..]);
            }
        }

        for (; i < n; i++)
        {
            var r = are[i];
            var m = aim[i];
            yre[i] += (xr * r) - (xi * m);
            yim[i] += (xr * m) + (xi * r);
        }
    }

    /// <summary>output = block * input (MathNet block, dense).</summary>
    public static void Multiply(Matrix<double> block, ReadOnlySpan<double> input, Span<double> output)
    {
        ArgumentNullException.ThrowIfNull(block);
        if (input.Length != block.ColumnCount)
        {
            throw new ArgumentException("input and output lengths must match the block");
        }

        Multiply(block.AsColumnMajorArray() ?? block.ToColumnMajorArray(), block.RowCount, input, output);
    }

    /// <summary>output = block^T * input (MathNet block, dense).</summary>
    public static void TransposeMultiply(Matrix<double> block, ReadOnlySpan<double> input, Span<double> output)
    {
        ArgumentNullException.ThrowIfNull(block);
        if (output.Length != block.ColumnCount)
        {
            throw new ArgumentException("input and output lengths must match the block");
        }

        TransposeMultiply(block.AsColumnMajorArray() ?? block.ToColumnMajorArray(), block.RowCount, input, output);
    }

    /// <summary>block += scale * left right^T (MathNet block, dense), in place.</summary>
    public static void RankOneUpdate(Matrix<double> block, ReadOnlySpan<double> left, ReadOnlySpan<double> right, double scale)
    {
        ArgumentNullException.ThrowIfNull(block);
        if (left.Length != block.RowCount)
        {
            throw new ArgumentException("factor lengths must match the block");
        }

        RankOneUpdate(block.AsColumnMajorArray() ?? throw new ArgumentException("the block must be dense", nameof(block)), left, right, scale);
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
