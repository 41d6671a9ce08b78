
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
}
