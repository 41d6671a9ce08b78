using SoftErrorSim.Core.Coding;
using SoftErrorSim.Core.Randomness;

namespace SoftErrorSim.Core.Decoding;

/// <summary>Decodes a linear code with the decoder a <see cref="DecoderKind"/> names.</summary>
public static class LinearDecoding
{
    /// <summary>Bounded distance or probability one on <paramref name="received"/> (one row of <paramref name="length"/> scalars per symbol).</summary>
    public static LinearDecodeResult<T> Decode<T>(DecoderKind kind, LinearCode<T> code, ReadOnlySpan<T> received, int length, in DecodeOptions options, RandomSource random)
        where T : struct, IEquatable<T>, IFormattable =>
        kind == DecoderKind.BoundedDistance
            ? BoundedDistanceDecoder.Decode(code, received, length, options, random)
            : ProbabilityOneDecoder.Decode(code, received, length, options);
}
