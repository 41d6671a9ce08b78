using SoftErrorSim.Core.Randomness;

namespace SoftErrorSim.Core.Tests.Randomness;

public class RandomSourceTests
{
    [Fact]
    public void Xoshiro256_star_star_matches_the_reference_sequence()
    {
        // Reference: state (1, 2, 3, 4) gives 11520, 0, 1509978240, 1215971899390074240 (Vigna's C code).
        var source = RandomSourceTestAccess.FromState(1, 2, 3, 4);
        Assert.Equal(11520UL, source.NextUInt64());
        Assert.Equal(0UL, source.NextUInt64());
        Assert.Equal(1509978240UL, source.NextUInt64());
        Assert.Equal(1215971899390074240UL, source.NextUInt64());
    }

    [Fact]
    public void SplitMix64_matches_the_reference_sequence()
    {
        // Reference values of SplitMix64 seeded with 1234567 (Steele, Lea and Flood; Vigna's splitmix64.c).
        var state = 1234567UL;
        Assert.Equal(6457827717110365317UL, StreamKey.SplitMix64(ref state));
        Assert.Equal(3203168211198807973UL, StreamKey.SplitMix64(ref state));
    }

    [Fact]
    public void Same_path_gives_the_same_stream_and_different_paths_differ()
    {
        Assert.Equal(StreamKey.Derive(7, 1, 2), StreamKey.Derive(7, 1, 2));
        Assert.NotEqual(StreamKey.Derive(7, 1, 2), StreamKey.Derive(7, 2, 1));
        Assert.NotEqual(StreamKey.Derive(7, 1, 2), StreamKey.Derive(8, 1, 2));
        Assert.Equal(StreamKey.Hash("scheme=gpd"), StreamKey.Hash("scheme=gpd"));
        // FNV-1a 64 of the empty string is its offset basis; of "a" a published value.
        Assert.Equal(0xCBF29CE484222325UL, StreamKey.Hash(string.Empty));
        Assert.Equal(0xAF63DC4C8601EC8CUL, StreamKey.Hash("a"));
    }

    [Fact]
    public void Uniform_and_Gaussian_draws_have_the_right_moments()
    {
        var source = new RandomSource(42);
        const int n = 200_000;
        double sum = 0, sumSquares = 0, uniformSum = 0;
        for (var i = 0; i < n; i++)
        {
            var g = source.NextGaussian();
            sum += g;
            sumSquares += g * g;
            uniformSum += source.NextDouble();
        }

        // Five standard errors: mean of N(0,1) has SE 1/sqrt(n); variance SE sqrt(2/n); uniform mean SE sqrt(1/12n).
        Assert.InRange(sum / n, -5 / Math.Sqrt(n), 5 / Math.Sqrt(n));
        Assert.InRange(sumSquares / n, 1 - (5 * Math.Sqrt(2.0 / n)), 1 + (5 * Math.Sqrt(2.0 / n)));
        Assert.InRange(uniformSum / n, 0.5 - (5 * Math.Sqrt(1.0 / (12 * n))), 0.5 + (5 * Math.Sqrt(1.0 / (12 * n))));
    }

    [Fact]
    public void NextInt_is_unbiased_and_Sample_draws_distinct_values()
    {
        var source = new RandomSource(3);
        var counts = new int[7];
        for (var i = 0; i < 70_000; i++)
        {
            counts[source.NextInt(7)]++;
        }

        // Each count is Binomial(70000, 1/7): mean 10000, SD about 92; five SD is 460.
        Assert.All(counts, c => Assert.InRange(c, 9540, 10460));
        var sample = source.Sample(20, 20);
        Assert.Equal(Enumerable.Range(0, 20), sample.Order());
    }
}
