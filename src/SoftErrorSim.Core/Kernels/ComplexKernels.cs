using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SoftErrorSim.Core.Kernels;

/// <summary>
/// Vectorised kernels on interleaved complex spans (real, imaginary, real, imaginary, ...), the
/// layout of System.Numerics.Complex and of complex node outputs on the wire. A 256-bit register
/// holds two complex numbers; a product by (wr + i wi) is wr x + (-wi, wi) * swap(x), where swap
/// exchanges the parts of each number, so one pass costs two multiply-adds and one permute per
/// two complex numbers (measured in DecoderBenchmarks).
/// </summary>
internal static class ComplexKernels
{
    /// <summary>y += (wr + i wi) x on interleaved spans of equal length.</summary>
    public static void AddScaled(Span<double> y, ReadOnlySpan<double> x, double wr, double wi)
    {
        var i = 0;
        if (Vector256.IsHardwareAccelerated && y.Length >= 4)
        {
            var real = Vector256.Create(wr);
            var imaginary = Vector256.Create(-wi, wi, -wi, wi);
            for (; i <= y.Length - 4; i += 4)
            {
                var v = Vector256.Create(x.Slice(i, 4));
                var swapped = Vector256.Shuffle(v, Vector256.Create(1L, 0, 3, 2));
                var result = Vector256.Create(y.Slice(i, 4)) + (real * v) + (imaginary * swapped);
                result.CopyTo(y.Slice(i, 4));
            }
        }

        for (; i < y.Length; i += 2)
        {
            var (xr, xi) = (x[i], x[i + 1]);
            y[i] += (wr * xr) - (wi * xi);
            y[i + 1] += (wr * xi) + (wi * xr);
        }
    }

    /// <summary>sum conj(x_i) y_i on interleaved spans of equal length.</summary>
    public static Complex Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        double re = 0, im = 0;
        var i = 0;
        if (Vector256.IsHardwareAccelerated && x.Length >= 4)
        {
            var accumulateReal = Vector256<double>.Zero;
            var accumulateImaginary = Vector256<double>.Zero;
            for (; i <= x.Length - 4; i += 4)
            {
                var a = Vector256.Create(x.Slice(i, 4));
                var b = Vector256.Create(y.Slice(i, 4));

                // (ar - i ai)(br + i bi) = (ar br + ai bi) + i (ar bi - ai br).
                accumulateReal += a * b;
                accumulateImaginary += a * Vector256.Shuffle(b, Vector256.Create(1L, 0, 3, 2));
            }

            re = Vector256.Sum(accumulateReal);
            var signed = accumulateImaginary * Vector256.Create(1.0, -1.0, 1.0, -1.0);
            im = Vector256.Sum(signed);
        }

        for (; i < x.Length; i += 2)
        {
            re += (x[i] * y[i]) + (x[i + 1] * y[i + 1]);
            im += (x[i] * y[i + 1]) - (x[i + 1] * y[i]);
        }

        return new Complex(re, im);
    }

    /// <summary>
    /// result = A Y on interleaved complex data: A rows x inner (column-major, interleaved), Y
    /// inner x width doubles (row-major), result rows x width doubles, overwritten; zero entries of
    /// A are skipped. Every entry of the result takes exactly the operations, in the same order,
    /// that clearing it and calling <see cref="AddScaled"/> once per nonzero A[i, p] in order of p
    /// would (the same vector formula on the same leading doubles, the same scalar formula on the
    /// tail), so the two agree bit for bit; the loops are interchanged so that four vectors of a
    /// row of the result stay in registers while p runs, instead of a load and a store per axpy.
    /// With <paramref name="accumulate"/> the result is added to rather than overwritten; without
    /// <paramref name="skipZeros"/> every A[i, p] is applied, zero or not (as an unconditional axpy loop does).
    /// </summary>
    public static void MultiplyRows(ReadOnlySpan<double> a, int rows, int inner, ReadOnlySpan<double> y, int width, Span<double> result, bool accumulate = false, bool skipZeros = true)
    {
        if (a.Length < 2 * rows * inner || y.Length < inner * width || result.Length < rows * width)
        {
            throw new ArgumentException("operands too short for the product");
        }

        var vectorEnd = Vector256.IsHardwareAccelerated && width >= 4 ? width - (width % 4) : 0;
        var swap = Vector256.Create(1L, 0, 3, 2);
        for (var i = 0; i < rows; i++)
        {
            var target = result.Slice(i * width, width);
            var j = 0;
            for (; j + 16 <= vectorEnd; j += 16)
            {
                var (acc0, acc1, acc2, acc3) = accumulate
                    ? (Vector256.Create(target[j..]), Vector256.Create(target[(j + 4)..]), Vector256.Create(target[(j + 8)..]), Vector256.Create(target[(j + 12)..]))
                    : (Vector256<double>.Zero, Vector256<double>.Zero, Vector256<double>.Zero, Vector256<double>.Zero);
                // Checked once above: every load below lies inside a and y (p < inner, j + 16 <= width).
                ref var weights = ref MemoryMarshal.GetReference(a);
                ref var source = ref MemoryMarshal.GetReference(y);
                for (var p = 0; p < inner; p++)
                {
                    var at = (nuint)(2 * ((p * rows) + i));
                    var (wr, wi) = (Unsafe.Add(ref weights, at), Unsafe.Add(ref weights, at + 1));
                    if (skipZeros && wr == 0 && wi == 0)
                    {
                        continue;
                    }

                    var real = Vector256.Create(wr);
                    var imaginary = Vector256.Create(-wi, wi, -wi, wi);
                    var offset = (nuint)((p * width) + j);
                    var v0 = Vector256.LoadUnsafe(ref source, offset);
                    var v1 = Vector256.LoadUnsafe(ref source, offset + 4);
                    var v2 = Vector256.LoadUnsafe(ref source, offset + 8);
                    var v3 = Vector256.LoadUnsafe(ref source, offset + 12);
                    acc0 = acc0 + (real * v0) + (imaginary * Vector256.Shuffle(v0, Vector256.Create(1L, 0, 3, 2)));
                    acc1 = acc1 + (real * v1) + (imaginary * Vector256.Shuffle(v1, Vector256.Create(1L, 0, 3, 2)));
                    acc2 = acc2 + (real * v2) + (imaginary * Vector256.Shuffle(v2, Vector256.Create(1L, 0, 3, 2)));
                    acc3 = acc3 + (real * v3) + (imaginary * Vector256.Shuffle(v3, Vector256.Create(1L, 0, 3, 2)));
                }

                acc0.CopyTo(target[j..]);
                acc1.CopyTo(target[(j + 4)..]);
                acc2.CopyTo(target[(j + 8)..]);
                acc3.CopyTo(target[(j + 12)..]);
            }

            for (; j < vectorEnd; j += 4)
            {
                var acc = accumulate ? Vector256.Create(target[j..]) : Vector256<double>.Zero;
                for (var p = 0; p < inner; p++)
                {
                    var (wr, wi) = (a[2 * ((p * rows) + i)], a[(2 * ((p * rows) + i)) + 1]);
                    if (skipZeros && wr == 0 && wi == 0)
                    {
                        continue;
                    }

                    var v = Vector256.Create(y.Slice((p * width) + j, 4));
                    acc = acc + (Vector256.Create(wr) * v) + (Vector256.Create(-wi, wi, -wi, wi) * Vector256.Shuffle(v, swap));
                }

                acc.CopyTo(target[j..]);
            }

            for (; j < width; j += 2)
            {
                var (re, im) = accumulate ? (target[j], target[j + 1]) : (0.0, 0.0);
                for (var p = 0; p < inner; p++)
                {
                    var (wr, wi) = (a[2 * ((p * rows) + i)], a[(2 * ((p * rows) + i)) + 1]);
                    if (skipZeros && wr == 0 && wi == 0)
                    {
                        continue;
                    }

                    var (xr, xi) = (y[(p * width) + j], y[(p * width) + j + 1]);
                    re += (wr * xr) - (wi * xi);
                    im += (wr * xi) + (wi * xr);
                }

                target[j] = re;
                target[j + 1] = im;
            }
        }
    }
}
