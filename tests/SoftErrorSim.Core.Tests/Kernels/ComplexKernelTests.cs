using CsCheck;
using SoftErrorSim.Core.Kernels;
using SoftErrorSim.Core.Randomness;

namespace SoftErrorSim.Core.Tests.Kernels;

/// <summary>
/// The complex product kernel against its contract: result = A Y is, bit for bit, what clearing
/// each result row and adding A[i, p] Y[p] with <see cref="ComplexKernels.AddScaled"/> once per
/// nonzero A[i, p] in order of p gives (the decoders' syndromes and projections rely on it). The
/// widths cover the blocks of 16 doubles, of 4, and the scalar tail, alone and together; some
/// weights are zero (skipped) and their magnitudes span six decades.
/// </summary>
public class ComplexKernelTests
{
    private static double[] Values(RandomSource random, int count, double zeroShare)
    {
        var values = new double[count];
        for (var i = 0; i < count; i += 2)
        {
            if (random.NextDouble() >= zeroShare)
            {
                (values[i], values[i + 1]) = (random.NextGaussian() * Math.Pow(10, random.NextInt(7) - 3), random.NextGaussian());
            }
        }

        return values;
    }

    [Fact]
    public void Multiply_rows_equals_one_AddScaled_per_nonzero_weight_bit_for_bit() =>
        Gen.Select(Gen.Int[1, 9], Gen.Int[1, 14], Gen.Int[1, 90], Gen.Bool, Gen.ULong).Sample((rows, inner, words, accumulate, seed) =>
        {
            var random = new RandomSource(seed);
            var width = 2 * words;
            var a = Values(random, 2 * rows * inner, 0.2);
            var y = Values(random, inner * width, 0);
            var start = Values(random, rows * width, 0);

            var result = (double[])start.Clone();
            ComplexKernels.MultiplyRows(a, rows, inner, y, width, result, accumulate);

            var expected = accumulate ? (double[])start.Clone() : new double[rows * width];
            for (var i = 0; i < rows; i++)
            {
                for (var p = 0; p < inner; p++)
                {
                    var (wr, wi) = (a[2 * ((p * rows) + i)], a[(2 * ((p * rows) + i)) + 1]);
                    if (wr != 0 || wi != 0)
                    {
                        ComplexKernels.AddScaled(expected.AsSpan(i * width, width), y.AsSpan(p * width, width), wr, wi);
                    }
                }
            }

            return result.AsSpan().SequenceEqual(expected);
        }, iter: 300);
}
