namespace SoftErrorSim.Core.Decoding;

/// <summary>
/// The numerical tolerances of decoding and the decoding contract (SPEC 4), each with its reason.
/// All are relative to the scale of the received data; none grows with the condition number of the
/// system solved, because a floor proportional to it lets exactly the dangerous errors through
/// (an error of relative size 1e-7 at P = 40, m = 2, n = 5 on Chebyshev points passed such a floor
/// and moved the result 100 times further than the success tolerance). Ill-conditioning is instead
/// handled by refusal: a decode is refused when the estimated error of its wanted blocks exceeds
/// <see cref="SuccessRelativeError"/>.
/// </summary>
public static class DecodingTolerance
{
    /// <summary>The machine epsilon of float64, 2^-52 (twice the unit roundoff).</summary>
    public const double MachineEpsilon = 2.220446049250313e-16;

    /// <summary>
    /// How many times the expected rounding of a received row its syndrome may reach before the
    /// row set counts as inconsistent. With parity checks of orthonormal rows, the syndrome of a
    /// clean word is a sum of independent rounding errors of size about <see cref="Rounding"/> times
    /// the column's norm; 16 such standard deviations are never reached by rounding (the Gaussian
    /// tail beyond 16 sigma is 1e-57) while every error above 16 times the rounding is seen.
    /// </summary>
    public const double FloorMargin = 16;

    /// <summary>
    /// A decoded result counts as correct when its largest entry-wise deviation from the
    /// error-free result is at most 1e-6 of that result's largest magnitude: far above the 1e-13
    /// rounding of a well-conditioned decode, far below any deviation that changes a training
    /// step more than single-precision hardware would.
    /// </summary>
    public const double SuccessRelativeError = 1e-6;

    /// <summary>
    /// Entries beyond 1e100 in magnitude (or NaN, or infinite) mark an output as erased before
    /// decoding: a legitimate output of data of any sane scale never reaches them (only a flipped
    /// exponent bit does), and screening them keeps every sum of squares finite.
    /// </summary>
    public const double ErasureMagnitude = 1e100;

    /// <summary>
    /// The relative rounding error of a received output computed as inner products of length
    /// <paramref name="innerDimension"/> (the products, the local encodings folded in) and checked
    /// through a parity operator over <paramref name="symbols"/> rows: eps sqrt(n + r), the
    /// random-walk growth of accumulated rounding (Higham, Accuracy and Stability, 3.1 and 3.5).
    /// </summary>
    public static double Rounding(int innerDimension, int symbols) =>
        MachineEpsilon * Math.Sqrt(Math.Max(innerDimension, 1) + Math.Max(symbols, 1));

    /// <summary>
    /// The consistency floor of one output column: <see cref="FloorMargin"/> times the rounding
    /// times the column's norm over the rows used, plus the typical column norm (so that a column
    /// of near-cancelling entries is judged against the rounding of the data that produced it).
    /// </summary>
    public static double ColumnFloor(double rounding, double columnNorm, double typicalColumnNorm) =>
        FloorMargin * rounding * (columnNorm + typicalColumnNorm);

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

/// <summary>
/// What a decoder is told about the received word beyond its values.
/// </summary>
/// <param name="Rounding">The expected relative rounding of a received output (<see cref="DecodingTolerance.Rounding"/>).</param>
/// <param name="ReferenceRms">
/// The root mean square of an entry of the data the rows belong to, when that is the scale to
/// judge them against rather than the rows themselves: a grid line of zero padding in a layer of
/// O(1) weights carries the layer's rounding, and an error in it matters relative to the layer,
/// not to its own zeros. The floor's typical column norm is at least this times sqrt(rows), and
/// the contract's tolerance at least the success tolerance times this.
/// </param>
/// <param name="Strict">
/// Whether an inconsistency too small to matter for this one result must still be located or
/// flagged: storage checks and repairs are strict, because a small error left in a stored block
/// persists, adds up with the next, and is read by every later product.
/// </param>
/// <param name="Transient">
/// Whether the caller reads the decoded coefficients before its thread decodes again: they may then
/// live in a buffer of the thread, reused decode after decode (a campaign decodes millions of words;
/// a fresh coefficient array was half of all it allocated).
/// </param>
public readonly record struct DecodeOptions(double Rounding, double ReferenceRms = 0, bool Strict = false, bool Transient = false)
{
    /// <summary>Options for outputs of inner products of up to 4096 terms (the default workload and small layers).</summary>
    public static DecodeOptions Default { get; } = new(DecodingTolerance.Rounding(4096, 64));
}
