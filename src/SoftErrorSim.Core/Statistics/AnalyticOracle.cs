using SoftErrorSim.Core.Coding;
using SoftErrorSim.Core.Decoding;
using SoftErrorSim.Core.Faults;
using SoftErrorSim.Core.Passes;

namespace SoftErrorSim.Core.Statistics;

/// <summary>
/// The exact success probability of one decode when every node computing the pass errs
/// independently with probability eps (SPEC 6), for the decoders as the tests establish them:
/// a linear code corrects exactly its tolerance t in symbols (bounded distance floor((S-K)/2),
/// probability one S-K-1 for continuous random values) and never succeeds beyond it.
/// </summary>
public static class AnalyticOracle
{
    /// <summary>
    /// The success probability, or null where no exact value exists: bit flips (small mantissa
    /// flips are harmless, so the binomial tail is only a lower bound).
    /// </summary>
    public static double? SuccessProbability(CodeConfiguration configuration, PassKind pass, ErrorModelKind model, DecoderKind decoder, double errorRate) =>
        Describe(configuration, pass, model, decoder, errorRate) is { } d
            ? Math.Pow(BinomialTail.AtMost(d.Symbols, d.Tolerance, d.SymbolErrorRate), d.Repeats)
            : null;

    /// <summary>
    /// 1 - <see cref="SuccessProbability"/>, computed directly from the upper binomial tails so
    /// that failure rates far below 1e-16 stay resolvable (log-scale figures need them).
    /// </summary>
    public static double? FailureProbability(CodeConfiguration configuration, PassKind pass, ErrorModelKind model, DecoderKind decoder, double errorRate)
    {
        if (Describe(configuration, pass, model, decoder, errorRate) is not { } d)
        {
            return null;
        }

        // 1 - (1 - f)^repeats, with f the failure probability of one independent unit.
        var unitFailure = BinomialTail.MoreThan(d.Symbols, d.Tolerance, d.SymbolErrorRate);
        return unitFailure >= 1 ? 1 : -BinomialTail.ExpMinus1(d.Repeats * BinomialTail.Log1Plus(-unitFailure));
    }

    /// <summary>
    /// A decode as independent units (Repeats of them) that each fail when more than Tolerance of
    /// their Symbols are wrong, each symbol wrong with probability SymbolErrorRate.
    /// </summary>
    private readonly record struct Description(int Symbols, int Tolerance, double SymbolErrorRate, int Repeats);

    private static Description? Describe(CodeConfiguration configuration, PassKind pass, ErrorModelKind model, DecoderKind decoder, double errorRate)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (model == ErrorModelKind.BitFlip)
        {
            return null;
        }

        configuration.Validate();
        switch (configuration.Scheme)
        {
            case SchemeKind.Gpd:
                {
                    // One node, one symbol: a binomial tail over the P nodes.
                    var k = pass switch
                    {
                        PassKind.Forward => GpdThresholds.Forward(configuration.RowSplit, configuration.ColumnSplit),
                        PassKind.Backward => GpdThresholds.Backward(configuration.RowSplit, configuration.ColumnSplit),
                        _ => GpdThresholds.MatMat(configuration.RowSplit, configuration.ColumnSplit, configuration.BatchSplit!.Value),
                    };
                    return new Description(configuration.NodeCount, Tolerance(configuration.NodeCount, k, decoder), errorRate, 1);
                }

            case SchemeKind.Mds:
                {
                    // A grid line is a wrong symbol when any of its nodes errs: lines of n nodes
                    // (forward, Pr of them) or m nodes (backward, Pc of them).
                    var (lines, dimension, nodesPerLine) = pass == PassKind.Forward
                        ? (configuration.RowNodes!.Value, configuration.RowSplit, configuration.ColumnSplit)
                        : (configuration.ColumnNodes!.Value, configuration.ColumnSplit, configuration.RowSplit);
                    var lineError = -BinomialTail.ExpMinus1(nodesPerLine * BinomialTail.Log1Plus(-errorRate));
                    return new Description(lines, Tolerance(lines, dimension, decoder), lineError, 1);
                }

            default:
                {
                    // Each of the mn blocks independently survives at most floor((r-1)/2) errors
                    // (majority) or r-2 (agreement of two copies); a single copy (uncoded) survives none.
                    var r = ReplicationPass.Copies(configuration);
                    var perBlock = decoder == DecoderKind.BoundedDistance ? (r - 1) / 2 : Math.Max(r - 2, 0);
                    return new Description(r, perBlock, errorRate, configuration.BlockCount);
                }
        }
    }

    private static int Tolerance(int symbols, int dimension, DecoderKind decoder)
    {
        var redundancy = symbols - dimension;
        return decoder == DecoderKind.BoundedDistance ? redundancy / 2 : redundancy - 1;
    }
}
