using SoftErrorSim.Core.Statistics;

namespace SoftErrorSim.Experiments;

/// <summary>
/// A test of "these strikes came from Bernoulli(eps) draws" that stays exact when the number of
/// draws depends on the strikes themselves (a struck step rolls back and is drawn again, a run gives
/// up after too many rollbacks), where a binomial region for the observed number of draws is not.
/// For any fixed lambda, M_t = exp(lambda S_t - t psi(lambda)) with psi(lambda) = ln(1 - eps + eps e^lambda)
/// is a martingale of mean 1 over the sequence of draws (S_t strikes after t draws), so by Ville's
/// inequality P(M_t ever reaches J/alpha) is at most alpha/J, whatever rule chose when to stop. The
/// test rejects when M at the last draw reaches J/alpha for any of J fixed lambdas (a union over a
/// grid of both signs: positive lambdas see too many strikes, negative ones too few), so it fails
/// with probability at most alpha when every draw strikes with probability eps.
/// </summary>
internal static class StrikeCountBound
{
    /// <summary>
    /// lambda = +-2^j, j = -8..2: the best lambda for a deviation at a mean count mu is about
    /// sqrt(2 ln(J/alpha)/mu), from 0.03 (mu = 3e4 strikes expected) to 3 (mu below one), all within
    /// a factor of 1.4 of a grid point.
    /// </summary>
    private static readonly double[] Lambdas = [.. Enumerable.Range(-8, 11).SelectMany(j => new[] { Math.Pow(2, j), -Math.Pow(2, j) })];

    /// <summary>Whether <paramref name="strikes"/> in <paramref name="draws"/> draws are consistent with the rate at level alpha.</summary>
    public static bool Holds(long strikes, long draws, double rate, double alpha)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(strikes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(strikes, draws);
        if (rate <= 0 || rate >= 1)
        {
            return rate <= 0 ? strikes == 0 : strikes == draws;
        }

        var threshold = Math.Log(Lambdas.Length / alpha);
        return Lambdas.All(lambda => (lambda * strikes) - (draws * BinomialTail.Log1Plus(rate * (Math.Exp(lambda) - 1))) < threshold);
    }
}
