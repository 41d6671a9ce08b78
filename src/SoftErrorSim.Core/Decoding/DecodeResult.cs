namespace SoftErrorSim.Core.Decoding;

/// <summary>What a decoder says it did.</summary>
public enum DecodeStatus
{
    /// <summary>A result is returned as good.</summary>
    Decoded,

    /// <summary>Failure is flagged: the caller rolls back or recomputes.</summary>
    Detected,
}

/// <summary>The four outcomes of a decode as the simulator, which knows the truth, classifies them (SPEC 4).</summary>
public enum DecodeOutcome
{
    /// <summary>No error was present and the result is correct.</summary>
    Clean,

    /// <summary>Errors were present and the returned result is correct.</summary>
    Corrected,

    /// <summary>The decoder flagged a failure.</summary>
    Detected,

    /// <summary>A wrong result was returned as good: the outcome that matters most.</summary>
    Miscorrected,
}

/// <summary>Which decoding guarantee is used (SPEC 4).</summary>
public enum DecoderKind
{
    /// <summary>Corrects any floor((P-K)/2) errors whatever their values; majority vote for replication.</summary>
    BoundedDistance,

    /// <summary>Corrects up to P-K-1 errors with continuous random values; agreement of two copies for replication.</summary>
    ProbabilityOne,
}

/// <summary>
/// The result of decoding a linear code: the message coefficients (K x L, row-major) when decoded,
/// the symbols the decoder blamed, the condition number of the last system it solved, the
/// estimated relative error of the wanted coefficients (the decoding contract's quantity; NaN when
/// nothing was solved), and why it failed when it did.
/// </summary>
public sealed record LinearDecodeResult<T>(
    DecodeStatus Status,
    T[]? Coefficients,
    IReadOnlyList<int> BlamedSymbols,
    double ConditionNumber,
    double EstimatedError,
    string? Reason);

/// <summary>Builds decode results.</summary>
public static class LinearDecode
{
    /// <summary>A detected failure with its reason.</summary>
    public static LinearDecodeResult<T> Fail<T>(string reason, IReadOnlyList<int> blamed, double conditionNumber = double.NaN, double estimatedError = double.NaN) =>
        new(DecodeStatus.Detected, null, blamed, conditionNumber, estimatedError, reason);
}

/// <summary>Maps a decoder's claim and the truth to one of the four outcomes.</summary>
public static class OutcomeClassifier
{
    /// <summary>
    /// Classifies one decode. <paramref name="errorPresent"/> says whether any received value
    /// differed from its error-free value; the result is correct when its relative error is within
    /// <see cref="DecodingTolerance.SuccessRelativeError"/>.
    /// </summary>
    public static DecodeOutcome Classify(bool errorPresent, DecodeStatus status, ReadOnlySpan<double> decoded, ReadOnlySpan<double> truth)
    {
        if (status == DecodeStatus.Detected)
        {
            return DecodeOutcome.Detected;
        }

        var correct = DecodingTolerance.RelativeError(decoded, truth) <= DecodingTolerance.SuccessRelativeError;
        if (!correct)
        {
            return DecodeOutcome.Miscorrected;
        }

        return errorPresent ? DecodeOutcome.Corrected : DecodeOutcome.Clean;
    }
}
