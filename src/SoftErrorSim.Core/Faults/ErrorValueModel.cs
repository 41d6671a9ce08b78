namespace SoftErrorSim.Core.Faults;

/// <summary>What a soft error does to the output it strikes (SPEC 3).</summary>
public enum ErrorModelKind
{
    /// <summary>A continuous random error scaled to the output's magnitude: the probabilistic model.</summary>
    Gaussian,

    /// <summary>Flips of random bits of random entries, within a bit range.</summary>
    BitFlip,

    /// <summary>The attacker knows the code and adds a slice of a minimum-weight codeword.</summary>
    Adversarial,

    /// <summary>CodeNet's model: a fraction (0.5%) of the entries moved uniformly in [-A, A] (A = 5); on stored weights it persists.</summary>
    SparseWeight,
}

/// <summary>
/// The value model of injected errors. Immutable and validated by <see cref="Validate"/>.
/// </summary>
public sealed record ErrorValueModel
{
    /// <summary>The kind of error.</summary>
    public ErrorModelKind Kind { get; init; } = ErrorModelKind.Gaussian;

    /// <summary>
    /// Gaussian and adversarial: error size relative to the RMS of the clean outputs (1 = the
    /// data's own size). Sparse-weight: the absolute amplitude A of the uniform perturbation.
    /// </summary>
    public double Magnitude { get; init; } = 1.0;

    /// <summary>Gaussian and sparse-weight: the fraction of an output's entries that are struck (at least one entry always is).</summary>
    public double Fraction { get; init; } = 1.0;

    /// <summary>BitFlip: lowest bit position that may flip (0 = least significant mantissa bit).</summary>
    public int LowBit { get; init; }

    /// <summary>BitFlip: highest bit position that may flip (52..62 exponent, 63 sign).</summary>
    public int HighBit { get; init; } = 63;

    /// <summary>BitFlip: how many (entry, bit) flips one error makes.</summary>
    public int FlipsPerError { get; init; } = 1;

    /// <summary>CodeNet's sparse-weight faults (SPEC 3): 0.5% of the entries, uniform in [-5, 5].</summary>
    public static ErrorValueModel SparseWeight { get; } = new() { Kind = ErrorModelKind.SparseWeight, Fraction = 0.005, Magnitude = 5 };

    /// <summary>Throws <see cref="ArgumentException"/> with a one-line reason when a parameter is out of range.</summary>
    public ErrorValueModel Validate()
    {
        if (!(Magnitude > 0) || !double.IsFinite(Magnitude))
        {
            throw new ArgumentException($"error magnitude must be positive and finite (got {Magnitude})");
        }

        if (!(Fraction > 0 && Fraction <= 1))
        {
            throw new ArgumentException($"error fraction must lie in (0, 1] (got {Fraction})");
        }

        if (LowBit < 0 || HighBit > 63 || LowBit > HighBit)
        {
            throw new ArgumentException($"‹bits› must be LO:HI with 0 <= LO <= HI <= 63 (got {LowBit}:{HighBit})");
        }

        if (FlipsPerError < 1)
        {
            throw new ArgumentException($"flips per error must be at least 1 (got {FlipsPerError})");
        }

        return this;
    }

    /// <summary>The model as a culture-proof canonical text (it keys random streams): kind, magnitude, fraction, bit range, flips.</summary>
    public string CanonicalText() => string.Create(
        System.Globalization.CultureInfo.InvariantCulture,
        $"{Name(Kind)}:magnitude={Magnitude:R}:fraction={Fraction:R}:bits={LowBit}-{HighBit}:flips={FlipsPerError}");

    /// <summary>The command-line name of a model.</summary>
    public static string Name(ErrorModelKind kind) => kind switch
    {
        ErrorModelKind.Gaussian => "gaussian",
        ErrorModelKind.BitFlip => "bitflip",
        ErrorModelKind.Adversarial => "adversarial",
        ErrorModelKind.SparseWeight => "sparse-weight",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
