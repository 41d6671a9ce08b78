using System.Globalization;
using SoftErrorSim.Core.Faults;

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

/// <summary>The training run's side of the injector's check (SPEC 3): its per-node counts grouped by rate, per step kind.</summary>
internal static class TrainingInjectorCheck
{
    /// <summary>Checks every step kind from per-node draws, strikes and rates (each indexed [node, kind], <see cref="FaultSites.StepKinds"/> kinds per node).</summary>
    internal static IReadOnlyList<InjectorCheck> From(long[] opportunities, long[] strikes, double[] rates, int nodeCount) =>
        InjectorCheck.Of(RateGroups(opportunities, strikes, rates, nodeCount), InjectorCheck.FalseAlarm);

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
