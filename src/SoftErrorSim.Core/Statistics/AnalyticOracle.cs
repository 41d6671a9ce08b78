namespace SoftErrorSim.Core.Statistics;

/// <summary>
/// A decode as independent units for the analytic oracle (SPEC 6): <paramref name="Repeats"/>
/// units that each fail when more than <paramref name="Tolerance"/> of their
/// <paramref name="Symbols"/> symbols are wrong, each symbol wrong independently with probability
/// <paramref name="SymbolErrorRate"/>. Each scheme describes its own decodes this way.
/// </summary>
public readonly record struct OracleUnits(int Symbols, int Tolerance, double SymbolErrorRate, int Repeats);

/// <summary>
/// The exact success probability of a decode made of independent units (SPEC 6): for a linear code
/// that corrects exactly its tolerance t in symbols, the binomial tail sum_{k&lt;=t} C(S,k) eps^k
/// (1-eps)^(S-k), raised to the number of independent units.
/// </summary>
public static class AnalyticOracle
{
    /// <summary>The success probability.</summary>
    public static double SuccessProbability(OracleUnits units) =>
        Math.Pow(BinomialTail.AtMost(units.Symbols, units.Tolerance, units.SymbolErrorRate), units.Repeats);

    /// <summary>
    /// 1 - <see cref="SuccessProbability"/>, computed directly from the upper binomial tails so that
    /// failure rates far below 1e-16 stay resolvable (log-scale figures need them).
    /// </summary>
    public static double FailureProbability(OracleUnits units)
    {
        // 1 - (1 - f)^repeats, with f the failure probability of one independent unit.
        var unitFailure = BinomialTail.MoreThan(units.Symbols, units.Tolerance, units.SymbolErrorRate);
        return unitFailure >= 1 ? 1 : -BinomialTail.ExpMinus1(units.Repeats * BinomialTail.Log1Plus(-unitFailure));
    }
}
