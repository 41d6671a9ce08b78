using System.Buffers;
using System.Globalization;
using SoftErrorSim.Core.Coding;
using SoftErrorSim.Core.Statistics;

namespace SoftErrorSim.Core.Decoding;

/// <summary>
/// Probability-one decoding (SPEC 4), over the reals or the complex numbers: with parity checks H
/// of the surviving symbols (orthonormal rows) and received Y, the syndrome S = H Y spans the same
/// space as the parity columns of the erring symbols when error values are continuous random and
/// outputs are at least as long as the number of errors. Symbol p is blamed exactly when its column
/// of H lies in that span. Corrects up to P-K-1 errors; with P-K or more the syndrome has full
/// rank and the decoder reports detected.
/// <para>
/// Errors of very different sizes (a flipped exponent bit next to an ordinary error) are peeled:
/// each round locates the errors that stand above the current floor, removes them, and re-checks
/// the rest, so a huge error cannot hide a small one. When the span test is not consistent (short
/// outputs, errors sharing coordinates) a bounded subset-consistency search looks for the smallest
/// set of symbols whose parity columns contain the syndrome. Every accepted result passes the
/// decoding contract (<see cref="DecodingContract"/>).
/// </para>
/// </summary>
public static class ProbabilityOneDecoder
{
    /// <summary>
    /// How many candidate sets the fallback search may test before giving up (as detected). The
    /// candidates come in order of their distance from the syndrome's span, so a findable set is
    /// among the first few; when there are more errors than output entries no set is findable and
    /// the whole budget is spent, which bounds the cost of such a decode.
    /// </summary>
    public const int SearchBudget = 20_000;

    /// <summary>
    /// The most erring symbols the decoder locates among <paramref name="trusted"/> outputs of a
    /// dimension-K polynomial code whose outputs hold <paramref name="length"/> scalars: all r - 1
    /// (r = trusted - K) when the outputs are at least that long (the span test), else
    /// floor(L r / (L + 1)) (the interleaved locator, <see cref="InterleavedLocator"/>).
    /// </summary>
    public static int Reach(int trusted, int dimension, int length) =>
        SearchCovers(trusted, dimension, length) ? Math.Max(trusted - dimension - 1, 0) : InterleavedLocator.Reach(trusted, dimension, length);

    /// <summary>
    /// Whether the subset-consistency search can try every set of between L and r - 1 symbols
    /// within <see cref="SearchBudget"/>: then it finds any set of up to r - 1 erring symbols, in
    /// general position, however short the outputs (small codes: at P = 12, K = 5, L = 4 it tests
    /// at most 2,211 sets).
    /// </summary>
    public static bool SearchCovers(int trusted, int dimension, int length)
    {
        double sets = 0;
        for (var size = Math.Max(length, 1); size <= trusted - dimension - 1; size++)
        {
            sets += BinomialTail.Choose(trusted, size);
        }

        return sets <= SearchBudget;
    }

    /// <summary>Decodes <paramref name="received"/>: one row of <paramref name="length"/> scalars per symbol, row-major.</summary>
    public static LinearDecodeResult<T> Decode<T>(LinearCode<T> code, ReadOnlySpan<T> received, int length, in DecodeOptions options)
        where T : struct, IEquatable<T>, IFormattable
    {
        ArgumentNullException.ThrowIfNull(code);
        var k = code.Dimension;
        var symbols = code.Length;
        if (received.Length != symbols * length)
        {
            throw new ArgumentException("the received word must hold one row per symbol");
        }

        var blamed = ReceivedWord.Erasures(received, symbols);
        if (symbols == k)
        {
            return DecodingContract.Unverified(code, received, length, options, blamed);
        }

        var remaining = ReceivedWord.Complement(symbols, blamed);

        // The working word lives in a pooled buffer (a campaign decodes millions of words), with
        // erased rows zeroed so that operators with zero columns there really ignore them.
        var buffer = ArrayPool<T>.Shared.Rent(symbols * length);
        try
        {
            var word = buffer.AsSpan(0, symbols * length);
            received.CopyTo(word);
            foreach (var p in blamed)
            {
                word.Slice(p * length, length).Clear();
            }

            while (true)
            {
                if (remaining.Count < k + 1)
                {
                    return LinearDecode.Fail<T>(string.Create(CultureInfo.InvariantCulture, $"only {remaining.Count} trusted outputs remain; verifying a result needs K+1 = {k + 1}"), Sorted(blamed));
                }

                var check = DecodingContract.Check(code, remaining, word, length, options);
                if (check.Singular)
                {
                    return LinearDecode.Fail<T>(string.Create(CultureInfo.InvariantCulture, $"the decoding system on {remaining.Count} outputs is singular or beyond float64"), Sorted(blamed), check.System.ConditionNumber);
                }

                if (check.Consistent)
                {
                    return DecodingContract.Accept(code, check, word, length, options, Sorted(blamed));
                }

                var parity = check.System.ParityCheck;
                var redundancy = check.System.Redundancy;
                if (SyndromeSpan.Significant(DecodingContract.Syndrome(check, word, length), redundancy, length, check.MatrixFloor) is not var (basis, rank, smallestSignificant))
                {
                    return LinearDecode.Fail<T>("numerical trouble: the syndrome could not be factored (extreme or non-finite values)", Sorted(blamed), check.System.ConditionNumber);
                }

                // One significant direction at most: no sign of several errors, the only case in
                // which an unlocatable inconsistency may still be judged negligible.
                var single = rank <= 1;

                // The word failed a column test, so at least its leading direction is an error even
                // when every singular value alone sits under the matrix floor.
                if (rank == 0)
                {
                    rank = 1;
                    smallestSignificant = check.MatrixFloor;
                }

                if (rank >= redundancy)
                {
                    return Refuse(code, remaining, word, length, options, single,
                        string.Create(CultureInfo.InvariantCulture, $"the syndrome has full rank {redundancy}: at least P-K = {redundancy} of the {remaining.Count} trusted outputs err"),
                        Sorted(blamed),
                        check.System.ConditionNumber);
                }

                // A blamed column lies in the span up to the basis perturbation floor/sigma; clean
                // columns stand O(1) away (clamped to [1e-9, 1e-3]).
                var tolerance = Math.Clamp(check.MatrixFloor / smallestSignificant, 1e-9, 1e-3);
                var kept = Math.Max(rank, 1);
                var distances = new double[remaining.Count];
                var located = new List<int>(rank);
                for (var i = 0; i < remaining.Count; i++)
                {
                    distances[i] = SyndromeSpan.Distance(parity, remaining[i], basis, kept);
                    if (distances[i] < tolerance)
                    {
                        located.Add(remaining[i]);
                    }
                }

                if (located.Count != rank)
                {
                    // As many independent syndrome directions as output columns: there may be more
                    // erring symbols than columns, which the span test cannot see and the columns'
                    // common error locator can (collaborative Berlekamp-Welch). Otherwise, or when
                    // it fails on a code small enough to try every set, the subset search.
                    var interleaved = code.Points is not null && rank >= Math.Min(length, InterleavedLocator.MaxColumns);
                    located = interleaved ? InterleavedLocator.Locate(code, remaining, word, length, Math.Max(rank, 1), options) : [];
                    if (located.Count == 0 && (!interleaved || SearchCovers(remaining.Count, k, length)))
                    {
                        var ordered = remaining.Select((p, i) => (p, d: distances[i])).OrderBy(x => x.d).Select(x => x.p).ToArray();
                        located = SyndromeSpan.SmallestContainingSet(parity, ordered, basis, kept, Math.Max(rank, 1), redundancy - 1, tolerance, SearchBudget);
                    }

                    if (located.Count == 0)
                    {
                        return Refuse(code, remaining, word, length, options, single,
                            interleaved
                                ? string.Create(CultureInfo.InvariantCulture, $"no set of at most {Reach(remaining.Count, k, length)} outputs explains the syndrome of {length}-column outputs (more errors than outputs of this length let the decoder place, or not in general position)")
                                : "no set of at most P-K-1 outputs explains the syndrome (errors not in general position, or too many)",
                            Sorted(blamed),
                            check.System.ConditionNumber);
                    }
                }

                blamed.AddRange(located);
                Remove(remaining, located);
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(buffer);
        }
    }

    /// <summary>The blamed symbols in ascending order: the decode's own list, sorted in place (nothing changes it after a decode returns).</summary>
    private static List<int> Sorted(List<int> blamed)
    {
        blamed.Sort();
        return blamed;
    }

    /// <summary>Removes <paramref name="located"/> (a few symbols) from <paramref name="remaining"/>, keeping its order.</summary>
    private static void Remove(List<int> remaining, List<int> located)
    {
        var kept = 0;
        for (var i = 0; i < remaining.Count; i++)
        {
            if (!located.Contains(remaining[i]))
            {
                remaining[kept++] = remaining[i];
            }
        }

        remaining.RemoveRange(kept, remaining.Count - kept);
    }

    /// <summary>
    /// The end of a decode whose errors could not be located: accepted when the syndrome showed at
    /// most one significant direction (<paramref name="single"/>) and the inconsistency is too
    /// small to matter (<see cref="DecodingContract.AcceptNegligible"/>), else detected with the
    /// reason. Location is tried first because the negligibility bound assumes a single erring
    /// node: two errors whose syndromes partly cancel can move the result further than the bound,
    /// so errors the span test can place are placed and corrected, never waved through. The rows
    /// are checked afresh because location overwrote the buffers of the last check.
    /// </summary>
    private static LinearDecodeResult<T> Refuse<T>(LinearCode<T> code, List<int> remaining, ReadOnlySpan<T> word, int length, in DecodeOptions options, bool single, string reason, List<int> blamed, double conditionNumber = double.NaN)
        where T : struct, IEquatable<T>, IFormattable
    {
        if (!single)
        {
            return LinearDecode.Fail<T>(reason, blamed, conditionNumber);
        }

        var check = DecodingContract.Check(code, remaining, word, length, options);
        return (check.Singular ? null : DecodingContract.AcceptNegligible(code, check, word, length, options, blamed))
            ?? LinearDecode.Fail<T>(reason, blamed, conditionNumber);
    }
}
