using System.Globalization;
using SoftErrorSim.Core.Statistics;

namespace SoftErrorSim.Experiments;

/// <summary>
/// The false-alarm budget of `reproduce --all` (experiments/README.md, "Checks and their false-alarm
/// levels"). A check either states an exact fact of the codes (it cannot fail by chance: a count
/// that must be zero, a decode that must be refused) or is a statistical test whose probability of
/// failing when the theory holds is at most its level, whatever the seed. The levels add up to
/// <see cref="FamilyWise"/> (Bonferroni), so every seed passes every check with probability at
/// least 1 - <see cref="FamilyWise"/>.
/// </summary>
public static class FalseAlarm
{
    /// <summary>rate-curves: every plain point's exact two-sided binomial test against the oracle, together.</summary>
    public const double RateCurves = 0.001;

    /// <summary>rate-curves: every stratified point's conservative interval (Bonferroni Clopper-Pearson per stratum) covering the oracle, together.</summary>
    public const double RateCurvesStratified = 0.001;

    /// <summary>numerical-range: every unit-circle point's exact two-sided binomial test against the oracle, together.</summary>
    public const double NumericalRange = 0.002;

    /// <summary>checkpoint-interval: every interval's Chernoff band on the multi-seed mean, together.</summary>
    public const double CheckpointInterval = 0.002;

    /// <summary>gain-ratios: every one-sided test of the success rate at the tolerance, together.</summary>
    public const double GainRatios = 0.001;

    /// <summary>tolerance-vs-p: every one-sided test of the success rate at the achieved tolerance, together.</summary>
    public const double ToleranceVsP = 0.001;

    /// <summary>training-under-faults: every run's fault counts against the binomial region of its draws, together.</summary>
    public const double TrainingUnderFaults = 0.001;

    /// <summary>fault-environment: the exact two-sided binomial region of the oracle at every plain point.</summary>
    public const double FaultEnvironment = 0.0005;

    /// <summary>fault-environment: every stratified point's conservative interval holding the oracle (even and outlier environments), together.</summary>
    public const double FaultEnvironmentStratified = 0.0005;

    /// <summary>The sum of the budgets: the family-wise false-alarm level of `reproduce --all`.</summary>
    public const double FamilyWise = RateCurves + RateCurvesStratified + NumericalRange + CheckpointInterval + GainRatios + ToleranceVsP + TrainingUnderFaults + FaultEnvironment + FaultEnvironmentStratified;

    /// <summary>
    /// The one-sided exact binomial test of "the failure rate is at most <paramref name="rate"/>":
    /// holds unless <paramref name="failures"/> or more failures in <paramref name="trials"/> would
    /// have probability below <paramref name="alpha"/> at that rate (so it fails with probability at
    /// most alpha when the rate is at most <paramref name="rate"/>).
    /// </summary>
    public static bool AtMostRate(long failures, long trials, double rate, double alpha)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(failures);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(failures, trials);
        return failures == 0 || BinomialTail.MoreThan(checked((int)trials), checked((int)failures - 1), rate) >= alpha;
    }

    /// <summary>A level for a detail line ("1.2e-4").</summary>
    public static string Text(double alpha) => alpha.ToString("0.#e0", CultureInfo.InvariantCulture);
}
