using SoftErrorSim.Core.Decoding;
using SoftErrorSim.Core.Statistics;

namespace SoftErrorSim.Core.MonteCarlo;

/// <summary>Counts of the four decode outcomes over a number of trials.</summary>
public readonly record struct OutcomeCounts(long Clean, long Corrected, long Detected, long Miscorrected)
{
    /// <summary>All trials.</summary>
    public long Trials => Clean + Corrected + Detected + Miscorrected;

    /// <summary>Trials whose returned result was correct: clean plus corrected.</summary>
    public long Successes => Clean + Corrected;

    /// <summary>Successes / trials (NaN for zero trials).</summary>
    public double SuccessRate => Trials == 0 ? double.NaN : (double)Successes / Trials;

    /// <summary>The 95% Wilson interval on the success rate.</summary>
    public ProportionInterval Wilson => BinomialInterval.Wilson(Successes, Trials);

    /// <summary>Counts one outcome more.</summary>
    public OutcomeCounts Add(DecodeOutcome outcome) => outcome switch
    {
        DecodeOutcome.Clean => this with { Clean = Clean + 1 },
        DecodeOutcome.Corrected => this with { Corrected = Corrected + 1 },
        DecodeOutcome.Detected => this with { Detected = Detected + 1 },
        _ => this with { Miscorrected = Miscorrected + 1 },
    };

    /// <summary>Adds two sets of counts.</summary>
    public static OutcomeCounts operator +(OutcomeCounts a, OutcomeCounts b) =>
        new(a.Clean + b.Clean, a.Corrected + b.Corrected, a.Detected + b.Detected, a.Miscorrected + b.Miscorrected);

    /// <summary>Adds two sets of counts (the named alternative of the operator).</summary>
    public static OutcomeCounts Add(OutcomeCounts left, OutcomeCounts right) => left + right;
}
