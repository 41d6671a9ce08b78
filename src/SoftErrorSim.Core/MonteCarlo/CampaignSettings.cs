using System.Globalization;
using SoftErrorSim.Core.Coding;
using SoftErrorSim.Core.Decoding;
using SoftErrorSim.Core.Faults;
using SoftErrorSim.Core.Passes;
using SoftErrorSim.Core.Randomness;

namespace SoftErrorSim.Core.MonteCarlo;

/// <summary>What every Monte Carlo campaign of single decodes shares: the code, the pass, the workload, the errors, the decoder, and the run.</summary>
public abstract record CampaignSettings
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

    /// <summary>Trials per point.</summary>
    public int Trials { get; init; } = 1000;

    /// <summary>Root seed.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Worker threads; results do not depend on it.</summary>
    public int Threads { get; init; } = 1;

    /// <summary>
    /// A decoder broken on purpose that accepts what it should flag (every detected decode counts as
    /// a wrong result returned as good): only for proving that the regression gate sees miscorrections.
    /// </summary>
    internal bool AcceptDetected { get; init; }

    /// <summary>The decoder actually used.</summary>
    public DecoderKind EffectiveDecoder => Decoder ?? (Model.Kind == ErrorModelKind.Adversarial ? DecoderKind.BoundedDistance : DecoderKind.ProbabilityOne);

    /// <summary>
    /// The canonical text that keys the campaign's random streams (points within it key their own):
    /// built field by field with invariant formatting ("R" round-trip numbers, command-line names),
    /// never from a record's ToString, which depends on the culture and on property names.
    /// </summary>
    public string CanonicalText() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Code.CanonicalText()};pass={CodeConfiguration.Name(Pass)};shape={Shape.BlockRows}x{Shape.BlockCols}x{Shape.BatchBlockCols};model={Model.CanonicalText()};decoder={(EffectiveDecoder == DecoderKind.BoundedDistance ? "bounded-distance" : "probability-one")}");

    /// <summary>Checks the shared settings without building anything; returns how many nodes compute the pass.</summary>
    internal int ValidateShared()
    {
        Code.Validate();
        Model.Validate();
        Shape.Validate();
        var active = CodedPass.ActiveNodeCount(Code, Pass);
        if (Trials < 1)
        {
            throw new ArgumentException($"‹trials› must be a positive integer (got {Trials})");
        }

        if (Threads < 1)
        {
            throw new ArgumentException($"‹threads› must be a positive integer (got {Threads})");
        }

        return active;
    }

    /// <summary>The fixed random workload of the campaign, from its own stream.</summary>
    internal CodedPass BuildWorkload() =>
        CodedPass.Create(Code, Pass, Shape, StreamKey.Source(Seed, StreamKey.Hash(CanonicalText()), 0xDA7AUL));
}
