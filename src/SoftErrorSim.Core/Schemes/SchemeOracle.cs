using SoftErrorSim.Core.Coding;
using SoftErrorSim.Core.Decoding;
using SoftErrorSim.Core.Faults;
using SoftErrorSim.Core.Statistics;

namespace SoftErrorSim.Core.Schemes;

/// <summary>
/// The analytic oracle of a configuration (SPEC 6): with every node computing the pass erring
/// independently at rate eps, the exact success probability of one decode, for the decoders as the
/// tests establish them (a code corrects exactly its tolerance and never beyond it).
/// </summary>
public static class SchemeOracle
{
    /// <summary>
    /// The success probability, or null where no exact value exists: bit flips (small mantissa
    /// flips are harmless, so the binomial tail is only a lower bound) and sparse-weight errors.
    /// </summary>
    public static double? SuccessProbability(CodeConfiguration configuration, PassKind pass, ErrorModelKind model, DecoderKind decoder, double errorRate, PassShape? shape = null) =>
        Units(configuration, pass, model, decoder, errorRate, shape) is { } units ? AnalyticOracle.SuccessProbability(units) : null;

    /// <summary>1 - success, summed directly so that tiny failure rates keep their digits.</summary>
    public static double? FailureProbability(CodeConfiguration configuration, PassKind pass, ErrorModelKind model, DecoderKind decoder, double errorRate, PassShape? shape = null) =>
        Units(configuration, pass, model, decoder, errorRate, shape) is { } units ? AnalyticOracle.FailureProbability(units) : null;

    /// <summary>
    /// The scheme's description of the decode, or null where the oracle does not apply. With the
    /// pass's <paramref name="shape"/>, a GPD tolerance under probability-one decoding is the one
    /// its outputs' length lets the decoder reach (<see cref="DecodedTolerance"/>).
    /// </summary>
    public static OracleUnits? Units(CodeConfiguration configuration, PassKind pass, ErrorModelKind model, DecoderKind decoder, double errorRate, PassShape? shape = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (model is ErrorModelKind.BitFlip or ErrorModelKind.SparseWeight)
        {
            return null;
        }

        configuration.Validate();
        return Scheme.Of(configuration.Scheme).Oracle(configuration, pass, decoder, errorRate) is { } units
            ? units with { Tolerance = DecodedTolerance(configuration, pass, decoder, units.Tolerance, shape) }
            : null;
    }

    /// <summary>
    /// <paramref name="tolerance"/>, capped where the output length limits the decoder: a GPD pass
    /// under probability-one decoding whose outputs hold L scalars of the code's field (complex on
    /// the unit circle) locates up to min(P - K - 1, floor(L (P - K) / (L + 1))) erring nodes
    /// (<see cref="ProbabilityOneDecoder.Reach"/>: the span test needs L at least the number of
    /// errors, the interleaved locator reaches the rest). Unchanged without a shape, for other
    /// schemes (CodeNet's parity has no polynomial structure; its lines are short codes whose
    /// subset search covers them) and for bounded distance, whose floor((P - K)/2) holds at any L.
    /// </summary>
    public static int DecodedTolerance(CodeConfiguration configuration, PassKind pass, DecoderKind decoder, int tolerance, PassShape? shape)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (shape is null || decoder != DecoderKind.ProbabilityOne || configuration.Scheme != SchemeKind.Gpd)
        {
            return tolerance;
        }

        return Math.Min(tolerance, ProbabilityOneDecoder.Reach(configuration.NodeCount, GpdScheme.Threshold(configuration, pass), GpdScheme.OutputScalars(configuration, pass, shape)));
    }
}
