using SoftErrorSim.Core.Statistics;

namespace SoftErrorSim.Core.MonteCarlo;

/// <summary>How a stratum (a number of erring nodes) enters the stratified estimate.</summary>
public enum StratumKind
{
    /// <summary>Its failure probability is known exactly and no trial is run: no node errs and the clean decode is deterministic, or the stratum has weight zero.</summary>
    Exact,

    /// <summary>
    /// The code's theory says it never fails (every set of that many erring nodes lies within the
    /// decoder's guaranteed correction radius): sampled only to check that claim. While none of its
    /// trials fails it contributes exactly zero; once one fails it is estimated like a sampled stratum.
    /// </summary>
    Checked,

    /// <summary>A stratum that can fail: estimated from its exact-count trials.</summary>
    Sampled,
}

/// <summary>One stratum of a point: e erring nodes, their exact weight, how it is estimated, and its share of the point's trials.</summary>
/// <param name="Errors">e, the number of erring nodes.</param>
/// <param name="Weight">w_e = P(exactly e nodes err).</param>
/// <param name="Kind">How it enters the estimate.</param>
/// <param name="ExactFailure">The exact P(fail | e) of an <see cref="StratumKind.Exact"/> stratum (0 or 1), 0 otherwise.</param>
/// <param name="ExactSilent">The exact P(silent failure | e) of an exact stratum (0 or 1: a miscorrection), 0 otherwise.</param>
/// <param name="Trials">Trials allocated to it.</param>
/// <param name="FirstTrial">Its first trial in the point's flattened trial index: strata occupy consecutive ranges in order of e.</param>
public readonly record struct Stratum(int Errors, double Weight, StratumKind Kind, double ExactFailure, double ExactSilent, int Trials, int FirstTrial);

/// <summary>A stratified estimate of a probability with its standard error and a conservative confidence interval.</summary>
/// <param name="Rate">sum_e w_e p_e: exact strata at their value, sampled ones at their observed fraction.</param>
/// <param name="StandardError">sqrt(sum w_e^2 p_e (1 - p_e) / n_e) over the sampled strata (Cochran, Sampling Techniques, 5.6); zero when every sampled stratum is all-or-nothing.</param>
/// <param name="Low">Lower end of the interval.</param>
/// <param name="High">Upper end of the interval.</param>
/// <param name="Confidence">Its stated level, 1 - alpha.</param>
public readonly record struct StratifiedEstimate(double Rate, double StandardError, double Low, double High, double Confidence);

/// <summary>
/// The stratified rare-event estimator of SPEC 6: P(fail) = sum_e w_e P(fail | e), with exact
/// weights w_e and each P(fail | e) from exact-count trials.
/// <para>
/// Allocation (deterministic, from the weights and the code's theory alone, so that every shard
/// and every resumed run allocates alike): every stratum that is run gets a floor of
/// max(1, N / (8 S)) trials (S strata run, N the point's trials); of the rest, a quarter goes to
/// the <see cref="StratumKind.Checked"/> strata and three quarters to the
/// <see cref="StratumKind.Sampled"/> ones (all of it to one group when the other is empty), each
/// group's share in proportion to the weights w_e: Neyman allocation (n_e proportional to
/// w_e sigma_e) with every stratum's standard deviation at its worst case 1/2, since nothing is
/// known of P(fail | e) before the trials. Rounding is by largest remainder, ties to the smaller e.
/// </para>
/// <para>
/// Interval: a conservative two-sided interval at level 1 - alpha for any counts, however small.
/// Each stratum that is run gets an exact Clopper-Pearson interval at level alpha / S (Bonferroni:
/// all S hold at once with probability at least 1 - alpha); weighted and summed with the exact
/// strata they bound the estimate. A checked stratum with no failure contributes [0, 0] (the
/// theory, not contradicted by its trials); the interval is then valid given that theory. A
/// normal (Wald) stratified interval is not used: with zero or few failures per stratum it
/// under-covers badly.
/// </para>
/// </summary>
public static class StratifiedEstimator
{
    /// <summary>Relative widening of the interval's ends for the rounding of the weights.</summary>
    public const double WeightRounding = 1e-12;

    /// <summary>The default 1 - confidence of the reported interval.</summary>
    public const double DefaultAlpha = 0.05;

    /// <summary>
    /// The strata of a point with <paramref name="trials"/> trials: weights w_0..w_A, the largest
    /// error count the code's theory guarantees to correct whatever the positions (null: no
    /// theory applies), and the outcome of the clean stratum e = 0 when its decode is
    /// deterministic (null: it is sampled).
    /// </summary>
    public static IReadOnlyList<Stratum> Allocate(IReadOnlyList<double> weights, int trials, int? guaranteedRadius, Decoding.DecodeOutcome? cleanOutcome)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentOutOfRangeException.ThrowIfNegative(trials);
        var count = weights.Count;
        var kinds = new StratumKind[count];
        var exact = new double[count];
        var silent = new double[count];
        for (var e = 0; e < count; e++)
        {
            if (!(weights[e] > 0))
            {
                kinds[e] = StratumKind.Exact;
            }
            else if (e == 0 && cleanOutcome is { } clean)
            {
                kinds[e] = StratumKind.Exact;
                exact[e] = clean is Decoding.DecodeOutcome.Detected or Decoding.DecodeOutcome.Miscorrected ? 1 : 0;
                silent[e] = clean == Decoding.DecodeOutcome.Miscorrected ? 1 : 0;
            }
            else
            {
                kinds[e] = e >= 1 && e <= guaranteedRadius ? StratumKind.Checked : StratumKind.Sampled;
            }
        }

        var run = Enumerable.Range(0, count).Where(e => kinds[e] != StratumKind.Exact).ToArray();
        var allocated = new long[count];
        if (run.Length > 0)
        {
            var floor = trials >= run.Length ? Math.Max(1, trials / (8 * run.Length)) : 0;
            foreach (var e in run)
            {
                allocated[e] = floor;
            }

            var rest = trials - ((long)floor * run.Length);
            var checkedStrata = run.Where(e => kinds[e] == StratumKind.Checked).ToArray();
            var sampledStrata = run.Where(e => kinds[e] == StratumKind.Sampled).ToArray();
            var toChecked = checkedStrata.Length == 0 ? 0 : sampledStrata.Length == 0 ? rest : rest / 4;
            Proportional(checkedStrata, weights, toChecked, allocated);
            Proportional(sampledStrata, weights, rest - toChecked, allocated);
        }

        var strata = new Stratum[count];
        var first = 0;
        for (var e = 0; e < count; e++)
        {
            strata[e] = new Stratum(e, Math.Max(weights[e], 0), kinds[e], exact[e], silent[e], (int)allocated[e], first);
            first += (int)allocated[e];
        }

        return strata;
    }

    /// <summary>Splits <paramref name="budget"/> trials over <paramref name="strata"/> in proportion to their weights, by largest remainder (ties to the smaller e).</summary>
    private static void Proportional(int[] strata, IReadOnlyList<double> weights, long budget, long[] allocated)
    {
        if (strata.Length == 0 || budget <= 0)
        {
            return;
        }

        var total = strata.Sum(e => weights[e]);
        var remainders = new (double Fraction, int Errors)[strata.Length];
        long given = 0;
        for (var i = 0; i < strata.Length; i++)
        {
            var share = budget * (weights[strata[i]] / total);
            var whole = (long)Math.Floor(share);
            allocated[strata[i]] += whole;
            given += whole;
            remainders[i] = (share - whole, strata[i]);
        }

        foreach (var (_, e) in remainders.OrderByDescending(r => r.Fraction).ThenBy(r => r.Errors).Take((int)(budget - given)))
        {
            allocated[e]++;
        }
    }

    /// <summary>
    /// The stratum (index into <paramref name="strata"/>) holding trial <paramref name="trial"/> of
    /// the point's flattened index, and the trial's index within it; -1 outside every stratum's
    /// trials. Strata occupy consecutive ranges in order (an empty one starts where the next
    /// starts), so the holder is the last stratum starting at or before the trial: a binary search,
    /// since every trial of a stratified block asks.
    /// </summary>
    public static (int Stratum, int Local) Locate(IReadOnlyList<Stratum> strata, int trial)
    {
        ArgumentNullException.ThrowIfNull(strata);
        var (low, high) = (0, strata.Count - 1);
        var found = -1;
        while (low <= high)
        {
            var middle = low + ((high - low) / 2);
            if (strata[middle].FirstTrial <= trial)
            {
                found = middle;
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return found >= 0 && trial < strata[found].FirstTrial + strata[found].Trials ? (found, trial - strata[found].FirstTrial) : (-1, 0);
    }

    /// <summary>
    /// The estimate of the probability of an event (a failure, or a silent failure) from the
    /// trials run in each stratum and the events they counted (both indexed like
    /// <paramref name="strata"/>). <paramref name="exactEvent"/> is the exact probability of the
    /// event in an exact stratum (its <see cref="Stratum.ExactFailure"/> for failures);
    /// <paramref name="failures"/> the failures per stratum that decide whether a checked stratum's
    /// theory stands (the events themselves when null).
    /// </summary>
    public static StratifiedEstimate Estimate(IReadOnlyList<Stratum> strata, IReadOnlyList<long> trials, IReadOnlyList<long> events, Func<Stratum, double>? exactEvent = null, double alpha = DefaultAlpha, IReadOnlyList<long>? failures = null)
    {
        ArgumentNullException.ThrowIfNull(strata);
        ArgumentNullException.ThrowIfNull(trials);
        ArgumentNullException.ThrowIfNull(events);
        if (alpha is <= 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "alpha must lie in (0, 1).");
        }

        exactEvent ??= s => s.ExactFailure;
        var run = strata.Count(s => s.Kind != StratumKind.Exact);
        var perStratum = run == 0 ? alpha : alpha / run;
        double rate = 0, variance = 0, low = 0, high = 0;
        for (var i = 0; i < strata.Count; i++)
        {
            var s = strata[i];
            if (s.Kind == StratumKind.Exact)
            {
                var value = s.Weight * exactEvent(s);
                (rate, low, high) = (rate + value, low + value, high + value);
                continue;
            }

            var (n, f) = (trials[i], events[i]);
            if (f < 0 || f > n)
            {
                throw new ArgumentOutOfRangeException(nameof(events), f, "events must lie in [0, trials].");
            }

            if (n == 0)
            {
                // Nothing is known of this stratum: it may hold anything from none to all of its weight.
                high += s.Weight;
                continue;
            }

            var p = (double)f / n;
            rate += s.Weight * p;
            variance += s.Weight * s.Weight * p * (1 - p) / n;
            if (s.Kind == StratumKind.Checked && (failures ?? events)[i] == 0)
            {
                continue;
            }

            var interval = BinomialInterval.ClopperPearson(f, n, perStratum);
            low += s.Weight * interval.Low;
            high += s.Weight * interval.High;
        }

        // The weights carry their own rounding (log-space terms, about 1e-14 relative): the ends
        // move outward by 1e-12 relative so that an all-or-nothing stratum's bound never falls an
        // ulp short of the same tail summed in another order (the oracle's).
        return new StratifiedEstimate(Math.Min(rate, 1), Math.Sqrt(variance), Math.Clamp(low * (1 - WeightRounding), 0, 1), Math.Clamp(high * (1 + WeightRounding), 0, 1), 1 - alpha);
    }
}
