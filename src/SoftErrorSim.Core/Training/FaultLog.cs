using System.Globalization;
using SoftErrorSim.Core.Faults;
using SoftErrorSim.Core.Statistics;

namespace SoftErrorSim.Core.Training;

/// <summary>What the cluster made of one injected fault (SPEC 3, the fault log).</summary>
public enum FaultVerdict
{
    /// <summary>A decode blamed the node in the same step and corrected the result (a fault on a vector the node held).</summary>
    Corrected,

    /// <summary>A decode or storage check blamed the node and its stored block was repaired (a persistent fault).</summary>
    Repaired,

    /// <summary>
    /// The fault fed a decode (or a storage check) that came back detected: the decoder saw an
    /// error it could not locate and the step was rolled back. A product or encode fault of that
    /// pass, a stored-block fault of that layer, or a local fault of the same step on a node of the pass.
    /// </summary>
    Detected,

    /// <summary>The step was undone by a rollback before anything blamed the node, without the fault having fed the detected decode (a fault elsewhere caused it, or a repair that could not be rebuilt).</summary>
    RolledBack,

    /// <summary>Nothing blamed the node on a scheme that checks its decodes: the fault changed nothing a decode could see.</summary>
    Masked,

    /// <summary>Nothing could blame it (uncoded): the fault flowed into training silently.</summary>
    Absorbed,
}

/// <summary>Why a fault struck (SPEC 3): its node's own independent draw, a burst of its rack, or both at once (one fault: a node struck by both is simply wrong).</summary>
public enum FaultCause
{
    /// <summary>The node's own draw at its rate.</summary>
    Independent,

    /// <summary>A burst of the node's rack.</summary>
    Burst,

    /// <summary>Both in the same step: still one fault.</summary>
    IndependentAndBurst,
}

/// <summary>
/// One injected fault: the step of the run (counting re-executed steps), the sample, the layer
/// (0-based) and pass, the node, the step kind, the fault kind and what it did, the verdict, and
/// the state of the node's fault stream when the fault's own draws began (a replay restarts them there).
/// </summary>
public sealed record FaultRecord(long Step, int Sample, int Layer, bool Forward, int Node, FaultSteps Kind, ErrorModelKind FaultKind, string Detail, FaultVerdict Verdict, string StreamState)
{
    /// <summary>Why the fault struck (independent unless a burst took part).</summary>
    public FaultCause Cause { get; init; }

    /// <summary>The command-line name of a verdict.</summary>
    public static string Name(FaultVerdict verdict) => verdict switch
    {
        FaultVerdict.RolledBack => "rolled-back",
        _ => verdict.ToString().ToLowerInvariant(),
    };

    /// <summary>The fault log's name of a cause.</summary>
    public static string Name(FaultCause cause) => cause switch
    {
        FaultCause.IndependentAndBurst => "independent+burst",
        _ => cause.ToString().ToLowerInvariant(),
    };

    /// <summary>The command-line name of a step kind.</summary>
    public static string Name(FaultSteps step) => step.ToString().ToLowerInvariant();
}

/// <summary>
/// One group of the injector's check (SPEC 3): draws made at one rate and the faults they gave, a
/// Binomial(draws, rate) count, and whether it lies in the exact acceptance region at the
/// Bonferroni share of the family-wise false-alarm level that the group received. Nodes: the
/// nodes that drew at the rate (for bursts, G, the nodes of a rack; Faults are then bursts).
/// </summary>
public sealed record InjectorCheckGroup(double Rate, int Nodes, long Opportunities, long Faults, bool InRegion)
{
    /// <summary>Draws times rate.</summary>
    public double ExpectedFaults => Opportunities * Rate;
}

/// <summary>
/// The injector's check of itself (SPEC 3): per step kind (or "burst"), the draws made and the
/// faults injected, and whether that count lies in the exact acceptance region of the configured
/// rates. Nodes are grouped by rate (one group when all share it); each group's count is
/// Binomial(draws, rate) and is checked exactly, Bonferroni over every group of the family, so a
/// correct injector passes with probability at least 1 - <see cref="FalseAlarm"/> whatever the
/// seed. Bursts are one group of their own: one draw per coded product at the burst rate.
/// </summary>
public sealed record InjectorCheck(string Kind, long Opportunities, long Faults, double ExpectedFaults, bool InRegion, string Detail)
{
    /// <summary>The family-wise false-alarm level of a run's checks.</summary>
    public const double FalseAlarm = 1e-3;

    /// <summary>The name of the burst check's kind.</summary>
    public const string BurstKind = "burst";

    /// <summary>The rate groups of the kind, each with its own verdict.</summary>
    public IReadOnlyList<InjectorCheckGroup> Groups { get; init; } = [];

    /// <summary>The level each group was checked at (the family-wise level over the groups of the family).</summary>
    public double GroupAlpha { get; init; }

    /// <summary>Checks every step kind from per-node draws, strikes and rates (each indexed [node, kind], <see cref="FaultSites.StepKinds"/> kinds per node).</summary>
    internal static IReadOnlyList<InjectorCheck> From(long[] opportunities, long[] strikes, double[] rates, int nodeCount) =>
        Of(RateGroups(opportunities, strikes, rates, nodeCount), FalseAlarm);

    /// <summary>The rate groups of per-node counts: per step kind, the nodes that drew at each rate.</summary>
    internal static List<(string Kind, double Rate, int Nodes, long Draws, long Strikes)> RateGroups(long[] opportunities, long[] strikes, double[] rates, int nodeCount)
    {
        var kinds = FaultSites.StepKinds;
        var groups = new List<(string Kind, double Rate, int Nodes, long Draws, long Strikes)>();
        for (var k = 0; k < kinds; k++)
        {
            foreach (var group in Enumerable.Range(0, nodeCount).Where(p => opportunities[(p * kinds) + k] > 0).GroupBy(p => rates[(p * kinds) + k]))
            {
                groups.Add((FaultRecord.Name((FaultSteps)(1 << k)), group.Key, group.Count(), group.Sum(p => opportunities[(p * kinds) + k]), group.Sum(p => strikes[(p * kinds) + k])));
            }
        }

        return groups;
    }

    /// <summary>
    /// Checks a family of groups (kind, rate, nodes, draws, strikes) at family-wise level
    /// <paramref name="falseAlarm"/>: each group at falseAlarm / (groups in the family), one check
    /// per kind in the order the kinds first appear.
    /// </summary>
    public static IReadOnlyList<InjectorCheck> Of(IReadOnlyList<(string Kind, double Rate, int Nodes, long Draws, long Strikes)> groups, double falseAlarm) =>
        Of(groups, falseAlarm, Math.Max(1, groups?.Count ?? 0));

    /// <summary>Checks groups at falseAlarm / <paramref name="familySize"/> each (a family larger than this list: a sweep checks every point's groups as one family).</summary>
    public static IReadOnlyList<InjectorCheck> Of(IReadOnlyList<(string Kind, double Rate, int Nodes, long Draws, long Strikes)> groups, double falseAlarm, int familySize)
    {
        ArgumentNullException.ThrowIfNull(groups);
        var alpha = falseAlarm / Math.Max(1, familySize);
        return groups.GroupBy(g => g.Kind).Select(kind =>
        {
            var checkedGroups = kind.Select(g => new InjectorCheckGroup(g.Rate, g.Nodes, g.Draws, g.Strikes, BinomialAcceptance.Holds(g.Strikes, g.Draws, g.Rate, alpha))).ToArray();
            var failed = checkedGroups.Where(g => !g.InRegion).ToList();
            var detail = failed.Count == 0
                ? string.Create(CultureInfo.InvariantCulture, $"{checkedGroups.Length} rate group(s), each inside its exact binomial region at {alpha:g3}")
                : string.Join("; ", failed.Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Faults} {(kind.Key == BurstKind ? "bursts" : "faults")} in {g.Opportunities} draws at rate {g.Rate:g6} lie outside the exact binomial region at {alpha:g3}")));
            return new InjectorCheck(kind.Key, checkedGroups.Sum(g => g.Opportunities), checkedGroups.Sum(g => g.Faults), checkedGroups.Sum(g => g.ExpectedFaults), failed.Count == 0, detail)
            {
                Groups = checkedGroups,
                GroupAlpha = alpha,
            };
        }).ToArray();
    }
}

/// <summary>What a fault did, in words for the fault log: the bits it flipped or the size of what it added.</summary>
internal static class FaultDetail
{
    /// <summary>A fault on a stored block (or before its vector is known): the model's parameters.</summary>
    public static string OnStorage(ErrorValueModel model) => model.Kind switch
    {
        ErrorModelKind.SparseWeight => string.Create(CultureInfo.InvariantCulture, $"stored block: uniform +-{model.Magnitude:g6} on {model.Fraction * 100:g4}% of words"),
        ErrorModelKind.BitFlip => string.Create(CultureInfo.InvariantCulture, $"stored block: {model.FlipsPerError} flip(s) in bits {model.LowBit}-{model.HighBit}"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{model.Magnitude:g6} x rms"),
    };

    /// <summary>A fault on a vector: the flipped bits (from the words before and after), or the gaussian's sigma, or the sparse perturbation.</summary>
    public static string OnVector(ErrorValueModel model, ReadOnlySpan<double> after, double[]? before, double rms)
    {
        switch (model.Kind)
        {
            case ErrorModelKind.BitFlip when before is not null:
                {
                    var flips = new List<string>();
                    for (var j = 0; j < after.Length; j++)
                    {
                        var changed = BitConverter.DoubleToInt64Bits(before[j]) ^ BitConverter.DoubleToInt64Bits(after[j]);
                        for (var bit = 0; bit < 64 && changed != 0; bit++)
                        {
                            if (((changed >> bit) & 1) != 0)
                            {
                                flips.Add(string.Create(CultureInfo.InvariantCulture, $"word {j} bit {bit}"));
                            }
                        }
                    }

                    return flips.Count == 0 ? "bits flipped back (even flips of one bit)" : string.Join(" ", flips);
                }

            case ErrorModelKind.Gaussian:
                return string.Create(CultureInfo.InvariantCulture, $"sigma {model.Magnitude * (rms > 0 ? rms : 1.0):g6} on {Math.Max(1, (int)Math.Round(Math.Min(1, model.Fraction) * after.Length))} of {after.Length} words");
            default:
                return string.Create(CultureInfo.InvariantCulture, $"uniform +-{model.Magnitude:g6} on {Math.Clamp((int)Math.Round(model.Fraction * after.Length), 1, after.Length)} of {after.Length} words");
        }
    }
}
