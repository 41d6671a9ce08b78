namespace SoftErrorSim.Core.Decoding;

/// <summary>
/// The numerical tolerances of decoding over the reals, each with its reason. All are relative to
/// the scale of the received data and, where rounding is amplified, to the conditioning of the
/// system actually solved (SPEC 4).
/// </summary>
public static class DecodingTolerance
{
    /// <summary>The unit roundoff of float64, 2^-52.</summary>
    public const double MachineEpsilon = 2.220446049250313e-16;

    /// <summary>
    /// Allowance for rounding already present in the received outputs: a coded product of inner
    /// dimension C carries about sqrt(C) eps of relative rounding error (random-walk accumulation),
    /// so 1e4 eps covers inner dimensions up to 1e8 with a further margin for the syndrome product.
    /// </summary>
    public const double RoundingAllowance = 1e4;

    /// <summary>
    /// The largest condition number of a decoding system accepted. Beyond it the noise floor
    /// RoundingAllowance * eps * kappa exceeds 2e-4 of the data scale: errors that large would pass
    /// unseen, so the configuration is beyond float64 and its decodes fail as detected.
    /// </summary>
    public const double MaxConditionNumber = 1e8;

    /// <summary>
    /// A decoded result counts as correct when its largest entry-wise deviation from the
    /// error-free result is at most 1e-6 of that result's largest magnitude: far above the 1e-12
    /// rounding of a well-conditioned decode and the ~1e-7 of the worst admitted conditioning, far
    /// below any deviation that changes a training step more than single-precision hardware would.
    /// </summary>
    public const double SuccessRelativeError = 1e-6;

    /// <summary>
    /// Entries beyond 1e100 in magnitude (or NaN, or infinite) mark an output as erased before
    /// decoding: a legitimate output of data of any sane scale never reaches them (only a flipped
    /// exponent bit does), and screening them keeps every sum of squares finite.
    /// </summary>
    public const double ErasureMagnitude = 1e100;

    /// <summary>
    /// The syndrome norm below which a received word counts as a codeword: the rounding allowance
    /// times eps, amplified by the condition number of the restricted code (the parity basis and
    /// the codeword both carry its rounding), times the data norm.
    /// </summary>
    public static double NoiseFloor(double conditionNumber, double dataNorm) =>
        RoundingAllowance * MachineEpsilon * (conditionNumber + 1) * dataNorm;

    /// <summary>Whether an entry marks its output as erased.</summary>
    public static bool IsErasure(double value) => !(Math.Abs(value) <= ErasureMagnitude);

    /// <summary>
    /// The largest absolute deviation between a decoded result and the error-free result, relative
    /// to the error-free result's largest magnitude (absolute when that is zero). NaN in the decoded
    /// result gives +infinity: a NaN result is never correct.
    /// </summary>
    public static double RelativeError(ReadOnlySpan<double> decoded, ReadOnlySpan<double> truth)
    {
        if (decoded.Length != truth.Length)
        {
            throw new ArgumentException("decoded and truth differ in length");
        }

        double scale = 0;
        foreach (var v in truth)
        {
            scale = Math.Max(scale, Math.Abs(v));
        }

        double worst = 0;
        for (var i = 0; i < truth.Length; i++)
        {
            var deviation = Math.Abs(decoded[i] - truth[i]);
            if (!(deviation <= double.MaxValue))
            {
                return double.PositiveInfinity;
            }

            worst = Math.Max(worst, deviation);
        }

        return scale > 0 ? worst / scale : worst;
    }
}
