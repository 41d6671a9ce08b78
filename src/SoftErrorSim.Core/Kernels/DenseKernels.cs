
using MathNet.Numerics.LinearAlgebra;
using Simd = System.Numerics.Vector<double>;
using SimdOps = System.Numerics.Vector;

namespace SoftErrorSim.Core.Kernels;

/// <summary>
/// Small dense kernels on plain arrays for the decoders' hot paths (measured with
/// BenchmarkDotNet: MathNet's general routines allocate and copy per call). Row-major layouts,
/// caller-owned buffers where it matters, vectorised with <see cref="Vector{T}"/>.
/// </summary>
internal static class DenseKernels
{
    /// <summary>A row-major copy of a matrix.</summary>
    public static double[] RowMajor(Matrix<double> matrix)
    {
        var result = new double[matrix.RowCount * matrix.ColumnCount];
        RowMajor(matrix, result);
        return result;
    }

    /// <summary>Writes a row-major copy of a matrix into the first rows x cols entries of <paramref name="result"/>.</summary>
    public static void RowMajor(Matrix<double> matrix, Span<double> result)
    {
        var rows = matrix.RowCount;
        var cols = matrix.ColumnCount;
        var source = matrix.AsColumnMajorArray();
        if (source is null)
        {
            for (var i = 0; i < rows; i++)
            {
                for (var j = 0; j < cols; j++)
                {
                    result[(i * cols) + j] = matrix[i, j];
                }
            }

            return;
        }

        for (var j = 0; j < cols; j++)
        {
            for (var i = 0; i < rows; i++)
            {
                result[(i * cols) + j] = source[(j * rows) + i];
            }
        }
    }

    /// <summary>
    /// A (r x P, MathNet) times Y (P x L, row-major) into a new r x L row-major array, skipping the
    /// zero columns of A (symbols outside the subset).
    /// </summary>
    public static double[] Multiply(Matrix<double> left, double[] right, int length)
    {
        var result = new double[left.RowCount * length];
        MultiplyInto(left, right, length, result);
        return result;
    }

    /// <summary>
    /// A (r x P, MathNet) times Y (P x L, row-major) straight into a new MathNet matrix (r x L):
    /// the row-major product is formed in a pooled buffer and transposed once into the result's storage.
    /// </summary>
    public static Matrix<double> MultiplyToMatrix(Matrix<double> left, double[] right, int length)
    {
        var rows = left.RowCount;
        var buffer = System.Buffers.ArrayPool<double>.Shared.Rent(rows * length);
        try
        {
            var product = buffer.AsSpan(0, rows * length);
            product.Clear();
            MultiplyInto(left, right, length, product);
            var columnMajor = new double[rows * length];
            for (var i = 0; i < rows; i++)
            {
                for (var j = 0; j < length; j++)
                {
                    columnMajor[(j * rows) + i] = product[(i * length) + j];
                }
            }

            return Matrix<double>.Build.Dense(rows, length, columnMajor);
        }
        finally
        {
            System.Buffers.ArrayPool<double>.Shared.Return(buffer);
        }
    }

    /// <summary>result += A Y, for a zeroed r x L row-major <paramref name="result"/>.</summary>
    private static void MultiplyInto(Matrix<double> left, double[] right, int length, Span<double> result)
    {
        var rows = left.RowCount;
        var inner = left.ColumnCount;
        var a = left.AsColumnMajorArray() ?? left.ToColumnMajorArray();
        for (var p = 0; p < inner; p++)
        {
            var source = right.AsSpan(p * length, length);
            for (var i = 0; i < rows; i++)
            {
                var weight = a[(p * rows) + i];
                if (weight != 0)
                {
                    AddScaled(result.Slice(i * length, length), source, weight);
                }
            }
        }
    }

    /// <summary>destination += weight * source.</summary>
    public static void AddScaled(Span<double> destination, ReadOnlySpan<double> source, double weight)
    {
        var i = 0;
        if (SimdOps.IsHardwareAccelerated && destination.Length >= Simd.Count)
        {
            var w = new Simd(weight);
            for (; i <= destination.Length - Simd.Count; i += Simd.Count)
            {
                var d = new Simd(destination[i..]);
                (d + (w * new Simd(source[i..]))).CopyTo(destination[i..]);
            }
        }

        for (; i < destination.Length; i++)
        {
            destination[i] += weight * source[i];
        }
    }

    /// <summary>sum x_i y_i.</summary>
    public static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        double sum = 0;
        var i = 0;
        if (SimdOps.IsHardwareAccelerated && x.Length >= Simd.Count)
        {
            var acc = Simd.Zero;
            for (; i <= x.Length - Simd.Count; i += Simd.Count)
            {
                acc += new Simd(x[i..]) * new Simd(y[i..]);
            }

            sum = SimdOps.Sum(acc);
        }

        for (; i < x.Length; i++)
        {
            sum += x[i] * y[i];
        }

        return sum;
    }

    /// <summary>
    /// The lower-triangular factor of S = L Q (Q with orthonormal or zero rows), by modified
    /// Gram-Schmidt on the rows of S with one reorthogonalisation pass ("twice is enough",
    /// Giraud et al. 2005), which keeps L accurate to rounding relative to |S|; S is r x len,
    /// row-major, and is overwritten by Q. Column space and singular values of S equal those of L.
    /// </summary>
    public static Matrix<double> LowerFactor(double[] rows, int count, int length)
    {
        var lower = Matrix<double>.Build.Dense(count, count);
        for (var i = 0; i < count; i++)
        {
            var row = rows.AsSpan(i * length, length);
            for (var pass = 0; pass < 2; pass++)
            {
                for (var k = 0; k < i; k++)
                {
                    var q = rows.AsSpan(k * length, length);
                    var c = Dot(q, row);
                    if (c != 0)
                    {
                        lower[i, k] += c;
                        AddScaled(row, q, -c);
                    }
                }
            }

            var norm = Math.Sqrt(Dot(row, row));
            if (norm == 0)
            {
                continue;
            }

            lower[i, i] = norm;
            var inverse = 1.0 / norm;
            for (var j = 0; j < length; j++)
            {
                row[j] *= inverse;
            }
        }

        return lower;
    }
}
