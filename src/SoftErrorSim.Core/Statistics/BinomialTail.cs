namespace SoftErrorSim.Core.Statistics;

/// <summary>The analytic oracle of SPEC 6: the probability that at most t of P independent nodes err.</summary>
public static class BinomialTail
{
    /// <summary>
    /// sum_{k &lt;= t} C(P, k) eps^k (1 - eps)^(P - k): the success probability of a decode that
    /// corrects any t errors when each of P nodes errs independently with probability eps.
    /// Summed in log space term by term, so it stays accurate for P in the thousands.
    /// </summary>
    public static double AtMost(int nodeCount, int correctable, double errorRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(nodeCount);
        if (errorRate is < 0 or > 1 || double.IsNaN(errorRate))
        {
            throw new ArgumentOutOfRangeException(nameof(errorRate), errorRate, "error rate must lie in [0, 1].");
        }

        if (correctable < 0)
        {
            return 0;
        }

        if (correctable >= nodeCount)
        {
            return 1;
        }

        if (errorRate == 0)
        {
            return 1;
        }

        if (errorRate == 1)
        {
            return 0;
        }

        double sum = 0;
        var logEps = Math.Log(errorRate);
        var logKeep = Log1Plus(-errorRate);
        for (var k = 0; k <= correctable; k++)
        {
            sum += Math.Exp(LogChoose(nodeCount, k) + (k * logEps) + ((nodeCount - k) * logKeep));
        }

        return Math.Min(1, sum);
    }

    /// <summary>
    /// sum_{k &gt; t} C(P, k) eps^k (1 - eps)^(P - k): the failure probability of a decode that
    /// corrects t errors, summed directly so that values far below 1e-16 keep their digits
    /// (1 - AtMost would round them to zero).
    /// </summary>
    public static double MoreThan(int nodeCount, int correctable, double errorRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(nodeCount);
        if (errorRate is < 0 or > 1 || double.IsNaN(errorRate))
        {
            throw new ArgumentOutOfRangeException(nameof(errorRate), errorRate, "error rate must lie in [0, 1].");
        }

        if (correctable >= nodeCount || errorRate == 0)
        {
            return 0;
        }

        if (correctable < 0 || errorRate == 1)
        {
            return 1;
        }

        double sum = 0;
        var logEps = Math.Log(errorRate);
        var logKeep = Log1Plus(-errorRate);
        for (var k = correctable + 1; k <= nodeCount; k++)
        {
            sum += Math.Exp(LogChoose(nodeCount, k) + (k * logEps) + ((nodeCount - k) * logKeep));
        }

        return Math.Min(1, sum);
    }

    /// <summary>
    /// ln(1 + x) accurate for tiny x (Goldberg's trick: the rounding of 1 + x cancels in the ratio),
    /// since error rates like 1e-9 would otherwise lose all their digits in 1 - eps.
    /// </summary>
    public static double Log1Plus(double x)
    {
        var u = 1.0 + x;
        return u == 1.0 ? x : Math.Log(u) * x / (u - 1.0);
    }

    /// <summary>
    /// e^x - 1 accurate for tiny x (Taylor series below 1e-5, where the cubic term is under
    /// 1e-16 of the result; exp(x) - 1 beyond it), for probabilities like 1 - (1 - eps)^n.
    /// </summary>
    public static double ExpMinus1(double x) =>
        Math.Abs(x) < 1e-5 ? x + (x * x / 2) + (x * x * x / 6) : Math.Exp(x) - 1;

    /// <summary>
    /// C(n, k) as a double, from <see cref="LogChoose"/>: the integer itself while it is below about
    /// 1e12 (rounding removes the logarithms' relative error of about k x 1e-16), a close value
    /// beyond (what a search budget compares it with).
    /// </summary>
    public static double Choose(int n, int k) => Math.Round(Math.Exp(LogChoose(n, k)));

    /// <summary>ln C(n, k), exact summation of logarithms (n is small here: node counts).</summary>
    public static double LogChoose(int n, int k)
    {
        if (k < 0 || k > n)
        {
            return double.NegativeInfinity;
        }

        k = Math.Min(k, n - k);
        double result = 0;
        for (var i = 1; i <= k; i++)
        {
            result += Math.Log(n - k + i) - Math.Log(i);
        }

        return result;
    }
}
