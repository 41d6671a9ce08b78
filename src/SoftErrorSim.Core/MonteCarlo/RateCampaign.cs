using System.Globalization;
using SoftErrorSim.Core.Coding;
using SoftErrorSim.Core.Decoding;
using SoftErrorSim.Core.Faults;
using SoftErrorSim.Core.Passes;
using SoftErrorSim.Core.Randomness;
using SoftErrorSim.Core.Statistics;

namespace SoftErrorSim.Core.MonteCarlo;

/// <summary>
/// A campaign at per-node error rates (SPEC 3): in every trial each node computing the pass is
/// struck independently with probability eps, the same eps for every scheme, so schemes are
/// compared at equal hardware reliability and equal storage per node.
/// </summary>
public sealed record RateCampaignSettings
{
    /// <summary>The code.</summary>
    public required CodeConfiguration Code { get; init; }

    /// <summary>Which product is decoded.</summary>
    public PassKind Pass { get; init; } = PassKind.Forward;

    /// <summary>Block sizes of the workload.</summary>
    public PassShape Shape { get; init; } = new(64, 64);

    /// <summary>What the errors do.</summary>
    public ErrorValueModel Model { get; init; } = new();

    /// <summary>The decoder; null picks bounded distance for adversarial errors and probability one otherwise.</summary>
    public DecoderKind? Decoder { get; init; }

    /// <summary>The per-node error rates, each in [0, 1].</summary>
    public IReadOnlyList<double> ErrorRates { get; init; } = [0.01];

    /// <summary>Trials per error rate.</summary>
    public int Trials { get; init; } = 1000;

    /// <summary>Root seed.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Worker threads; results do not depend on it.</summary>
    public int Threads { get; init; } = 1;

    /// <summary>The decoder actually used.</summary>
    public DecoderKind EffectiveDecoder => Decoder ?? (Model.Kind == ErrorModelKind.Adversarial ? DecoderKind.BoundedDistance : DecoderKind.ProbabilityOne);

    /// <summary>The canonical text that keys this configuration's random streams (the rate list is not part of it: each rate keys its own streams).</summary>
    public string CanonicalText() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Code.CanonicalText()};pass={CodeConfiguration.Name(Pass)};shape={Shape.BlockRows}x{Shape.BlockCols}x{Shape.BatchBlockCols};model={Model};decoder={EffectiveDecoder}");
}

/// <summary>One error rate's outcome counts beside the analytic success probability.</summary>
public sealed record RateCampaignRow(double ErrorRate, OutcomeCounts Counts, double? AnalyticSuccessRate, double? AnalyticFailureRate, double MaxConditionNumber);

/// <summary>Runs rate campaigns.</summary>
public static class RateCampaign
{
    /// <summary>Checks every setting without building anything.</summary>
    public static void Validate(RateCampaignSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Code.Validate();
        settings.Model.Validate();
        settings.Shape.Validate();
        CodedPass.ActiveNodeCount(settings.Code, settings.Pass);
        if (settings.Trials < 1)
        {
            throw new ArgumentException($"--trials must be a positive integer (got {settings.Trials})");
        }

        if (settings.Threads < 1)
        {
            throw new ArgumentException($"--threads must be a positive integer (got {settings.Threads})");
        }

        if (settings.ErrorRates.Count == 0)
        {
            throw new ArgumentException("--error-rate needs at least one value");
        }

        foreach (var rate in settings.ErrorRates)
        {
            if (!(rate >= 0 && rate <= 1))
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"--error-rate values must lie in [0, 1] (got {rate})"));
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
        var key = StreamKey.Hash(settings.CanonicalText());
        var pass = CodedPass.Create(settings.Code, settings.Pass, settings.Shape, StreamKey.Source(settings.Seed, key, 0xDA7AUL));
        var active = pass.ActiveNodes.Count;
        var total = (long)settings.ErrorRates.Count * settings.Trials;
        long done = 0;
        var rows = new List<RateCampaignRow>();
        foreach (var rate in settings.ErrorRates)
        {
            var rateKey = (ulong)BitConverter.DoubleToInt64Bits(rate);
            var tally = TrialRunner.Run(
                settings.Trials,
                settings.Threads,
                trial =>
                {
                    var random = StreamKey.Source(settings.Seed, key, rateKey, (ulong)trial);
                    var struck = new List<int>();
                    for (var node = 0; node < active; node++)
                    {
                        if (random.NextDouble() < rate)
                        {
                            struck.Add(node);
                        }
                    }

                    return DecodeCampaign.Evaluate(pass, settings.Model, settings.EffectiveDecoder, struck, random);
                },
                n => progress?.Report(new CampaignProgress(Interlocked.Add(ref done, n), total)),
                cancellationToken);
            var analytic = AnalyticOracle.SuccessProbability(settings.Code, settings.Pass, settings.Model.Kind, settings.EffectiveDecoder, rate);
            var failure = AnalyticOracle.FailureProbability(settings.Code, settings.Pass, settings.Model.Kind, settings.EffectiveDecoder, rate);
            rows.Add(new RateCampaignRow(rate, tally.Counts, analytic, failure, tally.MaxConditionNumber));
        }

        return rows;
    }
}
