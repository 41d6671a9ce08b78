namespace SoftErrorSim.Reporting;

/// <summary>
/// What a figure draws for a rate with no event in n trials, which a log axis cannot show: the
/// exact one-sided 95% upper confidence bound, 1 - 0.05^(1/n) (Clopper and Pearson, 1934, at zero
/// events; about 3/n, the "rule of three").
/// </summary>
public static class ZeroFailureBound
{
    /// <summary>The confidence of the bound.</summary>
    public const double Confidence = 0.95;

    /// <summary>How legends name the bound (two lines).</summary>
    public const string Description = "none in n trials: one-sided 95%\nupper bound 1 - 0.05^(1/n), about 3/n";

    /// <summary>
    /// The largest rate p with (1 - p)^n at least 0.05: 1 - 0.05^(1/n), computed as
    /// -expm1(ln(0.05)/n) so that it keeps full precision at a billion trials. NaN for no trials.
    /// </summary>
    public static double Upper(long trials)
    {
        if (trials <= 0)
        {
            return double.NaN;
        }

        var x = Math.Log(1 - Confidence) / trials;
        // expm1 by its series where exp(x) - 1 would cancel: the first term left out, x^4/24, is below 1e-16 of x for |x| < 1e-5.
        var expm1 = Math.Abs(x) < 1e-5 ? x * (1 + (x / 2 * (1 + (x / 3)))) : Math.Exp(x) - 1;
        return -expm1;
    }
}
