using SoftErrorSim.Core.Randomness;
using SoftErrorSim.Core.Statistics;

namespace SoftErrorSim.Core.MonteCarlo;

/// <summary>
/// Independent node errors as the stratified estimator sees them (SPEC 6, "Rare events"): the
/// exact weights w_e = P(exactly e of the nodes err) and a sampler of the erring nodes conditioned
/// on their number, so that a stratum's trials strike the same positions, in law, as the trials of
/// a rate campaign that happened to strike e nodes. Equal rates (the default environment) give
/// binomial weights and uniformly random sets; per-node rates (node rates, step rates) give
/// Poisson-binomial weights and the conditional law P(S | |S| = e) proportional to prod over S of
/// p_i / (1 - p_i).
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
/// Per-node rates: Poisson-binomial weights by dynamic programming, and exact sequential
/// conditional sampling (no rejection). Given e errors, a set S has probability proportional to
/// prod over S of r_i, r_i = p_i / (1 - p_i) the node's odds; scaling every odds by one constant
/// scales every set of size e alike, so the sampler works with r_i / max r (each in [0, 1]) and the
/// backward table E[i, k] = e_k(r_i .. r_(P-1)) (elementary symmetric polynomials of the scaled odds
/// of nodes i..P-1: E[i, k] = E[i + 1, k] + r_i E[i + 1, k - 1]). With k errors left to place among
/// nodes i..P-1, node i errs with probability r_i E[i + 1, k - 1] / E[i, k]. Unscaled, the same
/// ratio is p_i T(i + 1, k - 1) / T(i, k) with T the tail probabilities of
/// <see cref="ErrorCountDistribution.SuffixTable"/>, but those are products of the rates themselves
/// and underflow at tiny rates (1e-20 at 16 nodes is 1e-320) where the scaled odds do not. A node
/// at rate 1 is in every set (its odds are infinite: it is placed, never weighed); a node at rate 0
/// in none. Every visited node draws one uniform number, whatever its rate.
/// </summary>
internal sealed class PerNodeErrorRates : NodeErrorRates
{
    private readonly double[] _weights;
    private readonly double[] _odds;
    private readonly bool[] _certain;
    private readonly double[] _table;

    public PerNodeErrorRates(IReadOnlyList<double> rates)
    {
        ArgumentNullException.ThrowIfNull(rates);
        _weights = ErrorCountDistribution.PoissonBinomial(rates);
        var n = rates.Count;
        _certain = rates.Select(p => p == 1).ToArray();
        _odds = rates.Select(p => p == 1 ? 0 : p / (1 - p)).ToArray();
        var largest = _odds.Max();
        if (largest > 0)
        {
            for (var i = 0; i < n; i++)
            {
                _odds[i] /= largest;
            }
        }

        _table = new double[(n + 1) * (n + 1)];
        _table[n * (n + 1)] = 1;
        for (var i = n - 1; i >= 0; i--)
        {
            for (var k = 0; k <= n - i; k++)
            {
                var with = k > 0 ? _table[((i + 1) * (n + 1)) + k - 1] : 0;
                _table[(i * (n + 1)) + k] = _certain[i] ? with : _table[((i + 1) * (n + 1)) + k] + (_odds[i] * with);
            }
        }
    }

    public override int Nodes => _odds.Length;

    public override IReadOnlyList<double> Weights => _weights;

    public override void Sample(int errors, RandomSource random, Span<int> positions)
    {
        ArgumentNullException.ThrowIfNull(random);
        var n = _odds.Length;
        if (errors < 0 || errors > n || !(_weights[errors] > 0) || !(_table[errors] > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(errors), errors, "no set of that many erring nodes has positive probability");
        }

        var placed = 0;
        for (var i = 0; i < n && placed < errors; i++)
        {
            var left = errors - placed;
            var u = random.NextDouble();
            var here = _certain[i] ? 1 : _odds[i] * _table[((i + 1) * (n + 1)) + left - 1];
            var total = _certain[i] ? 1 : _table[(i * (n + 1)) + left];
            if (u * total < here)
            {
                positions[placed++] = i;
            }
        }
    }
}
