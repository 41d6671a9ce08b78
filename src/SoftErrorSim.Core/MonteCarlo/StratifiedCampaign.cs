using SoftErrorSim.Core.Coding;
using SoftErrorSim.Core.Decoding;
using SoftErrorSim.Core.Faults;
using SoftErrorSim.Core.Passes;
using SoftErrorSim.Core.Randomness;
using SoftErrorSim.Core.Schemes;

namespace SoftErrorSim.Core.MonteCarlo;

/// <summary>How a sweep estimates each point's failure rate.</summary>
public enum SweepEstimator
{
    /// <summary>Plain Monte Carlo: every trial strikes each node independently at the rate.</summary>
    Plain,

    /// <summary>The stratified rare-event estimator (<see cref="StratifiedEstimator"/>): exact weights of the number of erring nodes, exact-count trials per stratum.</summary>
    Stratified,
}

/// <summary>What one stratum's trials of one block counted.</summary>
/// <param name="Errors">e, the number of erring nodes of the stratum.</param>
/// <param name="Counts">Outcome counts of its trials in the block.</param>
public readonly record struct StratumTally(int Errors, OutcomeCounts Counts);

/// <summary>
/// The trials of the stratified estimator on a campaign's workload (SPEC 6, "Rare events"). A
/// trial of stratum e strikes exactly e nodes drawn from the law of the erring nodes conditioned
/// on their number (<see cref="NodeErrorRates"/>: uniformly random sets for equal rates, sets in
/// proportion to prod p_i / (1 - p_i) for unequal ones), exactly the positions a rate campaign's
/// trial with e struck nodes has, whatever the error model: the
/// adversarial model chooses the error values, not where they strike, in a rate campaign too
/// (unlike the exact-count `decode` campaign, where the attacker also picks the positions).
/// Trial i of stratum e at rate eps draws from the stream (seed, configuration, bits of eps,
/// stratum tag, e, i), so a stratum's trials do not depend on the allocation, the shard split or
/// the thread count.
/// </summary>
public static class StratifiedCampaign
{
    private const ulong StratumTag = 0x5354524154554DUL;
    private const ulong CleanTag = 0x434C45414EUL;

    [ThreadStatic]
    private static List<int>? t_struck;

    [ThreadStatic]
    private static int[]? t_positions;

    /// <summary>
    /// The largest number of erring nodes that the code's theory guarantees to correct wherever
    /// they strike (the scheme's worst-case tolerance, <see cref="Scheme.Tolerance"/>), or null
    /// where no theory covers the errors. Bounded distance corrects floor(r/2) of r redundant
    /// symbols whatever the values (any error model); probability one corrects r - 1 continuous
    /// random (gaussian) errors, fewer on GPD outputs shorter than r - 1 (<see cref="SchemeOracle.DecodedTolerance"/>),
    /// and floor(r/2) chosen (adversarial) ones. Bit flips under
    /// probability one have no such guarantee (sparse errors in short outputs can defeat the
    /// span test), so every stratum is sampled there.
    /// </summary>
    public static int? GuaranteedRadius(CampaignSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var (adversarial, exact) = Scheme.Of(settings.Code.Scheme).Tolerance(settings.Code, settings.Pass);
        var probabilistic = SchemeOracle.DecodedTolerance(settings.Code, settings.Pass, settings.EffectiveDecoder, exact, settings.Shape);
        return settings.EffectiveDecoder == DecoderKind.BoundedDistance
            ? adversarial
            : settings.Model.Kind switch
            {
                ErrorModelKind.Gaussian => probabilistic,
                ErrorModelKind.Adversarial => adversarial,
                _ => null,
            };
    }

    /// <summary>
    /// The outcome of the clean stratum (no node errs) when it is the same for every random
    /// stream, or null when it may not be (then the stratum is sampled). Nothing is injected, so
    /// only the decoder could draw: the probability-one decoder and replication's comparison draw
    /// nothing, and bounded distance uses its random projection only after the zero-error
    /// candidate (every row trusted) has been refused, so a decode that trusts every row is
    /// stream-independent too.
    /// </summary>
    public static DecodeOutcome? CleanOutcome(CampaignSettings settings, CodedPass pass)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(pass);
        var random = StreamKey.Source(settings.Seed, StreamKey.Hash(settings.CanonicalText()), CleanTag);
        var decoded = pass.Decode(pass.CleanOutputs, settings.EffectiveDecoder, random);
        var deterministic = settings.EffectiveDecoder == DecoderKind.ProbabilityOne
            || settings.Code.Scheme is SchemeKind.Replication or SchemeKind.Uncoded
            || (decoded.Status == DecodeStatus.Decoded && decoded.BlamedNodes.Count == 0);
        if (!deterministic)
        {
            return null;
        }

        var outcome = OutcomeClassifier.Classify(false, decoded.Status, decoded.Result, pass.Truth);
        return DecodeCampaign.Sabotage(settings, new TrialResult(outcome, decoded.ConditionNumber, null)).Outcome;
    }

    /// <summary>
    /// The independent node errors of a point, row i of the pass at the probability that a plain
    /// trial strikes node <see cref="CodedPass.ActiveNodes"/>[i] (<see cref="CampaignFaults.ActiveRates"/>:
    /// the product and encode steps combined into one Bernoulli per node, the very numbers
    /// <see cref="RateCampaign"/> compares its draws with). The default environment keeps the
    /// equal-rate law (binomial weights, uniformly random sets) and its draws, so its results keep
    /// their bytes; unequal rates give Poisson-binomial weights and the exact conditional law of
    /// the erring set given its size. Bursts strike racks together and have no such structure
    /// (refused by <see cref="RateCampaign.Validate"/>).
    /// </summary>
    public static NodeErrorRates Rates(RateCampaignSettings settings, CodedPass pass, double errorRate)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(pass);
        return CampaignFaults.ActiveRates(settings, pass.ActiveNodes, errorRate) is { } rates
            ? NodeErrorRates.PerNode(rates)
            : NodeErrorRates.Equal(pass.ActiveNodes.Count, errorRate);
    }

    /// <summary>The strata of one point: its weights from the node rates, the theory's radius, the clean outcome, and the trials per point.</summary>
    public static IReadOnlyList<Stratum> Design(RateCampaignSettings settings, CodedPass pass, double errorRate, DecodeOutcome? cleanOutcome)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(pass);
        return StratifiedEstimator.Allocate(Rates(settings, pass, errorRate).Weights, settings.Trials, GuaranteedRadius(settings), cleanOutcome);
    }

    /// <summary>
    /// Runs the trials [<paramref name="first"/>, <paramref name="end"/>) of a point's flattened
    /// trial index (strata in order of e, <see cref="Stratum.FirstTrial"/>) and tallies them per
    /// stratum; any split of the range tallies, summed per stratum, to the whole range's counts.
    /// </summary>
    public static (IReadOnlyList<StratumTally> Strata, TrialTally Total) RunTrials(
        RateCampaignSettings settings,
        CodedPass pass,
        double errorRate,
        IReadOnlyList<Stratum> strata,
        int first,
        int end,
        Action<long>? completed,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(pass);
        ArgumentNullException.ThrowIfNull(strata);
        // The key of a plain campaign's streams (the environment adds nothing by default, so equal-rate points keep their streams).
        var key = RateCampaign.TrialKey(settings);
        var rateKey = (ulong)BitConverter.DoubleToInt64Bits(errorRate);
        var rates = Rates(settings, pass, errorRate);
        // Every stratum's trials of [first, end) run as one range, so that both workers stay busy
        // across the small strata, each trial tallied under its own stratum (exact strata get no
        // trials; past the last allocated trial nothing runs).
        if (strata.Any(s => s.Kind == StratumKind.Exact && s.Trials > 0))
        {
            throw new ArgumentException("an exact stratum is computed, not sampled: it cannot have trials", nameof(strata));
        }

        var to = Math.Max(first, Math.Min(end, strata.Count == 0 ? first : strata[^1].FirstTrial + strata[^1].Trials));
        var byStratum = TrialRunner.Run(
            first,
            to,
            settings.Threads,
            Math.Max(strata.Count, 1),
            trial => StratifiedEstimator.Locate(strata, trial).Stratum,
            (trial, s) =>
            {
                var stratum = strata[s];
                var errors = stratum.Errors;
                var random = StreamKey.Source(settings.Seed, key, rateKey, StratumTag, (ulong)errors, (ulong)(trial - stratum.FirstTrial));
                var positions = t_positions is { } p && p.Length >= errors ? p : t_positions = new int[Math.Max(errors, 1)];
                rates.Sample(errors, random, positions);
                var struck = t_struck ??= [];
                struck.Clear();
                for (var i = 0; i < errors; i++)
                {
                    struck.Add(positions[i]);
                }

                return DecodeCampaign.Sabotage(settings, DecodeCampaign.Evaluate(pass, settings.Model, settings.EffectiveDecoder, struck, random));
            },
            completed,
            cancellationToken);
        var ran = Enumerable.Range(0, strata.Count).Where(s => strata[s].Kind != StratumKind.Exact && Math.Max(first, strata[s].FirstTrial) < Math.Min(end, strata[s].FirstTrial + strata[s].Trials)).ToList();
        var tallies = ran.Select(s => new StratumTally(strata[s].Errors, byStratum[s].Counts)).ToList();
        var total = TrialTally.Sum(ran.Select(s => byStratum[s]));

        // Trials of the flattened index past the last stratum (a point whose every stratum is exact) run nothing.
        var skipped = (end - first) - total.Counts.Trials;
        if (skipped > 0)
        {
            completed?.Invoke(skipped);
        }

        return (tallies, total);
    }

    /// <summary>Failure (detected or miscorrected) and silent-failure (miscorrected) estimates of a point from its strata and the summed counts of each (indexed like the strata).</summary>
    public static (StratifiedEstimate Failure, StratifiedEstimate Silent) Estimate(IReadOnlyList<Stratum> strata, IReadOnlyList<OutcomeCounts> counts, double alpha = StratifiedEstimator.DefaultAlpha)
    {
        ArgumentNullException.ThrowIfNull(strata);
        ArgumentNullException.ThrowIfNull(counts);
        var trials = counts.Select(c => c.Trials).ToArray();
        var failures = counts.Select(c => c.Detected + c.Miscorrected).ToArray();
        var failure = StratifiedEstimator.Estimate(strata, trials, failures, s => s.ExactFailure, alpha);
        var silent = StratifiedEstimator.Estimate(strata, trials, counts.Select(c => c.Miscorrected).ToArray(), s => s.ExactSilent, alpha, failures);
        return (failure, silent);
    }
}
