using System.Numerics;
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
}
