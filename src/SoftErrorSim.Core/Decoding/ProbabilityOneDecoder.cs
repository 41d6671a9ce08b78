using MathNet.Numerics.LinearAlgebra;
using SoftErrorSim.Core.Coding;
using SoftErrorSim.Core.Randomness;

namespace SoftErrorSim.Core.Decoding;

/// <summary>
/// Probability-one decoding (SPEC 4): with parity checks H of the surviving symbols and received Y,
/// the syndrome S = H Y spans the same space as the parity columns of the erring symbols when error
/// values are continuous random and outputs are at least as long as the number of errors. Symbol p
/// is blamed exactly when its column of H lies in that span. Corrects up to P-K-1 errors; with P-K
/// or more the syndrome has full rank and the decoder reports detected.
/// <para>
/// Errors of very different sizes (a flipped exponent bit next to an ordinary error) are peeled:
/// each round locates the errors that stand above the current noise floor, removes them, and
/// re-checks the rest, so a huge error cannot hide a small one. When the span test is not
/// consistent (short outputs, errors sharing coordinates) a bounded subset-consistency search
/// looks for the smallest set of symbols whose parity columns contain the syndrome.
/// </para>
/// </summary>
public sealed class ProbabilityOneDecoder : ILinearDecoder
{
    /// <summary>How many candidate sets the fallback search may test before giving up (as detected).</summary>
    public const int SearchBudget = 20_000;

    /// <summary>The shared instance (the decoder is stateless).</summary>
    public static ProbabilityOneDecoder Instance { get; } = new();

    /// <inheritdoc />
    public LinearDecodeResult Decode(RealLinearCode code, Matrix<double> received, RandomSource random) => Decode(code, received, 0);

    /// <summary>
    /// Decodes with the noise floor scaled to at least <paramref name="referenceNorm"/>: the norm of
    /// the data the received rows were computed from when that is larger than the rows themselves
    /// (a grid line of zero padding in a layer of O(1) weights carries the rounding of the layer,
    /// not of its own zeros).
    /// </summary>
    public static LinearDecodeResult Decode(RealLinearCode code, Matrix<double> received, double referenceNorm)
    {
        ArgumentNullException.ThrowIfNull(code);
        ArgumentNullException.ThrowIfNull(received);
        var k = code.Dimension;
        var blamed = ReceivedWord.Erasures(received);
        if (code.Length == k)
        {
            return ConsistencyCheck.Unverified(code, received, blamed);
        }

        var remaining = ReceivedWord.Complement(code.Length, blamed);
        var length = received.ColumnCount;
        // The row-major word lives in a pooled buffer: a campaign decodes millions of words, and
        // nothing computed from it (syndromes, coefficients) keeps a reference to it.
        var word = System.Buffers.ArrayPool<double>.Shared.Rent(code.Length * length);
        try
        {
            DenseKernels.RowMajor(ReceivedWord.WithoutErasures(received, blamed), word);
            while (true)
            {
                if (remaining.Count < k + 1)
                {
                    return LinearDecodeResult.Fail($"only {remaining.Count} trusted outputs remain; verifying a result needs K+1 = {k + 1}", Sorted(blamed));
                }

                var check = ConsistencyCheck.Check(code, remaining, word, length, referenceNorm);
                if (!check.Conditioned)
                {
                    return LinearDecodeResult.Fail(check.Reason!, Sorted(blamed), check.System.ConditionNumber);
                }

                if (check.Consistent)
                {
                    return new LinearDecodeResult(DecodeStatus.Decoded, check.System.Interpolate(word, length), Sorted(blamed), check.System.ConditionNumber, null);
                }

                var parity = check.System.ParityCheck;
                var redundancy = check.System.Redundancy;
                if (SyndromeSpan.Significant(check.Syndrome!, check.System.Redundancy, length, check.NoiseFloor) is not var (basis, rank, smallestSignificant))
                {
                    return LinearDecodeResult.Fail("numerical trouble: the syndrome could not be factored (extreme or non-finite values)", Sorted(blamed), check.System.ConditionNumber);
                }

                // The word failed the Frobenius test, so at least its leading direction is an error
                // even when every singular value alone sits under the floor (sigma_1 <= ||S||_F).
                if (rank == 0)
                {
                    rank = 1;
                    smallestSignificant = check.NoiseFloor;
                }

                if (rank >= redundancy)
                {
                    return LinearDecodeResult.Fail(
                        $"the syndrome has full rank {redundancy}: at least P-K = {redundancy} of the {remaining.Count} trusted outputs err",
                        Sorted(blamed),
                        check.System.ConditionNumber);
                }

                // A blamed column lies in the span up to the basis perturbation noise/sigma, itself
                // 1e4 below floor/sigma (RoundingAllowance); clean columns stand O(1) away.
                var tolerance = Math.Clamp(check.NoiseFloor / smallestSignificant, 1e-9, 1e-3);
                var distances = remaining.Select(p => SyndromeSpan.Distance(parity, p, basis)).ToArray();
                var located = remaining.Where((_, i) => distances[i] < tolerance).ToList();
                if (located.Count != rank)
                {
                    var ordered = remaining.Select((p, i) => (p, d: distances[i])).OrderBy(x => x.d).Select(x => x.p).ToArray();
                    located = SyndromeSpan.SmallestContainingSet(parity, ordered, basis, Math.Max(rank, 1), redundancy - 1, tolerance, SearchBudget);
                    if (located.Count == 0)
                    {
                        return LinearDecodeResult.Fail(
                            "no set of at most P-K-1 outputs explains the syndrome (errors not in general position, or too many)",
                            Sorted(blamed),
                            check.System.ConditionNumber);
                    }
                }

                if (located.Count == 0)
                {
                    return LinearDecodeResult.Fail("the syndrome points at no output", Sorted(blamed), check.System.ConditionNumber);
                }

                blamed.AddRange(located);
                var locatedSet = new HashSet<int>(located);
                remaining.RemoveAll(locatedSet.Contains);
            }
        }
        finally
        {
            System.Buffers.ArrayPool<double>.Shared.Return(word);
        }
    }

    private static List<int> Sorted(List<int> blamed) => blamed.Order().ToList();
}
