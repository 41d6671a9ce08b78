
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

    /// <summary>
    /// result = A Y for A rows x inner (column-major), Y inner x width (row-major), result rows x
    /// width, overwritten; zero entries of A are skipped. Each entry is accumulated as clearing it
    /// and calling <see cref="AddScaled"/> once per nonzero A[i, p] in order of p would (y + w x,
    /// the same in the vector and the scalar loop), so the two agree bit for bit; the loops are
    /// interchanged to keep a block of the result's row in registers while p runs. With
    /// <paramref name="accumulate"/> the result is added to rather than overwritten; without
    /// <paramref name="skipZeros"/> every A[i, p] is applied, zero or not.
    /// </summary>
    public static void MultiplyRows(ReadOnlySpan<double> a, int rows, int inner, ReadOnlySpan<double> y, int width, Span<double> result, bool accumulate = false, bool skipZeros = true)
    {
        var vectorEnd = SimdOps.IsHardwareAccelerated && width >= Simd.Count ? width - (width % Simd.Count) : 0;
        for (var i = 0; i < rows; i++)
        {
            var target = result.Slice(i * width, width);
            var j = 0;
            for (; j + (2 * Simd.Count) <= vectorEnd; j += 2 * Simd.Count)
            {
                var (acc0, acc1) = accumulate ? (new Simd(target[j..]), new Simd(target[(j + Simd.Count)..])) : (Simd.Zero, Simd.Zero);
                for (var p = 0; p < inner; p++)
                {
                    var w = a[(p * rows) + i];
                    if (skipZeros && w == 0)
                    {
                        continue;
                    }

                    var weight = new Simd(w);
                    var x = y.Slice((p * width) + j, 2 * Simd.Count);
                    acc0 += weight * new Simd(x);
                    acc1 += weight * new Simd(x[Simd.Count..]);
                }

                acc0.CopyTo(target[j..]);
                acc1.CopyTo(target[(j + Simd.Count)..]);
            }

            for (; j < vectorEnd; j += Simd.Count)
            {
                var acc = accumulate ? new Simd(target[j..]) : Simd.Zero;
                for (var p = 0; p < inner; p++)
                {
                    var w = a[(p * rows) + i];
                    if (!skipZeros || w != 0)
                    {
                        acc += new Simd(w) * new Simd(y[((p * width) + j)..]);
                    }
                }

                acc.CopyTo(target[j..]);
            }

            for (; j < width; j++)
            {
                var sum = accumulate ? target[j] : 0.0;
                for (var p = 0; p < inner; p++)
                {
                    var w = a[(p * rows) + i];
                    if (!skipZeros || w != 0)
                    {
                        sum += w * y[(p * width) + j];
                    }
                }

                target[j] = sum;
            }
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
