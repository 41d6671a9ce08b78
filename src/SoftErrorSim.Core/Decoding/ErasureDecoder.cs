using MathNet.Numerics.LinearAlgebra;
using SoftErrorSim.Core.Coding;

namespace SoftErrorSim.Core.Decoding;

/// <summary>
/// Decoding from outputs known to be correct (stragglers dropped, not soft errors): exactly the
/// recovery-threshold property. Any K of them determine the message; K-1 do not, and the decoder
/// says so instead of guessing.
/// </summary>
public static class ErasureDecoder
{
    /// <summary>Interpolates the message from the outputs of <paramref name="available"/>.</summary>
    public static LinearDecodeResult Decode(RealLinearCode code, Matrix<double> received, IReadOnlyCollection<int> available)
    {
        ArgumentNullException.ThrowIfNull(code);
        ArgumentNullException.ThrowIfNull(available);
        var rows = available.Distinct().Order().ToList();
        var missing = ReceivedWord.Complement(code.Length, rows);
        if (rows.Count < code.Dimension)
        {
            return LinearDecodeResult.Fail($"{rows.Count} outputs cannot determine the K = {code.Dimension} coefficients", missing);
        }

        var system = code.System(rows);
        if (!(system.ConditionNumber <= DecodingTolerance.MaxConditionNumber))
        {
            return LinearDecodeResult.Fail(
                FormattableString.Invariant($"condition number {system.ConditionNumber:0.0e0} of the interpolation is beyond float64"),
                missing,
                system.ConditionNumber);
        }

        return new LinearDecodeResult(DecodeStatus.Decoded, system.Interpolate(received), missing, system.ConditionNumber, null);
    }
}
