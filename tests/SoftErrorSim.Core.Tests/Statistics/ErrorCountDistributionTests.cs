using SoftErrorSim.Core.MonteCarlo;
using SoftErrorSim.Core.Randomness;
using SoftErrorSim.Core.Statistics;

namespace SoftErrorSim.Core.Tests.Statistics;

public class ErrorCountDistributionTests
{
    private static readonly double[] Rates = [0.3, 0.01, 0.5, 1e-4, 0.2, 0.07, 0.9, 0.15, 0.02, 0.6, 0.33];

    /// <summary>P(exactly e err) by enumerating all 2^n patterns: the definition itself.</summary>
    private static double[] Enumerated(double[] rates)
    {
        var n = rates.Length;
        var weights = new double[n + 1];
        for (var mask = 0; mask < 1 << n; mask++)
        {
            double p = 1;
            for (var i = 0; i < n; i++)
            {
                p *= (mask >> i & 1) == 1 ? rates[i] : 1 - rates[i];
            }

            weights[System.Numerics.BitOperations.PopCount((uint)mask)] += p;
        }

        return weights;
    }

    [Fact]
    public void Poisson_binomial_weights_equal_the_enumeration_of_every_pattern()
    {
        var dp = ErrorCountDistribution.PoissonBinomial(Rates);
        var exact = Enumerated(Rates);

        // Both are sums of at most 2^11 non-negative products of 11 factors: agreement to 1e-13
        // relative (a few hundred ulps) is all rounding can explain; a wrong recurrence is off by percent.
        for (var e = 0; e <= Rates.Length; e++)
        {
            Assert.True(Math.Abs(dp[e] - exact[e]) <= 1e-13 * exact[e] + 1e-300, $"e = {e}: {dp[e]} vs {exact[e]}");
        }
    }

    [Theory]
    [InlineData(12, 0.02)]
    [InlineData(16, 0.05)]
    [InlineData(64, 1e-3)]
    public void Equal_rates_give_the_binomial_both_ways_and_sum_to_one(int nodes, double rate)
    {
        var binomial = ErrorCountDistribution.Binomial(nodes, rate);
        var dp = ErrorCountDistribution.PoissonBinomial(Enumerable.Repeat(rate, nodes).ToArray());

        // Log-space terms and the recurrence agree to 1e-12 relative wherever the weight is above
        // 1e-250 (below it the log-space exp and the product underflow differently).
        for (var e = 0; e <= nodes; e++)
        {
            if (binomial[e] > 1e-250)
            {
                Assert.True(Math.Abs(binomial[e] - dp[e]) <= 1e-12 * binomial[e], $"e = {e}: {binomial[e]} vs {dp[e]}");
            }
        }

        // The weights of a distribution sum to 1 up to the rounding of P + 1 terms.
        Assert.Equal(1.0, binomial.Sum(), 12);
        Assert.Equal(binomial[nodes] > 0 ? BinomialTail.MoreThan(nodes, 2, rate) : 0, binomial.Skip(3).Sum(), 12);
    }

    [Fact]
    public void The_suffix_table_starts_from_the_whole_distribution()
    {
        var table = ErrorCountDistribution.SuffixTable(Rates);
        var weights = ErrorCountDistribution.PoissonBinomial(Rates);
        for (var e = 0; e <= Rates.Length; e++)
        {
            Assert.Equal(weights[e], table[e], 14);
        }
    }

    /// <summary>
    /// The conditional law of the erring set given its size, from enumeration: node i is in the
    /// set with probability sum over sets of size e holding i of prod, over the weight of size e.
    /// </summary>
    private static double[] Inclusion(double[] rates, int errors)
    {
        var n = rates.Length;
        var inclusion = new double[n];
        double total = 0;
        for (var mask = 0; mask < 1 << n; mask++)
        {
            if (System.Numerics.BitOperations.PopCount((uint)mask) != errors)
            {
                continue;
            }

            double p = 1;
            for (var i = 0; i < n; i++)
            {
                p *= (mask >> i & 1) == 1 ? rates[i] : 1 - rates[i];
            }

            total += p;
            for (var i = 0; i < n; i++)
            {
                inclusion[i] += (mask >> i & 1) == 1 ? p : 0;
            }
        }

        return inclusion.Select(x => x / total).ToArray();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Conditional_sampling_strikes_each_node_at_its_exact_conditional_rate(bool planted)
    {
        // Each node's count over 20,000 draws of 3 erring nodes must lie in the exact binomial
        // acceptance region of its enumerated inclusion probability at level 1e-6 per node
        // (1.1e-5 for all 11: the false-alarm rate of this test). A sampler that ignored the rates
        // (uniform sets, the planted bug) puts node 6 (rate 0.9) in 27% of sets instead of 78%.
        const int Draws = 20_000;
        const int Errors = 3;
        var sampler = planted ? NodeErrorRates.Equal(Rates.Length, 0.1) : NodeErrorRates.PerNode(Rates);
        var exact = Inclusion(Rates, Errors);
        var counts = new long[Rates.Length];
        var positions = new int[Errors];
        for (var draw = 0; draw < Draws; draw++)
        {
            sampler.Sample(Errors, StreamKey.Source(42, (ulong)draw), positions);
            Assert.Equal(Errors, positions.Distinct().Count());
            Assert.True(positions.SequenceEqual(positions.Order()));
            foreach (var p in positions)
            {
                counts[p]++;
            }
        }

        var accepted = Enumerable.Range(0, Rates.Length).All(i => BinomialAcceptance.Holds(counts[i], Draws, exact[i], 1e-6));
        Assert.Equal(!planted, accepted);
    }

    [Fact]
    public void Equal_rates_draw_every_set_of_a_size_alike()
    {
        // 30,000 draws of 2 of 6 nodes: each of the 15 pairs within the exact binomial acceptance
        // region of 1/15 at level 1e-6 (false alarm 1.5e-5 over the 15).
        const int Draws = 30_000;
        var sampler = NodeErrorRates.Equal(6, 0.2);
        var counts = new Dictionary<(int, int), long>();
        var positions = new int[2];
        for (var draw = 0; draw < Draws; draw++)
        {
            sampler.Sample(2, StreamKey.Source(7, (ulong)draw), positions);
            counts[(positions[0], positions[1])] = counts.GetValueOrDefault((positions[0], positions[1])) + 1;
        }

        Assert.Equal(15, counts.Count);
        Assert.All(counts.Values, c => Assert.True(BinomialAcceptance.Holds(c, Draws, 1.0 / 15, 1e-6), $"{c} of {Draws}"));
    }
}
