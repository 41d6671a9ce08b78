namespace SoftErrorSim.Core.Statistics;

/// <summary>
/// The exact distribution of the number of erring nodes when node i errs independently with
/// probability p_i (SPEC 6, "Rare events"): the weights w_e = P(exactly e nodes err) of the
/// stratified estimator. Equal rates give the binomial; unequal rates the Poisson-binomial, by
/// dynamic programming over the nodes.
/// </summary>
public static class ErrorCountDistribution
{
    /// <summary>
    /// w_e = C(P, e) eps^e (1 - eps)^(P - e) for e = 0..P, each term computed in log space (the
    /// same terms <see cref="BinomialTail"/> sums), so weights far below 1e-300 relative to the
    /// largest underflow to zero only where they could never matter.
    /// </summary>
    public static double[] Binomial(int nodes, double errorRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(nodes);
        Check(errorRate);
        var weights = new double[nodes + 1];
        if (errorRate == 0 || errorRate == 1)
        {
            weights[errorRate == 0 ? 0 : nodes] = 1;
            return weights;
        }

        var logEps = Math.Log(errorRate);
        var logKeep = BinomialTail.Log1Plus(-errorRate);
        for (var e = 0; e <= nodes; e++)
        {
            weights[e] = Math.Exp(BinomialTail.LogChoose(nodes, e) + (e * logEps) + ((nodes - e) * logKeep));
        }

        return weights;
    }

    /// <summary>
    /// w_e = P(exactly e of the nodes err) with node i erring independently at <paramref name="rates"/>[i]
    /// (the Poisson-binomial distribution): after node i, q_i(e) = q_(i-1)(e) (1 - p_i) + q_(i-1)(e - 1) p_i,
    /// O(P^2) operations. Every update is a convex combination of non-negative numbers, so no
    /// cancellation occurs and each weight keeps its relative accuracy (a few ulps per node).
    /// </summary>
    public static double[] PoissonBinomial(IReadOnlyList<double> rates)
    {
        ArgumentNullException.ThrowIfNull(rates);
        var weights = new double[rates.Count + 1];
        weights[0] = 1;
        for (var i = 0; i < rates.Count; i++)
        {
            var p = rates[i];
            Check(p);
            for (var e = i + 1; e >= 1; e--)
            {
                weights[e] = (weights[e] * (1 - p)) + (weights[e - 1] * p);
            }

            weights[0] *= 1 - p;
        }

        return weights;
    }

    /// <summary>
    /// The tail table of the Poisson-binomial for conditional sampling: entry [i, k] is
    /// P(exactly k of the nodes i..P-1 err), (P + 1) x (P + 1), row-major. Node i is then in a
    /// uniformly conditioned set of e erring nodes with probability p_i T[i + 1, k - 1] / T[i, k],
    /// k the errors still to place (sequential conditional Bernoulli sampling).
    /// </summary>
    public static double[] SuffixTable(IReadOnlyList<double> rates)
    {
        ArgumentNullException.ThrowIfNull(rates);
        var n = rates.Count;
        var table = new double[(n + 1) * (n + 1)];
        table[(n * (n + 1)) + 0] = 1;
        for (var i = n - 1; i >= 0; i--)
        {
            var p = rates[i];
            Check(p);
            for (var k = 0; k <= n - i; k++)
            {
                var stay = table[((i + 1) * (n + 1)) + k] * (1 - p);
                var err = k > 0 ? table[((i + 1) * (n + 1)) + k - 1] * p : 0;
                table[(i * (n + 1)) + k] = stay + err;
            }
        }

        return table;
    }

    private static void Check(double rate)
    {
        if (!(rate >= 0 && rate <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(rate), rate, "error rates must lie in [0, 1].");
        }
    }
}
