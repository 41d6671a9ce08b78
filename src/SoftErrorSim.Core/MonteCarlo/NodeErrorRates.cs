using SoftErrorSim.Core.Randomness;
using SoftErrorSim.Core.Statistics;

namespace SoftErrorSim.Core.MonteCarlo;

/// <summary>
/// Independent node errors as the stratified estimator sees them (SPEC 6, "Rare events"): the
/// exact weights w_e = P(exactly e of the nodes err) and a sampler of the erring nodes conditioned
/// on their number, so that a stratum's trials strike the same positions, in law, as the trials of
/// a rate campaign that happened to strike e nodes. Equal rates (the campaigns' model today) give
/// binomial weights and uniformly random sets; per-node rates give Poisson-binomial weights and the
/// conditional law P(S | |S| = e) proportional to prod over S of p_i / (1 - p_i).
/// </summary>
public abstract class NodeErrorRates
{
    /// <summary>The nodes that can err.</summary>
    public abstract int Nodes { get; }

    /// <summary>w_0..w_P: the probability that exactly e nodes err.</summary>
    public abstract IReadOnlyList<double> Weights { get; }

    /// <summary>Every node at the same rate.</summary>
    public static NodeErrorRates Equal(int nodes, double errorRate) => new EqualNodeErrorRates(nodes, errorRate);

    /// <summary>Node i at rate <paramref name="rates"/>[i].</summary>
    public static NodeErrorRates PerNode(IReadOnlyList<double> rates) => new PerNodeErrorRates(rates);

    /// <summary>
    /// Draws a set of <paramref name="errors"/> erring nodes from their law conditioned on there
    /// being exactly that many, into <paramref name="positions"/> in ascending order (the order in
    /// which a rate campaign strikes them).
    /// </summary>
    public abstract void Sample(int errors, RandomSource random, Span<int> positions);
}

/// <summary>Equal rates: binomial weights; given e, every set of e nodes is equally likely.</summary>
internal sealed class EqualNodeErrorRates(int nodes, double errorRate) : NodeErrorRates
{
    [ThreadStatic]
    private static int[]? t_pool;

    private readonly double[] _weights = ErrorCountDistribution.Binomial(nodes, errorRate);

    public override int Nodes => nodes;

    public override IReadOnlyList<double> Weights => _weights;

    public override void Sample(int errors, RandomSource random, Span<int> positions)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(errors, nodes);

        // A partial Fisher-Yates shuffle (the draws of RandomSource.Sample, without its allocations),
        // then ascending order.
        var pool = t_pool;
        if (pool is null || pool.Length < nodes)
        {
            t_pool = pool = new int[nodes];
        }

        for (var i = 0; i < nodes; i++)
        {
            pool[i] = i;
        }

        for (var i = 0; i < errors; i++)
        {
            var j = i + random.NextInt(nodes - i);
            (pool[i], pool[j]) = (pool[j], pool[i]);
        }

        pool.AsSpan(0, errors).CopyTo(positions);
        positions[..errors].Sort();
    }
}

/// <summary>
/// Per-node rates: Poisson-binomial weights by dynamic programming, and sequential conditional
/// Bernoulli sampling: with k errors left to place among nodes i..P-1, node i errs with
/// probability p_i T(i+1, k-1) / T(i, k), T the tail table of <see cref="ErrorCountDistribution.SuffixTable"/>.
/// </summary>
internal sealed class PerNodeErrorRates : NodeErrorRates
{
    private readonly double[] _rates;
    private readonly double[] _weights;
    private readonly double[] _suffix;

    public PerNodeErrorRates(IReadOnlyList<double> rates)
    {
        ArgumentNullException.ThrowIfNull(rates);
        _rates = [.. rates];
        _weights = ErrorCountDistribution.PoissonBinomial(_rates);
        _suffix = ErrorCountDistribution.SuffixTable(_rates);
    }

    public override int Nodes => _rates.Length;

    public override IReadOnlyList<double> Weights => _weights;

    public override void Sample(int errors, RandomSource random, Span<int> positions)
    {
        ArgumentNullException.ThrowIfNull(random);
        var n = _rates.Length;
        if (errors < 0 || errors > n || !(_weights[errors] > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(errors), errors, "no set of that many erring nodes has positive probability");
        }

        var placed = 0;
        for (var i = 0; i < n && placed < errors; i++)
        {
            var left = errors - placed;
            var here = _rates[i] * _suffix[((i + 1) * (n + 1)) + left - 1];
            var total = _suffix[(i * (n + 1)) + left];
            if (random.NextDouble() * total < here)
            {
                positions[placed++] = i;
            }
        }
    }
}
