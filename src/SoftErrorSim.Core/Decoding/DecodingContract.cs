using System.Globalization;
using System.Runtime.InteropServices;
using SoftErrorSim.Core.Coding;
using SoftErrorSim.Core.Kernels;

namespace SoftErrorSim.Core.Decoding;

/// <summary>The verdict on whether a set of symbols holds a codeword.</summary>
/// <param name="Consistent">Every column's residual is within its floor.</param>
/// <param name="Singular">The rows do not determine the coefficients reliably (rank below K, or a condition number beyond what float64 factors can be trusted at).</param>
/// <param name="System">The restricted code.</param>
/// <param name="Projection">Q^H Y_R (K x L) when the residual path computed it, for the coefficients; null after a syndrome.</param>
/// <param name="MatrixFloor">The floor of the whole word: the root sum of squares of the column floors.</param>
/// <param name="LargestColumnFloor">The largest column floor: the largest residual a hidden error may leave.</param>
/// <param name="LargestColumnNorm">The largest column norm (plus the typical one) of the rows used: the scale rounding acts on.</param>
/// <param name="LargestResidual">The largest column residual: how far the rows are from a codeword.</param>
/// <param name="Syndrome">
/// H_R Y (redundancy x L, row-major, in the first redundancy x L entries) when the parity path
/// computed it, for the span test of a word that failed the check; null after the residual path.
/// Like <paramref name="Projection"/> it lives in a buffer of the calling thread that the next
/// check overwrites: use it before checking again.
/// </param>
internal readonly record struct Consistency<T>(
    bool Consistent,
    bool Singular,
    SubsetSystem<T> System,
    T[]? Projection,
    double MatrixFloor,
    double LargestColumnFloor,
    double LargestColumnNorm,
    double LargestResidual = 0,
    T[]? Syndrome = null)
    where T : struct, IEquatable<T>, IFormattable;

/// <summary>
/// Buffers of the calling thread for the decoders' hot path (a campaign decodes millions of
/// words): each is overwritten by the next use on the same thread, so a caller reads it before
/// the next call that fills it.
/// </summary>
internal static class DecodeBuffers<T>
    where T : struct
{
    [ThreadStatic]
    private static T[]? t_syndrome;

    [ThreadStatic]
    private static T[]? t_projection;

    [ThreadStatic]
    private static T[]? t_scaled;

    [ThreadStatic]
    private static T[]? t_vector;

    [ThreadStatic]
    private static T[]? t_gathered;

    [ThreadStatic]
    private static T[]? t_coefficients;

    /// <summary>The syndrome of the last check.</summary>
    public static T[] Syndrome(int size) => Get(ref t_syndrome, size);

    /// <summary>The projection Q^H Y_R of the last check.</summary>
    public static T[] Projection(int size) => Get(ref t_projection, size);

    /// <summary>The scaled syndrome of the span test.</summary>
    public static T[] Scaled(int size) => Get(ref t_scaled, size);

    /// <summary>Rows of a word gathered for a product (the residual of a subset system).</summary>
    public static T[] Gathered(int size) => Get(ref t_gathered, size);

    /// <summary>The coefficients of a transient decode (<see cref="DecodeOptions.Transient"/>): exactly <paramref name="size"/> long, so callers see the same shape as a fresh array.</summary>
    public static T[] Coefficients(int size)
    {
        if (t_coefficients is null || t_coefficients.Length != size)
        {
            t_coefficients = new T[size];
        }

        return t_coefficients;
    }

    /// <summary>A short vector (a residual column or row).</summary>
    public static T[] Vector(int size) => Get(ref t_vector, size);

    private static T[] Get(ref T[]? buffer, int size)
    {
        if (buffer is null || buffer.Length < size)
        {
            buffer = new T[Math.Max(size, 2 * (buffer?.Length ?? 0))];
        }

        return buffer;
    }
}

/// <summary>
/// The check every decoder ends with, and the decoding contract of SPEC 4: the symbols a decoder
/// trusts must form a codeword of the restricted code (every column of the syndrome within its
/// floor, a fixed multiple of the rounding, never of the condition number), and the result is
/// returned only when the estimated error of the wanted blocks (the rounding of the received rows
/// and the largest error the floor could hide, both amplified through the rows actually used) is
/// within the success tolerance. Otherwise the decode is refused as detected, with the reason.
/// </summary>
internal static class DecodingContract
{
    /// <summary>The reason given when the estimate exceeds the tolerance (one string, so campaigns can tally it).</summary>
    public const string IllConditioned = "the estimated error of the wanted blocks exceeds the success tolerance (the rows used are too ill-conditioned for float64)";

    public static Consistency<T> Check<T>(LinearCode<T> code, IReadOnlyList<int> rows, ReadOnlySpan<T> word, int length, in DecodeOptions options)
        where T : struct, IEquatable<T>, IFormattable
    {
        var system = code.System(rows);
        if (!system.Factored)
        {
            return new Consistency<T>(false, true, system, null, 0, 0, 0, double.PositiveInfinity);
        }

        // Column norms of the rows used, and the typical column norm (at least the reference's).
        var columnNorms = length <= 512 ? stackalloc double[length] : new double[length];
        columnNorms.Clear();
        for (var i = 0; i < rows.Count; i++)
        {
            var row = word.Slice(rows[i] * length, length);
            for (var j = 0; j < length; j++)
            {
                columnNorms[j] += Field.Abs2(row[j]);
            }
        }

        double total = 0, largest = 0;
        for (var j = 0; j < length; j++)
        {
            total += columnNorms[j];
            columnNorms[j] = Math.Sqrt(columnNorms[j]);
            largest = Math.Max(largest, columnNorms[j]);
        }

        var typical = Math.Max(Math.Sqrt(total / Math.Max(length, 1)), options.ReferenceRms * Math.Sqrt(rows.Count));
        // Each column's distance from the code: the syndrome norm under orthonormal parity checks
        // for the system on every symbol (SubsetSystem.ChecksBySyndrome), else the least-squares
        // residual through Q (the same number up to rounding; the path depends on the rows alone).
        var residualNorms = length <= 512 ? stackalloc double[length] : new double[length];
        T[]? projection = null;
        T[]? syndrome = null;
        if (system.ChecksBySyndrome)
        {
            var redundancy = system.Redundancy;
            syndrome = DecodeBuffers<T>.Syndrome(redundancy * length);
            Field.Multiply(system.ParityCheck, word, length, syndrome);
            for (var j = 0; j < length; j++)
            {
                double sum = 0;
                for (var i = 0; i < redundancy; i++)
                {
                    sum += Field.Abs2(syndrome[(i * length) + j]);
                }

                residualNorms[j] = Math.Sqrt(sum);
            }
        }
        else
        {
            projection = DecodeBuffers<T>.Projection(code.Dimension * length);
            system.Residual(word, length, projection, residualNorms);
        }

        var consistent = true;
        double floorSquares = 0, largestFloor = 0, largestResidual = 0;
        for (var j = 0; j < length; j++)
        {
            largestResidual = double.IsNaN(residualNorms[j]) ? double.NaN : Math.Max(largestResidual, residualNorms[j]);
            var floor = DecodingTolerance.ColumnFloor(options.Rounding, columnNorms[j], typical);
            floorSquares += floor * floor;
            largestFloor = Math.Max(largestFloor, floor);

            // A NaN residual is never consistent.
            if (!(residualNorms[j] <= floor))
            {
                consistent = false;
            }
        }

        return new Consistency<T>(consistent, false, system, projection, Math.Sqrt(floorSquares), largestFloor, largest + typical, largestResidual, syndrome);
    }

    /// <summary>
    /// The syndrome H_R Y (redundancy x L, row-major) for the span test of a word that failed the
    /// check: the one the check computed when it took the parity path (the same numbers), else
    /// computed now, into the thread's syndrome buffer.
    /// </summary>
    public static ReadOnlySpan<T> Syndrome<T>(in Consistency<T> check, ReadOnlySpan<T> word, int length)
        where T : struct, IEquatable<T>, IFormattable
    {
        var size = check.System.Redundancy * length;
        if (check.Syndrome is { } computed)
        {
            return computed.AsSpan(0, size);
        }

        var syndrome = DecodeBuffers<T>.Syndrome(size);
        Field.Multiply(check.System.ParityCheck, word, length, syndrome);
        return syndrome.AsSpan(0, size);
    }

    /// <summary>
    /// Interpolates the coefficients from a consistent row set and applies the contract: returns
    /// the decoded result, or detected when the estimated error of the wanted blocks is too large.
    /// </summary>
    public static LinearDecodeResult<T> Accept<T>(LinearCode<T> code, in Consistency<T> check, ReadOnlySpan<T> word, int length, in DecodeOptions options, IReadOnlyList<int> blamed, bool verified = true, double tolerance = DecodingTolerance.SuccessRelativeError)
        where T : struct, IEquatable<T>, IFormattable
    {
        var system = check.System;
        var coefficients = options.Transient ? DecodeBuffers<T>.Coefficients(code.Dimension * length) : new T[code.Dimension * length];
        if (check.Projection is { } projection)
        {
            // Only the wanted coefficients are read (and judged): solve for those rows alone.
            system.Solve(projection, length, coefficients, code.Wanted);
        }
        else
        {
            // Only the wanted coefficients are read (and judged): interpolate those rows alone.
            var pinv = system.PseudoInverse;
            coefficients.AsSpan().Clear();
            for (var w = 0; w < code.Wanted.Count; w++)
            {
                var t = code.Wanted[w];
                var target = coefficients.AsSpan(t * length, length);
                for (var i = 0; i < system.Rows.Count; i++)
                {
                    var p = system.Rows[i];
                    Field.AddScaled(target, word.Slice(p * length, length), pinv[t, p]);
                }
            }
        }

        // Per entry of a wanted block: the rounding of the received rows read out through P_W, plus
        // the largest single-node error the floor could hide, amplified through P_W the same way.
        var readout = system.ReadoutAmplification * options.Rounding * check.LargestColumnNorm;
        var hidden = verified ? system.UndetectableAmplification * check.LargestColumnFloor : 0;
        // The scale success is judged against: the largest real number the pass reads (a complex
        // coefficient is two real results, or one when only its real part is read), never the
        // complex modulus, which overstates it by up to sqrt(2) and, with garbage imaginary
        // parts, without bound.
        double scale = 0;
        for (var w = 0; w < code.Wanted.Count; w++)
        {
            var t = code.Wanted[w];
            var doubles = MemoryMarshal.Cast<T, double>(coefficients.AsSpan(t * length, length));
            var stride = code.RealPartRead ? 2 : 1;
            for (var i = 0; i < doubles.Length; i += stride)
            {
                scale = Math.Max(scale, Math.Abs(doubles[i]));
            }
        }

        scale = Math.Max(scale, options.ReferenceRms);
        var estimate = (readout + hidden) / (scale > 0 ? scale : 1);
        if (!(estimate <= tolerance))
        {
            return LinearDecode.Fail<T>(IllConditioned, blamed, system.ConditionNumber, estimate);
        }

        return new LinearDecodeResult<T>(DecodeStatus.Decoded, coefficients, blamed, system.ConditionNumber, estimate, verified ? null : "no redundancy: result unverified");
    }

    /// <summary>
    /// The share of the success tolerance a negligible inconsistency may use, amplified as one
    /// node's error: the margin for several small errors adding up. Their syndromes add in
    /// quadrature but their effects on the result add linearly, so one node's amplification
    /// understates several nodes' (a model of P = 40, K = 24 with 9 to 24 random errors found the
    /// ratio up to 2.5); a margin of 8 covers that with room.
    /// </summary>
    public const double NegligibleShare = 0.125;

    /// <summary>
    /// An inconsistent word whose inconsistency is too small to matter: even amplified to the
    /// wanted blocks as one node's error, plus their rounding, it stays within
    /// <see cref="NegligibleShare"/> of the success tolerance (SPEC 4: "or the error was too small
    /// to matter"). Then the result is returned with nobody blamed; otherwise null. Callers try it
    /// only after location failed and only when the syndrome shows at most one significant
    /// direction (<see cref="SingleDirection"/>: no sign of several errors). Without these limits
    /// two 1e-5 errors whose syndromes partly cancelled, and 15 errors of 3e-6 in 8-word outputs
    /// (accepted wrong in 160 of 200 decodes), passed a one-node bound.
    /// </summary>
    public static LinearDecodeResult<T>? AcceptNegligible<T>(LinearCode<T> code, in Consistency<T> check, ReadOnlySpan<T> word, int length, in DecodeOptions options, IReadOnlyList<int> blamed)
        where T : struct, IEquatable<T>, IFormattable
    {
        if (options.Strict || check.Singular || !(check.LargestResidual <= check.LargestColumnNorm) || !double.IsFinite(check.System.UndetectableAmplification))
        {
            return null;
        }

        var widened = check with { LargestColumnFloor = Math.Max(check.LargestColumnFloor, check.LargestResidual) };

        // The wanted coefficients cannot exceed max_t ||P_W[t, :]|| times the largest column norm of the
        // rows used (Cauchy-Schwarz, row by row of P_W); with twice that as the scale, an estimate
        // still above the tolerance means Accept would refuse: skip its interpolation.
        var system = check.System;
        var scaleBound = Math.Max(2 * system.ReadoutAmplification * check.LargestColumnNorm, options.ReferenceRms);
        var lowest = ((system.ReadoutAmplification * options.Rounding * check.LargestColumnNorm) + (system.UndetectableAmplification * widened.LargestColumnFloor)) / scaleBound;
        var tolerance = NegligibleShare * DecodingTolerance.SuccessRelativeError;
        if (scaleBound > 0 && double.IsFinite(scaleBound) && lowest > tolerance)
        {
            return null;
        }

        var accepted = Accept(code, widened, word, length, options, blamed, tolerance: tolerance);
        return accepted.Status == DecodeStatus.Decoded ? accepted : null;
    }

    /// <summary>
    /// Whether the syndrome of a word that failed <paramref name="check"/> has at most one
    /// significant direction (rank at most 1 above the matrix floor): with continuous random
    /// errors, e erring symbols give rank min(e, L), so this is the sign that at most one symbol
    /// errs, or that the outputs are a single column and cannot tell.
    /// </summary>
    public static bool SingleDirection<T>(in Consistency<T> check, ReadOnlySpan<T> word, int length)
        where T : struct, IEquatable<T>, IFormattable
    {
        var redundancy = check.System.Redundancy;
        return redundancy > 0
            && SyndromeSpan.Significant(Syndrome(check, word, length), redundancy, length, check.MatrixFloor) is (_, var rank, _)
            && rank <= 1;
    }

    /// <summary>The result for a code without redundancy (P = K): interpolate, nothing can be checked.</summary>
    public static LinearDecodeResult<T> Unverified<T>(LinearCode<T> code, ReadOnlySpan<T> received, int length, in DecodeOptions options, List<int> erased)
        where T : struct, IEquatable<T>, IFormattable
    {
        if (erased.Count > 0)
        {
            return LinearDecode.Fail<T>(string.Create(CultureInfo.InvariantCulture, $"{erased.Count} output(s) erased and the code has no redundancy"), erased);
        }

        var check = Check(code, code.AllRows(), received, length, options);
        return check.Singular
            ? LinearDecode.Fail<T>("the decoding system is singular", erased, check.System.ConditionNumber)
            : Accept(code, check, received, length, options, erased, verified: false);
    }
}
