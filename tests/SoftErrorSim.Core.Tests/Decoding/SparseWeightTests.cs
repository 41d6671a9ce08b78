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
        var clean = Enumerable.Range(0, rows * cols).Select(i => (i % rows) - (0.5 * (i / rows))).ToArray();
        var stored = (double[])clean.Clone();
        FaultInjector.Strike(stored, ErrorValueModel.SparseWeight, 0, random);
        var changed = Enumerable.Range(0, stored.Length).Where(i => stored[i] != clean[i]).ToList();
        Assert.Equal(expected, changed.Count);
        Assert.All(changed, i => Assert.InRange(Math.Abs(stored[i] - clean[i]), 0, 5));
    }

    [Fact]
    public void Perturbations_are_uniform_on_minus_five_to_five_and_positions_uniform()
    {
        // 200 faults of 100 entries each on a 20,000-word block: 20,000 perturbations.
        var random = new RandomSource(9);
        var deltas = new List<double>();
        var hits = new int[20_000];
        for (var fault = 0; fault < 200; fault++)
        {
            var stored = new double[20_000];
            FaultInjector.Strike(stored, ErrorValueModel.SparseWeight, 0, random);
            for (var index = 0; index < stored.Length; index++)
            {
                if (stored[index] != 0)
                {
                    deltas.Add(stored[index]);
                    hits[index]++;
                }
            }
        }

        // Uniform on [-5, 5]: mean 0 (sd 5/sqrt(3)/sqrt(n)), variance 25/3, quartiles at -2.5 and 2.5.
        var n = deltas.Count;
        Assert.Equal(20_000, n);
        Assert.InRange(deltas.Average(), -5 * (5 / Math.Sqrt(3) / Math.Sqrt(n)), 5 * (5 / Math.Sqrt(3) / Math.Sqrt(n)));
        Assert.InRange(deltas.Select(d => d * d).Average(), 25.0 / 3 * 0.95, 25.0 / 3 * 1.05);
        Assert.InRange(deltas.Count(d => d < -2.5) / (double)n, 0.25 - 0.02, 0.25 + 0.02);
        Assert.All(deltas, d => Assert.InRange(d, -5, 5));

        // Positions: the first and second halves of the block get half the hits each.
        var firstHalf = hits.Take(10_000).Sum();
        Assert.InRange(firstHalf / (double)n, 0.5 - 0.02, 0.5 + 0.02);
    }

    [Theory]
    [InlineData(0.0, 5.0)]
    [InlineData(1.5, 5.0)]
    [InlineData(0.005, 0.0)]
    [InlineData(0.005, double.PositiveInfinity)]
    public void Nonsense_parameters_are_refused(double fraction, double amplitude) =>
        Assert.Throws<ArgumentException>(() => new ErrorValueModel { Kind = ErrorModelKind.SparseWeight, Fraction = fraction, Magnitude = amplitude }.Validate());
}
