using MathNet.Numerics.LinearAlgebra;
using SoftErrorSim.Core.Coding;

namespace SoftErrorSim.Core.Decoding;

/// <summary>The verdict on whether a set of symbols holds a codeword.</summary>
internal readonly record struct Consistency(
    bool Consistent,
    bool Conditioned,
    SubsetSystem System,
    double[]? Syndrome,
    double NoiseFloor,
    string? Reason);

/// <summary>
/// The check every decoder ends with: the symbols it trusts must form a codeword of the restricted
/// code (syndrome within the noise floor), through a system conditioned well enough for float64.
/// </summary>
internal static class ConsistencyCheck
{
    public static Consistency Check(RealLinearCode code, IReadOnlyList<int> rows, double[] received, int length, double referenceNorm = 0)
    {
        var system = code.System(rows);
        if (!double.IsFinite(system.ConditionNumber))
        {
            return new Consistency(false, false, system, null, 0, $"the decoding system on {rows.Count} outputs is singular");
        }

        if (system.ConditionNumber > DecodingTolerance.MaxConditionNumber)
        {
            return new Consistency(
                false,
                false,
                system,
                null,
                0,
                FormattableString.Invariant($"condition number {system.ConditionNumber:0.0e0} of the decoding system exceeds {DecodingTolerance.MaxConditionNumber:0e0}: beyond float64"));
        }

        var syndrome = system.Syndrome(received, length);
        var floor = DecodingTolerance.NoiseFloor(system.ConditionNumber, Math.Max(system.RowNorm(received, length), referenceNorm));
        var consistent = Math.Sqrt(DenseKernels.Dot(syndrome, syndrome)) <= floor;
        return new Consistency(consistent, true, system, syndrome, floor, null);
    }

    /// <summary>The result for a code without redundancy (P = K): interpolate, nothing can be checked.</summary>
    public static LinearDecodeResult Unverified(RealLinearCode code, Matrix<double> received, List<int> erased)
    {
        if (erased.Count > 0)
        {
            return LinearDecodeResult.Fail($"{erased.Count} output(s) erased and the code has no redundancy", erased);
        }

        var system = code.System(code.AllRows());
        if (system.ConditionNumber > DecodingTolerance.MaxConditionNumber || !double.IsFinite(system.ConditionNumber))
        {
            return LinearDecodeResult.Fail("the decoding system is beyond float64", erased, system.ConditionNumber);
        }

        return new LinearDecodeResult(DecodeStatus.Decoded, system.Interpolate(received), erased, system.ConditionNumber, "no redundancy: result unverified");
    }
}
