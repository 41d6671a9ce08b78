using MathNet.Numerics.Distributions;

namespace SoftErrorSim.Core.Statistics;

/// <summary>A two-sided interval [Low, High] on a binomial proportion.</summary>
public readonly record struct ProportionInterval(double Low, double High);

/// <summary>Confidence intervals on a success rate estimated from Monte Carlo trials.</summary>
public static class BinomialInterval
{
    /// <summary>The normal quantile for a two-sided 95% interval.</summary>
    public const double Z95 = 1.959963984540054;

    /// <summary>
    /// The Wilson score interval (Wilson, 1927): well behaved at 0 and 1 successes, which is where
    /// decoding success rates live. Used on every plotted rate.
    /// </summary>
    public static ProportionInterval Wilson(long successes, long trials, double z = Z95)
    {
        Validate(successes, trials);
        if (trials == 0)
        {
            return new ProportionInterval(0, 1);
        }

        var n = (double)trials;
        var p = successes / n;
        var z2 = z * z;
        var centre = (p + (z2 / (2 * n))) / (1 + (z2 / n));
        var half = z / (1 + (z2 / n)) * Math.Sqrt((p * (1 - p) / n) + (z2 / (4 * n * n)));
        return new ProportionInterval(Math.Max(0, centre - half), Math.Min(1, centre + half));
    }

    /// <summary>
    /// The exact Clopper-Pearson interval (1934) at confidence 1 - alpha, from Beta quantiles: it
    /// never under-covers, which is what a regression gate needs.
    /// </summary>
    public static ProportionInterval ClopperPearson(long successes, long trials, double alpha = 0.05)
    {
        Validate(successes, trials);
        if (alpha is <= 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "alpha must lie in (0, 1).");
        }

        if (trials == 0)
        {
            return new ProportionInterval(0, 1);
        }

        var low = successes == 0 ? 0.0 : Beta.InvCDF(successes, trials - successes + 1, alpha / 2);
        var high = successes == trials ? 1.0 : Beta.InvCDF(successes + 1, trials - successes, 1 - (alpha / 2));
        return new ProportionInterval(low, high);
    }

    private static void Validate(long successes, long trials)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(trials);
        if (successes < 0 || successes > trials)
        {
            throw new ArgumentOutOfRangeException(nameof(successes), successes, "successes must lie in [0, trials].");
        }
    }
}
