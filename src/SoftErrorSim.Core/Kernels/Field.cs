using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using MathNet.Numerics.LinearAlgebra;
using SoftErrorSim.Core.Randomness;

namespace SoftErrorSim.Core.Kernels;

/// <summary>
/// The arithmetic the decoders need over their field of scalars, float64 reals or complex numbers
/// (unit-circle codes, SPEC 2): conjugation, magnitudes, conjugate dot products, axpys and the
/// sparse product of a parity or interpolation operator with a received word. Each operation
/// branches on typeof(T), which the JIT folds away per instantiation, so the real path runs the
/// same vectorised kernels it always did and the decoders are written once.
/// </summary>
internal static class Field
{
    /// <summary>Whether T is the complex field.</summary>
    public static bool IsComplex<T>() => typeof(T) == typeof(Complex);

    /// <summary>|x|.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Abs<T>(T x) => typeof(T) == typeof(double) ? Math.Abs(Unsafe.As<T, double>(ref x)) : Complex.Abs(Unsafe.As<T, Complex>(ref x));

    /// <summary>|x|^2.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Abs2<T>(T x)
    {
        if (typeof(T) == typeof(double))
        {
            var d = Unsafe.As<T, double>(ref x);
            return d * d;
        }

        var c = Unsafe.As<T, Complex>(ref x);
        return (c.Real * c.Real) + (c.Imaginary * c.Imaginary);
    }

    /// <summary>The complex conjugate (the identity on the reals).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Conj<T>(T x)
    {
        if (typeof(T) == typeof(double))
        {
            return x;
        }

        var c = Complex.Conjugate(Unsafe.As<T, Complex>(ref x));
        return Unsafe.As<Complex, T>(ref c);
    }

    /// <summary>The real part.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Real<T>(T x) => typeof(T) == typeof(double) ? Unsafe.As<T, double>(ref x) : Unsafe.As<T, Complex>(ref x).Real;

    /// <summary>A real number as a scalar of T.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T FromReal<T>(double value)
    {
        if (typeof(T) == typeof(double))
        {
            return Unsafe.As<double, T>(ref value);
        }

        var c = new Complex(value, 0);
        return Unsafe.As<Complex, T>(ref c);
    }

    /// <summary>a + b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Add<T>(T a, T b)
    {
        if (typeof(T) == typeof(double))
        {
            var d = Unsafe.As<T, double>(ref a) + Unsafe.As<T, double>(ref b);
            return Unsafe.As<double, T>(ref d);
        }

        var c = Unsafe.As<T, Complex>(ref a) + Unsafe.As<T, Complex>(ref b);
        return Unsafe.As<Complex, T>(ref c);
    }

    /// <summary>a - b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Subtract<T>(T a, T b)
    {
        if (typeof(T) == typeof(double))
        {
            var d = Unsafe.As<T, double>(ref a) - Unsafe.As<T, double>(ref b);
            return Unsafe.As<double, T>(ref d);
        }

        var c = Unsafe.As<T, Complex>(ref a) - Unsafe.As<T, Complex>(ref b);
        return Unsafe.As<Complex, T>(ref c);
    }

    /// <summary>a b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Multiply<T>(T a, T b)
    {
        if (typeof(T) == typeof(double))
        {
            var d = Unsafe.As<T, double>(ref a) * Unsafe.As<T, double>(ref b);
            return Unsafe.As<double, T>(ref d);
        }

        var c = Unsafe.As<T, Complex>(ref a) * Unsafe.As<T, Complex>(ref b);
        return Unsafe.As<Complex, T>(ref c);
    }

    /// <summary>a s for a real s.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Scale<T>(T a, double s)
    {
        if (typeof(T) == typeof(double))
        {
            var d = Unsafe.As<T, double>(ref a) * s;
            return Unsafe.As<double, T>(ref d);
        }

        var c = Unsafe.As<T, Complex>(ref a) * s;
        return Unsafe.As<Complex, T>(ref c);
    }

    /// <summary>Whether both parts are finite.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsFinite<T>(T a) => typeof(T) == typeof(double)
        ? double.IsFinite(Unsafe.As<T, double>(ref a))
        : double.IsFinite(Unsafe.As<T, Complex>(ref a).Real) && double.IsFinite(Unsafe.As<T, Complex>(ref a).Imaginary);

    /// <summary>A standard normal scalar: N(0, 1), or (N + i N)/sqrt 2 over C (unit variance either way).</summary>
    public static T Gaussian<T>(RandomSource random)
    {
        if (typeof(T) == typeof(double))
        {
            var d = random.NextGaussian();
            return Unsafe.As<double, T>(ref d);
        }

        var c = new Complex(random.NextGaussian(), random.NextGaussian()) / Math.Sqrt(2);
        return Unsafe.As<Complex, T>(ref c);
    }

    /// <summary>Fills a span with standard normal scalars.</summary>
    public static void FillGaussian<T>(Span<T> destination, RandomSource random)
    {
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = Gaussian<T>(random);
        }
    }

    /// <summary>sum conj(x_i) y_i.</summary>
    public static T Dot<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y)
        where T : struct
    {
        if (typeof(T) == typeof(double))
        {
            var d = DenseKernels.Dot(MemoryMarshal.Cast<T, double>(x), MemoryMarshal.Cast<T, double>(y));
            return Unsafe.As<double, T>(ref d);
        }

        var c = ComplexKernels.Dot(MemoryMarshal.Cast<T, double>(x), MemoryMarshal.Cast<T, double>(y));
        return Unsafe.As<Complex, T>(ref c);
    }

    /// <summary>sum |x_i|^2.</summary>
    public static double Norm2<T>(ReadOnlySpan<T> x)
        where T : struct
    {
        var doubles = MemoryMarshal.Cast<T, double>(x);
        return DenseKernels.Dot(doubles, doubles);
    }

    /// <summary>y += w x.</summary>
    public static void AddScaled<T>(Span<T> y, ReadOnlySpan<T> x, T w)
        where T : struct
    {
        if (typeof(T) == typeof(double))
        {
            DenseKernels.AddScaled(MemoryMarshal.Cast<T, double>(y), MemoryMarshal.Cast<T, double>(x), Unsafe.As<T, double>(ref w));
            return;
        }

        var s = Unsafe.As<T, Complex>(ref w);
        ComplexKernels.AddScaled(MemoryMarshal.Cast<T, double>(y), MemoryMarshal.Cast<T, double>(x), s.Real, s.Imaginary);
    }

    /// <summary>
    /// result = A Y for A (r x P, a MathNet matrix whose columns outside a subset are zero) and Y
    /// (P x L, row-major), into a zeroed or overwritten r x L row-major <paramref name="result"/>;
    /// zero entries of A are skipped.
    /// </summary>
    public static void Multiply<T>(Matrix<T> left, ReadOnlySpan<T> right, int length, Span<T> result)
        where T : struct, IEquatable<T>, IFormattable
    {
        var rows = left.RowCount;
        var inner = left.ColumnCount;
        var a = left.AsColumnMajorArray() ?? left.ToColumnMajorArray();
        result[..(rows * length)].Clear();
        for (var p = 0; p < inner; p++)
        {
            var source = right.Slice(p * length, length);
            for (var i = 0; i < rows; i++)
            {
                var weight = a[(p * rows) + i];
                if (!weight.Equals(default))
                {
                    AddScaled(result.Slice(i * length, length), source, weight);
                }
            }
        }
    }

}
