
using Simd = System.Numerics.Vector<double>;
using SimdOps = System.Numerics.Vector;

namespace SoftErrorSim.Core.Kernels;

/// <summary>
/// The real axpy and dot product every kernel builds on (measured with BenchmarkDotNet: MathNet's
/// general routines allocate and copy per call), vectorised with System.Numerics.Vector.
/// </summary>
internal static class DenseKernels
{
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
    /// The four real dot products of a complex column with a complex vector (split parts):
    /// are.bre, aim.bim, are.bim, aim.bre, each summed exactly as <see cref="Dot"/> sums it (one
    /// vector accumulator, then the scalar tail), so the bits are those of four Dot calls; one loop
    /// with four independent accumulators instead of four loops each waiting on its one accumulator.
    /// </summary>
    public static (double ReRe, double ImIm, double ReIm, double ImRe) ComplexDots(ReadOnlySpan<double> are, ReadOnlySpan<double> aim, ReadOnlySpan<double> bre, ReadOnlySpan<double> bim)
    {
        var n = are.Length;
        if (aim.Length != n || bre.Length != n || bim.Length != n)
        {
            throw new ArgumentException("the four parts must have one length");
        }

        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        var i = 0;
        if (SimdOps.IsHardwareAccelerated && n >= Simd.Count)
        {
            var (a0, a1, a2, a3) = (Simd.Zero, Simd.Zero, Simd.Zero, Simd.Zero);
            for (; i <= n - Simd.Count; i += Simd.Count)
            {
                var xr = new Simd(are[i..]);
                var xi = new Simd(aim[i..]);
                var yr = new Simd(bre[i..]);
                var yi = new Simd(bim[i..]);
                a0 += xr * yr;
                a1 += xi * yi;
                a2 += xr * yi;
                a3 += xi * yr;
            }

            (s0, s1, s2, s3) = (SimdOps.Sum(a0), SimdOps.Sum(a1), SimdOps.Sum(a2), SimdOps.Sum(a3));
        }

        for (; i < n; i++)
        {
            s0 += are[i] * bre[i];
            s1 += aim[i] * bim[i];
            s2 += are[i] * bim[i];
            s3 += aim[i] * bre[i];
        }

        return (s0, s1, s2, s3);
    }

    /// <summary>
    /// Four dot products with one vector, x0.y .. x3.y, each summed exactly as <see cref="Dot"/>
    /// sums it (the same bits), in one loop with four independent accumulators.
    /// </summary>
    public static (double S0, double S1, double S2, double S3) Dot4(ReadOnlySpan<double> x0, ReadOnlySpan<double> x1, ReadOnlySpan<double> x2, ReadOnlySpan<double> x3, ReadOnlySpan<double> y)
    {
        var n = y.Length;
        if (x0.Length != n || x1.Length != n || x2.Length != n || x3.Length != n)
        {
            throw new ArgumentException("the vectors must have one length");
        }

        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        var i = 0;
        if (SimdOps.IsHardwareAccelerated && n >= Simd.Count)
        {
            var (a0, a1, a2, a3) = (Simd.Zero, Simd.Zero, Simd.Zero, Simd.Zero);
            for (; i <= n - Simd.Count; i += Simd.Count)
            {
                var v = new Simd(y[i..]);
                a0 += new Simd(x0[i..]) * v;
                a1 += new Simd(x1[i..]) * v;
                a2 += new Simd(x2[i..]) * v;
                a3 += new Simd(x3[i..]) * v;
            }

            (s0, s1, s2, s3) = (SimdOps.Sum(a0), SimdOps.Sum(a1), SimdOps.Sum(a2), SimdOps.Sum(a3));
        }

        for (; i < n; i++)
        {
            var v = y[i];
            s0 += x0[i] * v;
            s1 += x1[i] * v;
            s2 += x2[i] * v;
            s3 += x3[i] * v;
        }

        return (s0, s1, s2, s3);
    }
}
