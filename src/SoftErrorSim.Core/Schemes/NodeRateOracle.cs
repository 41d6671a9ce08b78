using SoftErrorSim.Core.Coding;
using SoftErrorSim.Core.Decoding;
using SoftErrorSim.Core.Faults;
using SoftErrorSim.Core.Statistics;

namespace SoftErrorSim.Core.Schemes;

/// <summary>
/// The analytic oracle with a rate per node (SPEC 3 and 6): a decode is a set of independent units,
/// each made of symbols, each symbol wrong when any of its nodes errs; a unit fails when more than
/// its tolerance of symbols are wrong. With unequal rates the count of wrong symbols of a unit is
/// Poisson-binomial (<see cref="ErrorCountDistribution.PoissonBinomial"/>), and its upper tail is
/// summed directly, so failure rates far below 1e-16 (down to 1e-30 and beyond) keep their digits.
/// The units and tolerances are the scheme's own (<see cref="Scheme.Oracle"/>); this class only
/// says which nodes make each symbol: GPD one unit of P one-node symbols; replication and uncoded
/// mn units, block b's symbols its copies on nodes c mn + b; CodeNet one unit whose symbols are the
/// grid lines of the pass, each wrong when any of its computing nodes errs.
/// </summary>
public static class NodeRateOracle
{
    /// <summary>The success probability with node p erring at <paramref name="nodeRates"/>[p], or null where no exact value exists (bit flips, sparse-weight errors).</summary>
    public static double? SuccessProbability(CodeConfiguration configuration, PassKind pass, ErrorModelKind model, DecoderKind decoder, IReadOnlyList<double> nodeRates, PassShape? shape = null) =>
        Units(configuration, pass, model, decoder, nodeRates, shape) is { } units
            ? units.Aggregate(1.0, (product, unit) => product * unit.Success)
            : null;

    /// <summary>1 - success, from the units' upper tails summed directly.</summary>
    public static double? FailureProbability(CodeConfiguration configuration, PassKind pass, ErrorModelKind model, DecoderKind decoder, IReadOnlyList<double> nodeRates, PassShape? shape = null)
    {
        if (Units(configuration, pass, model, decoder, nodeRates, shape) is not { } units)
        {
            return null;
        }

        // 1 - prod (1 - f_u) = -expm1(sum log1p(-f_u)): no cancellation when every f_u is tiny.
        double logSurvive = 0;
        foreach (var unit in units)
        {
            if (unit.Failure >= 1)
            {
                return 1;
            }

            logSurvive += BinomialTail.Log1Plus(-unit.Failure);
        }

        return Math.Min(1, -BinomialTail.ExpMinus1(logSurvive));
    }

    /// <summary>
    /// The symbols of each unit, as lists of node indices, and the tolerance of the units (errors
    /// in symbols a unit corrects), or null where the oracle does not apply.
    /// </summary>
    public static (IReadOnlyList<IReadOnlyList<IReadOnlyList<int>>> Units, int Tolerance)? Layout(CodeConfiguration configuration, PassKind pass, ErrorModelKind model, DecoderKind decoder, PassShape? shape = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (SchemeOracle.Units(configuration, pass, model, decoder, 0, shape) is not { } units)
        {
            return null;
        }

        IReadOnlyList<IReadOnlyList<int>>[] layout;
        switch (configuration.Scheme)
        {
            case SchemeKind.Gpd:
                layout = [Enumerable.Range(0, configuration.NodeCount).Select(p => (IReadOnlyList<int>)[p]).ToArray()];
                break;
            case SchemeKind.Mds:
                {
                    var code = CodeNetMdsCode.From(configuration);
                    var backward = pass == PassKind.Backward;
                    var active = backward ? code.BackwardNodes() : code.ForwardNodes();
                    layout = [active
                        .GroupBy(p => backward ? code.Positions[p].GridColumn : code.Positions[p].GridRow)
                        .OrderBy(g => g.Key)
                        .Select(g => (IReadOnlyList<int>)g.ToArray())
                        .ToArray()];
                    break;
                }

            default:
                {
                    var copies = ReplicationScheme.Copies(configuration);
                    var blocks = configuration.BlockCount;
                    layout = Enumerable.Range(0, blocks)
                        .Select(b => (IReadOnlyList<IReadOnlyList<int>>)Enumerable.Range(0, copies).Select(c => (IReadOnlyList<int>)[(c * blocks) + b]).ToArray())
                        .ToArray();
                    break;
                }
        }

        if (layout.Length != units.Repeats || layout.Any(u => u.Count != units.Symbols))
        {
            throw new InvalidOperationException("the node layout of the oracle disagrees with the scheme's units");
        }

        return (layout, units.Tolerance);
    }

    /// <summary>Each unit's success and failure probabilities, both summed directly from the Poisson-binomial weights.</summary>
    private static (double Success, double Failure)[]? Units(CodeConfiguration configuration, PassKind pass, ErrorModelKind model, DecoderKind decoder, IReadOnlyList<double> nodeRates, PassShape? shape)
    {
        ArgumentNullException.ThrowIfNull(nodeRates);
        if (Layout(configuration, pass, model, decoder, shape) is not { } layout)
        {
            return null;
        }

        if (nodeRates.Count != configuration.NodeCount)
        {
            throw new ArgumentException($"the oracle needs one rate per node ({configuration.NodeCount}, got {nodeRates.Count})", nameof(nodeRates));
        }

        return layout.Units.Select(symbols =>
        {
            // A symbol is right when all its nodes are: 1 - prod (1 - p_i), kept exact for tiny rates.
            var symbolRates = symbols.Select(nodes => Math.Min(1, -BinomialTail.ExpMinus1(nodes.Sum(p => BinomialTail.Log1Plus(-nodeRates[p]))))).ToArray();
            var weights = ErrorCountDistribution.PoissonBinomial(symbolRates);
            double success = 0, failure = 0;
            for (var e = 0; e < weights.Length; e++)
            {
                if (e <= layout.Tolerance)
                {
                    success += weights[e];
                }
                else
                {
                    failure += weights[e];
                }
            }

            return (Math.Min(1, success), Math.Min(1, failure));
        }).ToArray();
    }
}
