using System.Globalization;
using SoftErrorSim.Core.Coding;

namespace SoftErrorSim.Core.Decoding;

/// <summary>
/// Decoding from outputs known to be correct (stragglers dropped, not soft errors): exactly the
/// recovery-threshold property. Any K of them determine the message; K-1 do not, and the decoder
/// says so instead of guessing. The result still passes the read-out half of the decoding
/// contract (nothing is hidden, so only rounding is amplified).
/// </summary>
public static class ErasureDecoder
{
    /// <summary>Interpolates the message from the outputs of <paramref name="available"/>.</summary>
    public static LinearDecodeResult<T> Decode<T>(LinearCode<T> code, ReadOnlySpan<T> received, int length, IReadOnlyCollection<int> available, in DecodeOptions options)
        where T : struct, IEquatable<T>, IFormattable
    {
        ArgumentNullException.ThrowIfNull(code);
        ArgumentNullException.ThrowIfNull(available);
        var rows = available.Distinct().Order().ToList();
        var missing = ReceivedWord.Complement(code.Length, rows);
        if (rows.Count < code.Dimension)
        {
            return LinearDecode.Fail<T>(string.Create(CultureInfo.InvariantCulture, $"{rows.Count} outputs cannot determine the K = {code.Dimension} coefficients"), missing);
        }

        var word = received.ToArray();
        foreach (var p in missing)
        {
            word.AsSpan(p * length, length).Clear();
        }

        var check = DecodingContract.Check(code, rows, word, length, options);
        return check.Singular
            ? LinearDecode.Fail<T>("the interpolation system is singular", missing, check.System.ConditionNumber)
            : DecodingContract.Accept(code, check, word, length, options, missing, verified: false);
    }
}
