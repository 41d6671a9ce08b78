using System.Globalization;
using SoftErrorSim.Core.Faults;
using SoftErrorSim.Core.Passes;
using SoftErrorSim.Core.Randomness;
using SoftErrorSim.Core.Schemes;

namespace SoftErrorSim.Core.MonteCarlo;

/// <summary>
/// A campaign at per-node error rates (SPEC 3): in every trial each node computing the pass is
/// struck independently with probability eps, the same eps for every scheme, so schemes are
/// compared at equal hardware reliability and equal storage per node.
/// </summary>
public sealed record RateCampaignSettings : CampaignSettings
{
    /// <summary>The per-node error rates, each in [0, 1].</summary>
    public IReadOnlyList<double> ErrorRates { get; init; } = [0.01];

    /// <summary>
    /// A node the injector never strikes: a deliberately broken injector, only for proving that the
    /// regression gate catches one (its draws are still made, so every other node's are unchanged).
    /// </summary>
    internal int? ExemptNode { get; init; }

    /// <summary>
    /// A factor on every node's rate as the injector applies it: a deliberately drifting injector
    /// (1 by default), only for proving that the sweep's injector check catches one.
    /// </summary>
    internal double InjectorRateScale { get; init; } = 1;

    /// <summary>Rates per step kind and per node (SPEC 3); the default environment strikes every node at the point's rate.</summary>
    public FaultEnvironment Environment { get; init; } = new();

    /// <summary>How a sweep estimates each point: plain Monte Carlo, or the stratified rare-event estimator.</summary>
    public SweepEstimator Estimator { get; init; } = SweepEstimator.Plain;
}

/// <summary>One error rate's outcome counts beside the analytic success probability.</summary>
public sealed record RateCampaignRow(double ErrorRate, OutcomeCounts Counts, double? AnalyticSuccessRate, double? AnalyticFailureRate, double MaxConditionNumber);

/// <summary>Runs rate campaigns.</summary>
public static class RateCampaign
{
    [ThreadStatic]
    private static List<int>? t_struck;

    /// <summary>Checks every setting without building anything.</summary>
    public static void Validate(RateCampaignSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.ValidateShared();
        if (settings.ErrorRates.Count == 0)
        {
            throw new ArgumentException("‹error-rate› needs at least one value");
        }

        foreach (var rate in settings.ErrorRates)
        {
            if (!(rate >= 0 && rate <= 1))
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"‹error-rate› values must lie in [0, 1] (got {rate})"));
            }
        }

        CampaignFaults.Validate(settings);
        if (settings.Estimator == SweepEstimator.Stratified)
        {
            if (settings.Environment.BurstRate > 0)
            {
                // The strata need independent node errors (the erring count's exact weights and the
                // erring set's law given that count); a burst strikes a whole rack at once.
                throw new ArgumentException("‹estimator› stratified needs independent node errors, and bursts (‹burst-rate›) strike racks together: use ‹estimator› plain");
            }

            var strata = CodedPass.ActiveNodeCount(settings.Code, settings.Pass) + 1;
            if (settings.Trials < strata)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"‹trials› must be at least {strata} with ‹estimator› stratified: one per stratum of 0 to {strata - 1} erring nodes (got {settings.Trials})"));
            }
        }
    }

    /// <summary>
    /// Runs the campaign. Trial t at rate eps draws from the stream (seed, configuration, bits of
    /// eps, t), so a rate's result does not depend on which other rates are in the list, on the
    /// thread count, or on the order points are run in.
    /// </summary>
    public static IReadOnlyList<RateCampaignRow> Run(RateCampaignSettings settings, IProgress<CampaignProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        Validate(settings);
        var pass = settings.BuildWorkload();
        var total = (long)settings.ErrorRates.Count * settings.Trials;
        long done = 0;
        return settings.ErrorRates.Select(rate =>
        {
            var tally = RunTrials(settings, pass, rate, 0, settings.Trials, n => progress?.Report(new CampaignProgress(Interlocked.Add(ref done, n), total)), cancellationToken);
            return Row(settings, rate, tally.Counts, tally.MaxConditionNumber);
        }).ToList();
    }

    /// <summary>
    /// Runs trials [<paramref name="first"/>, <paramref name="end"/>) of one rate on a workload built
    /// by <see cref="CampaignSettings.BuildWorkload"/>; any split of the trial range into pieces
    /// tallies, summed, to exactly the whole range's counts.
    /// </summary>
    internal static TrialTally RunTrials(RateCampaignSettings settings, CodedPass pass, double rate, int first, int end, Action<long>? completed, CancellationToken cancellationToken)
    {
        var key = TrialKey(settings);
        var rateKey = (ulong)BitConverter.DoubleToInt64Bits(rate);
        var active = pass.ActiveNodes.Count;
        var nodeRates = CampaignFaults.ActiveRates(settings, pass.ActiveNodes, rate);
        var racks = CampaignFaults.ActiveRacks(settings, pass.ActiveNodes);
        return TrialRunner.Run(
            first,
            end,
            settings.Threads,
            trial =>
            {
                var random = StreamKey.Source(settings.Seed, key, rateKey, (ulong)trial);

                // One list per thread, refilled trial after trial (nothing keeps a reference to it).
                var struck = t_struck ??= [];
                CampaignFaults.Inject(settings, rate, nodeRates, racks, active, random, struck, null);
                return DecodeCampaign.Sabotage(settings, DecodeCampaign.Evaluate(pass, settings.Model, settings.EffectiveDecoder, struck, random));
            },
            completed,
            cancellationToken);
    }

    /// <summary>The key of a campaign's trial streams: trial t at rate eps draws from (seed, this key, bits of eps, t).</summary>
    internal static ulong TrialKey(RateCampaignSettings settings) => StreamKey.Hash(settings.CanonicalText() + CampaignFaults.KeyText(settings));

    /// <summary>A rate's row: its counts beside the oracle's success and failure probabilities.</summary>
    public static RateCampaignRow Row(RateCampaignSettings settings, double rate, OutcomeCounts counts, double maxConditionNumber)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!settings.Environment.IsDefault)
        {
            var (success, failureRate) = CampaignFaults.Analytic(settings, rate);
            return new RateCampaignRow(rate, counts, success, failureRate, maxConditionNumber);
        }

        var analytic = SchemeOracle.SuccessProbability(settings.Code, settings.Pass, settings.Model.Kind, settings.EffectiveDecoder, rate, settings.Shape);
        var failure = SchemeOracle.FailureProbability(settings.Code, settings.Pass, settings.Model.Kind, settings.EffectiveDecoder, rate, settings.Shape);
        return new RateCampaignRow(rate, counts, analytic, failure, maxConditionNumber);
    }
}
