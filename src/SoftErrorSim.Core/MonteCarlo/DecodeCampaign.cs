using SoftErrorSim.Core.Coding;
using SoftErrorSim.Core.Decoding;
using SoftErrorSim.Core.Faults;
using SoftErrorSim.Core.Passes;
using SoftErrorSim.Core.Randomness;

namespace SoftErrorSim.Core.MonteCarlo;

/// <summary>
/// A single-decode campaign in exact-count mode (SPEC 3): for each error count e in the range, each
/// trial strikes exactly e distinct nodes among those computing the pass, chosen at random, decodes,
/// and classifies the outcome against the plain product.
/// </summary>
public sealed record DecodeCampaignSettings : CampaignSettings
{
    /// <summary>Smallest number of erring nodes.</summary>
    public int MinErrors { get; init; }

    /// <summary>Largest number of erring nodes.</summary>
    public int MaxErrors { get; init; }

    /// <summary>Node rates that weight which nodes an exact count strikes (SPEC 3); null: every set of e nodes alike.</summary>
    public NodeRateSpread? NodeRates { get; init; }
}

/// <summary>One error count's outcome counts.</summary>
public sealed record DecodeCampaignRow(int Errors, OutcomeCounts Counts, double MaxConditionNumber);

/// <summary>Progress of a running campaign; sweeps also count finished points (0 of 0 otherwise).</summary>
public readonly record struct CampaignProgress(long TrialsDone, long TrialsTotal, int PointsDone = 0, int PointsTotal = 0);

/// <summary>The result of a decode campaign.</summary>
public sealed record DecodeCampaignResult(
    DecodeCampaignSettings Settings,
    int RecoveryThreshold,
    int ActiveNodeCount,
    IReadOnlyList<DecodeCampaignRow> Rows,
    IReadOnlyDictionary<string, long> DetectionReasons);

/// <summary>Runs decode campaigns.</summary>
public static class DecodeCampaign
{
    /// <summary>Checks every setting, including the error range against the nodes of the pass, without building anything.</summary>
    public static void Validate(DecodeCampaignSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var active = settings.ValidateShared();
        if (settings.MinErrors < 0 || settings.MaxErrors < settings.MinErrors)
        {
            throw new ArgumentException($"‹errors› must be FROM:TO with 0 <= FROM <= TO (got {settings.MinErrors}:{settings.MaxErrors})");
        }

        if (settings.MaxErrors > active)
        {
            throw new ArgumentException(
                $"‹errors› up to {settings.MaxErrors} exceeds the {active} nodes that compute the {CodeConfiguration.Name(settings.Pass)} pass");
        }

        CampaignFaults.Validate(settings);
    }

    /// <summary>Validates the settings and builds the fixed workload of the campaign.</summary>
    public static CodedPass Prepare(DecodeCampaignSettings settings)
    {
        Validate(settings);
        return settings.BuildWorkload();
    }

    /// <summary>
    /// Runs the campaign. Trial t of error count e draws from the stream (seed, configuration, e, t),
    /// and outcomes are reduced in index order, so the result is the same for any thread count.
    /// </summary>
    public static DecodeCampaignResult Run(DecodeCampaignSettings settings, IProgress<CampaignProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var pass = Prepare(settings);
        var key = StreamKey.Hash(settings.CanonicalText() + CampaignFaults.KeyText(settings));
        var weighted = CampaignFaults.Weights(settings, pass);
        var counts = settings.MaxErrors - settings.MinErrors + 1;
        var total = (long)counts * settings.Trials;
        long done = 0;
        var rows = new List<DecodeCampaignRow>();
        var reasons = new SortedDictionary<string, long>(StringComparer.Ordinal);
        for (var errors = settings.MinErrors; errors <= settings.MaxErrors; errors++)
        {
            var errorCount = errors;
            var tally = TrialRunner.Run(
                settings.Trials,
                settings.Threads,
                trial =>
                {
                    var random = StreamKey.Source(settings.Seed, key, (ulong)errorCount, (ulong)trial);
                    var struck = weighted is null ? Struck(pass, settings.Model, errorCount, random) : CampaignFaults.Struck(weighted, errorCount, random);
                    return Sabotage(settings, Evaluate(pass, settings.Model, settings.EffectiveDecoder, struck, random));
                },
                n => progress?.Report(new CampaignProgress(Interlocked.Add(ref done, n), total)),
                cancellationToken);
            foreach (var (reason, count) in tally.DetectionReasons)
            {
                reasons[reason] = reasons.GetValueOrDefault(reason) + count;
            }

            rows.Add(new DecodeCampaignRow(errors, tally.Counts, tally.MaxConditionNumber));
        }

        return new DecodeCampaignResult(settings, pass.RecoveryThreshold, pass.ActiveNodes.Count, rows, reasons);
    }

    /// <summary>One trial: strike exactly <paramref name="errors"/> rows (chosen by the attacker under the adversarial model), decode, classify.</summary>
    public static (DecodeOutcome Outcome, double ConditionNumber, string? DetectionReason) Trial(CodedPass pass, DecodeCampaignSettings settings, int errors, RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(pass);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(random);
        var result = Evaluate(pass, settings.Model, settings.EffectiveDecoder, Struck(pass, settings.Model, errors, random), random);
        return (result.Outcome, result.ConditionNumber, result.DetectionReason);
    }

    /// <summary>The broken-decoder sabotage of <see cref="CampaignSettings.AcceptDetected"/>: a detected decode becomes a miscorrection.</summary>
    internal static TrialResult Sabotage(CampaignSettings settings, TrialResult result) =>
        settings.AcceptDetected && result.Outcome == DecodeOutcome.Detected ? result with { Outcome = DecodeOutcome.Miscorrected, DetectionReason = null } : result;

    /// <summary>
    /// The rows an exact-count trial strikes: random ones, except that an attacker who knows the
    /// code chooses them where position matters (SPEC 3: one replica group, distinct grid lines).
    /// </summary>
    public static IReadOnlyList<int> Struck(CodedPass pass, ErrorValueModel model, int errors, RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(pass);
        ArgumentNullException.ThrowIfNull(model);
        return model.Kind == ErrorModelKind.Adversarial ? pass.AttackPositions(errors, random) : random.Sample(pass.ActiveNodes.Count, errors);
    }

    /// <summary>Strikes the given rows of a copy of the clean outputs, decodes, and classifies against the truth.</summary>
    public static TrialResult Evaluate(CodedPass pass, ErrorValueModel model, DecoderKind decoder, IReadOnlyList<int> struck, RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(pass);
        ArgumentNullException.ThrowIfNull(struck);

        // No decoder writes to what it receives, so an unstruck trial decodes the clean outputs
        // themselves: the same values a copy would hold, without copying them.
        if (struck.Count == 0)
        {
            return CleanTrial(pass, decoder, random);
        }

        var received = Scratch(pass.CleanOutputs);
        Inject(pass, model, received, struck, random);
        var present = ErrorPresent(pass.CleanOutputs, received);
        var decoded = pass.DecodeTransient(received, decoder, random);
        var outcome = OutcomeClassifier.Classify(present, decoded.Status, decoded.Result, pass.Truth);
        return new TrialResult(outcome, decoded.ConditionNumber, decoded.Status == DecodeStatus.Detected ? decoded.Reason : null);
    }

    /// <summary>
    /// The trial of a word nobody struck. Its decode is the same for every such trial of a
    /// workload whenever it cannot depend on the trial's stream: the probability-one decoder and
    /// replication's comparison draw nothing, and bounded distance uses its random projection only
    /// after the zero-error candidate (every row trusted) has been refused, so a decode that trusts
    /// every row is stream-independent too. Such a result is kept on the workload and returned
    /// as it is (bit for bit what decoding again would give; the trial's stream is not used
    /// afterwards), which spares most trials of a low-rate campaign their decode.
    /// </summary>
    private static TrialResult CleanTrial(CodedPass pass, DecoderKind decoder, RandomSource random)
    {
        var slot = decoder == DecoderKind.BoundedDistance ? 0 : 1;
        if (Volatile.Read(ref pass.CleanTrials[slot]) is TrialResult cached)
        {
            return cached;
        }

        var decoded = pass.DecodeTransient(pass.CleanOutputs, decoder, random);
        var outcome = OutcomeClassifier.Classify(false, decoded.Status, decoded.Result, pass.Truth);
        var result = new TrialResult(outcome, decoded.ConditionNumber, decoded.Status == DecodeStatus.Detected ? decoded.Reason : null);
        if (decoder == DecoderKind.ProbabilityOne
            || pass.Configuration.Scheme is SchemeKind.Replication or SchemeKind.Uncoded
            || (decoded.Status == DecodeStatus.Decoded && decoded.BlamedNodes.Count == 0))
        {
            Volatile.Write(ref pass.CleanTrials[slot], result);
        }

        return result;
    }

    [ThreadStatic]
    private static double[]? t_scratch;

    /// <summary>
    /// This thread's copy of <paramref name="clean"/> to strike: one buffer per thread, reused
    /// trial after trial (the decoders and the classifier keep no reference to what they receive).
    /// </summary>
    private static double[] Scratch(double[] clean)
    {
        var scratch = t_scratch;
        if (scratch is null || scratch.Length != clean.Length)
        {
            t_scratch = scratch = new double[clean.Length];
        }

        clean.CopyTo(scratch, 0);
        return scratch;
    }

    /// <summary>Applies the value model to the struck rows, through the one fault injector (the adversarial model through the scheme).</summary>
    public static void Inject(CodedPass pass, ErrorValueModel model, double[] received, IReadOnlyList<int> struck, RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(pass);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(received);
        ArgumentNullException.ThrowIfNull(struck);
        if (model.Kind == ErrorModelKind.Adversarial)
        {
            if (struck.Count > 0)
            {
                pass.InjectAdversarial(received, struck, model.Magnitude, random);
            }

            return;
        }

        foreach (var row in struck)
        {
            FaultInjector.Strike(received.AsSpan(row * pass.Words, pass.Words), model, pass.OutputRms, random);
        }
    }

    /// <summary>Whether any received value differs from its clean value (NaN always differs; -0 equals +0).</summary>
    public static bool ErrorPresent(ReadOnlySpan<double> clean, ReadOnlySpan<double> received)
    {
        for (var i = 0; i < clean.Length; i++)
        {
            if (!(clean[i] == received[i]))
            {
                return true;
            }
        }

        return false;
    }
}
