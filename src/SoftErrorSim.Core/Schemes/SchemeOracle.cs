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
    public static double? SuccessProbability(CodeConfiguration configuration, PassKind pass, ErrorModelKind model, DecoderKind decoder, double errorRate) =>
        Units(configuration, pass, model, decoder, errorRate) is { } units ? AnalyticOracle.SuccessProbability(units) : null;

    /// <summary>1 - success, summed directly so that tiny failure rates keep their digits.</summary>
    public static double? FailureProbability(CodeConfiguration configuration, PassKind pass, ErrorModelKind model, DecoderKind decoder, double errorRate) =>
        Units(configuration, pass, model, decoder, errorRate) is { } units ? AnalyticOracle.FailureProbability(units) : null;

    /// <summary>The scheme's description of the decode, or null where the oracle does not apply.</summary>
    public static OracleUnits? Units(CodeConfiguration configuration, PassKind pass, ErrorModelKind model, DecoderKind decoder, double errorRate)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (model is ErrorModelKind.BitFlip or ErrorModelKind.SparseWeight)
        {
            return null;
        }

        configuration.Validate();
        return Scheme.Of(configuration.Scheme).Oracle(configuration, pass, decoder, errorRate);
    }
}
