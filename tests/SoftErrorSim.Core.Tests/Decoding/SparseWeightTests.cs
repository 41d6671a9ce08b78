using MathNet.Numerics.LinearAlgebra;
using SoftErrorSim.Core.Faults;
using SoftErrorSim.Core.Randomness;

namespace SoftErrorSim.Core.Tests.Decoding;

public class SparseWeightTests
{
    [Theory]
    [InlineData(200, 100, 100)] // 0.5% of 20,000 entries
    [InlineData(784, 10, 39)] // round(39.2)
    [InlineData(4, 4, 1)] // a small block still gets one perturbed entry
    public void Exactly_half_a_percent_of_the_entries_change_each_by_at_most_five(int rows, int cols, int expected)
    {
        var random = new RandomSource(3);
        var clean = Matrix<double>.Build.Dense(rows, cols, (i, j) => i - (0.5 * j));
        var stored = clean.Clone();
        var struck = ErrorInjection.SparseWeight(stored, random);
        Assert.Equal(expected, struck.Length);
        Assert.Equal(struck.Order().Distinct(), struck);
        var changed = new List<int>();
        for (var index = 0; index < rows * cols; index++)
        {
            var delta = stored[index % rows, index / rows] - clean[index % rows, index / rows];
            if (delta != 0)
            {
                changed.Add(index);
                Assert.InRange(Math.Abs(delta), 0, 5);
            }
        }

        Assert.Equal(struck, changed);
    }

    [Fact]
    public void Perturbations_are_uniform_on_minus_five_to_five_and_positions_uniform()
    {
        // 200 faults of 100 entries each on a 100 x 200 block: 20,000 perturbations.
        var random = new RandomSource(9);
        var deltas = new List<double>();
        var hits = new int[20_000];
        for (var fault = 0; fault < 200; fault++)
        {
            var stored = Matrix<double>.Build.Dense(100, 200);
            foreach (var index in ErrorInjection.SparseWeight(stored, random))
            {
                deltas.Add(stored.AsColumnMajorArray()[index]);
                hits[index]++;
            }
        }

        // Uniform on [-5, 5]: mean 0 (sd 5/sqrt(3)/sqrt(n)), variance 25/3, quartiles at -2.5 and 2.5.
        var n = deltas.Count;
        Assert.InRange(deltas.Average(), -5 * (5 / Math.Sqrt(3) / Math.Sqrt(n)), 5 * (5 / Math.Sqrt(3) / Math.Sqrt(n)));
        Assert.InRange(deltas.Select(d => d * d).Average(), 25.0 / 3 * 0.95, 25.0 / 3 * 1.05);
        Assert.InRange(deltas.Count(d => d < -2.5) / (double)n, 0.25 - 0.02, 0.25 + 0.02);
        Assert.All(deltas, d => Assert.InRange(d, -5, 5));
        // Positions: each entry is struck with probability 0.005 per fault, ~1 time in 200 faults; the
        // first and second halves of the block get half the hits each.
        var firstHalf = hits.Take(10_000).Sum();
        Assert.InRange(firstHalf / (double)n, 0.5 - 0.02, 0.5 + 0.02);
    }

    [Theory]
    [InlineData(0.0, 5.0)]
    [InlineData(1.5, 5.0)]
    [InlineData(0.005, 0.0)]
    [InlineData(0.005, double.PositiveInfinity)]
    public void Nonsense_parameters_are_refused(double fraction, double amplitude) =>
        Assert.Throws<ArgumentException>(() => ErrorInjection.SparseWeight(Matrix<double>.Build.Dense(4, 4), new RandomSource(1), fraction, amplitude));
}
