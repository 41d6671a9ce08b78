using MathNet.Numerics.LinearAlgebra;
using SoftErrorSim.Core.Coding;
using SoftErrorSim.Core.Randomness;

namespace SoftErrorSim.Core.Decoding;

/// <summary>Which decoding guarantee is used (SPEC 4).</summary>
public enum DecoderKind
{
    /// <summary>Corrects any floor((P-K)/2) errors whatever their values; majority vote for replication.</summary>
    BoundedDistance,

    /// <summary>Corrects up to P-K-1 errors with continuous random values; agreement of two copies for replication.</summary>
    ProbabilityOne,
}

/// <summary>A decoder of real linear codes.</summary>
public interface ILinearDecoder
{
    /// <summary>Decodes <paramref name="received"/> (one row per symbol); <paramref name="random"/> feeds any random projection.</summary>
    LinearDecodeResult Decode(RealLinearCode code, Matrix<double> received, RandomSource random);
}
