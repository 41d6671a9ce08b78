using MathNet.Numerics.Distributions;

namespace SoftErrorSim.Core.Statistics;

/// <summary>
/// The exact two-sided acceptance region of a binomial count: x successes in n trials are
/// consistent with rate p at level alpha when neither tail beyond x carries less than alpha / 2.
/// A check built on it fails with probability at most alpha whatever the seed, which is what a
/// statistical test or a gate needs (a normal approximation does not hold where rates are small).
/// </summary>
public static class BinomialAcceptance
{
    /// <summary>Whether x lies in the exact acceptance region of Binomial(n, p) at level alpha.</summary>
    public static bool Holds(long successes, long trials, double rate, double alpha)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(trials);
        if (successes < 0 || successes > trials)
        {
            throw new ArgumentOutOfRangeException(nameof(successes), successes, "successes must lie in [0, trials].");
        }

        if (!(rate >= 0 && rate <= 1) || alpha is <= 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(rate), "rate must lie in [0, 1] and alpha in (0, 1).");
        }

        if (trials == 0)
        {
            return true;
        }

        // By Clopper-Pearson duality, P(X <= x) > alpha/2 and P(X >= x) > alpha/2 is the same as p
        // lying inside the exact interval of x at level alpha; the Beta quantiles stay accurate
        // where binomial tails over millions of trials would need long sums.
        var interval = BinomialInterval.ClopperPearson(successes, trials, alpha);
        return interval.Low <= rate && rate <= interval.High;
    }

    /// <summary>The smallest and largest counts the region accepts (for reports): [low, high].</summary>
    public static (long Low, long High) Region(long trials, double rate, double alpha)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(trials);
        if (trials == 0)
        {
            return (0, 0);
        }

        var n = (int)Math.Min(trials, int.MaxValue);
        var low = 0L;
        while (low < trials && Binomial.CDF(rate, n, low) <= alpha / 2)
        {
            low++;
        }

        var high = trials;
        while (high > 0 && 1 - Binomial.CDF(rate, n, high - 1) <= alpha / 2)
        {
            high--;
        }

        return (low, high);
    }
}
