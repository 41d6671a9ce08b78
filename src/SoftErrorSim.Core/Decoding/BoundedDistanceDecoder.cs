using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using SoftErrorSim.Core.Coding;
using SoftErrorSim.Core.Kernels;
using SoftErrorSim.Core.Randomness;
using SoftErrorSim.Core.Statistics;

namespace SoftErrorSim.Core.Decoding;

/// <summary>
/// Bounded-distance decoding (SPEC 4), over the reals or the complex numbers: returns the unique
/// codeword within distance t = floor((P' - K)/2) of the received word, P' being the outputs left
/// after erasures, whatever the error values, and reports detected when there is none. Error
/// locations come from Berlekamp-Welch on a random scalar projection of the vector outputs
/// (polynomial codes), or from an exhaustive search over small codes without polynomial structure;
/// in both cases a candidate is accepted only if the untouched outputs form a codeword of the full
/// vector word and pass the decoding contract, so the projection can never cause a silent wrong answer.
/// </summary>
public static class BoundedDistanceDecoder
{
    /// <summary>How many candidate error sets the exhaustive search (non-polynomial codes) may test.</summary>
    public const int SearchBudget = 100_000;

    /// <summary>
    /// Polynomial codes try every set of e suspects after Berlekamp-Welch when there are at most
    /// this many: BW locates errors from a scalar projection, and errors near the rounding floor
    /// (a flipped low mantissa bit) can leave its locator undetermined while the vector check still
    /// sees them; small codes can afford the exhaustive search that never misses.
    /// </summary>
    public const int ExhaustiveFallback = 1000;

    /// <summary>Decodes <paramref name="received"/>; <paramref name="random"/> draws the projection direction.</summary>
    public static LinearDecodeResult<T> Decode<T>(LinearCode<T> code, ReadOnlySpan<T> received, int length, in DecodeOptions options, RandomSource random)
        where T : struct, IEquatable<T>, IFormattable
    {
        ArgumentNullException.ThrowIfNull(code);
        ArgumentNullException.ThrowIfNull(random);
        var k = code.Dimension;
        var symbols = code.Length;
        var erased = ReceivedWord.Erasures(received, symbols);
        if (symbols == k)
        {
            return DecodingContract.Unverified(code, received, length, options, erased);
        }

        var alive = ReceivedWord.Complement(symbols, erased);
        var word = received.ToArray();
        foreach (var p in erased)
        {
            word.AsSpan(p * length, length).Clear();
        }

        if (alive.Count < k + 1)
        {
            return LinearDecode.Fail<T>(string.Create(CultureInfo.InvariantCulture, $"only {alive.Count} outputs survive erasure; decoding with a check needs K+1 = {k + 1}"), erased);
        }

        var radius = (alive.Count - k) / 2;
        T[]? projection = null;
        if (code.Points is not null)
        {
            var direction = new T[length];
            Field.FillGaussian<T>(direction, random);
            projection = alive.Select(p =>
            {
                T sum = default;
                for (var j = 0; j < length; j++)
                {
                    sum = Field.Add(sum, Field.Multiply(word[(p * length) + j], direction[j]));
                }

                return sum;
            }).ToArray();
        }

        LinearDecodeResult<T>? refused = null;
        var tested = 0;
        for (var errors = 0; errors <= radius; errors++)
        {
            foreach (var suspects in Candidates(code, alive, projection, errors))
            {
                if (++tested > SearchBudget)
                {
                    return LinearDecode.Fail<T>("error-location search exceeded its budget", erased);
                }

                var trusted = alive.Where(p => !suspects.Contains(p)).ToList();
                var check = DecodingContract.Check(code, trusted, word, length, options);
                if (check.Singular || !check.Consistent)
                {
                    continue;
                }

                var blamed = erased.Concat(suspects).Order().ToList();
                var accepted = DecodingContract.Accept(code, check, word, length, options, blamed);
                if (accepted.Status == DecodeStatus.Decoded)
                {
                    return accepted;
                }

                refused ??= accepted;
            }
        }

        if (refused is not null)
        {
            return refused;
        }

        // Nothing located: the inconsistency may still be too small to matter. Tried only now, and
        // only when the syndrome shows one direction, because its bound assumes one erring node,
        // and errors a candidate set explains are corrected instead (see ProbabilityOneDecoder).
        var whole = DecodingContract.Check(code, alive, word, length, options);
        return (whole.Singular || whole.Consistent || !DecodingContract.SingleDirection(whole, word, length) ? null : DecodingContract.AcceptNegligible(code, whole, word, length, options, erased))
            ?? LinearDecode.Fail<T>(string.Create(CultureInfo.InvariantCulture, $"no codeword lies within distance {radius} of the received word"), erased);
    }

    private static IEnumerable<HashSet<int>> Candidates<T>(LinearCode<T> code, List<int> alive, T[]? projection, int errors)
        where T : struct, IEquatable<T>, IFormattable
    {
        if (errors == 0)
        {
            yield return [];
            yield break;
        }

        if (projection is not null)
        {
            var located = BerlekampWelch(code.Points!, alive, projection, code.Dimension, errors);
            if (located is not null)
            {
                yield return located;
            }

            if (BinomialTail.Choose(alive.Count, errors) > ExhaustiveFallback)
            {
                yield break;
            }
        }

        var indices = Enumerable.Range(0, errors).ToArray();
        do
        {
            yield return indices.Select(i => alive[i]).ToHashSet();
        }
        while (SyndromeSpan.NextCombination(indices, alive.Count));
    }

    /// <summary>
    /// Berlekamp-Welch: find E of degree e (leading basis coefficient 1) and Q of degree below
    /// K + e with r_p E(a_p) = Q(a_p) at every surviving point, by least squares. Real points lie
    /// in [-1, 1], where the Chebyshev basis is far better conditioned than monomials; complex
    /// points lie on the unit circle, where monomials are already orthogonal (the Fourier basis).
    /// Each equation is scaled by 1/max(1, |r_p|), which leaves the solution of a consistent system
    /// unchanged and keeps a huge wrong output from swamping the others. The e points where |E| is
    /// smallest are the suspected errors.
    /// </summary>
    private static HashSet<int>? BerlekampWelch<T>(IReadOnlyList<T> points, List<int> alive, T[] values, int dimension, int errors)
        where T : struct, IEquatable<T>, IFormattable
    {
        var unknowns = errors + dimension + errors;
        var rows = alive.Count;
        var system = Matrix<T>.Build.Dense(rows, unknowns);
        var rhs = Vector<T>.Build.Dense(rows);
        var basis = new T[dimension + errors + 1];
        for (var i = 0; i < rows; i++)
        {
            PolynomialBasis.Values(points[alive[i]], basis);
            var r = values[i];
            var scale = 1.0 / Math.Max(1.0, Field.Abs(r));
            for (var c = 0; c < errors; c++)
            {
                system[i, c] = Field.Scale(Field.Multiply(r, basis[c]), scale);
            }

            for (var c = 0; c < dimension + errors; c++)
            {
                system[i, errors + c] = Field.Scale(basis[c], -scale);
            }

            rhs[i] = Field.Scale(Field.Multiply(r, basis[errors]), -scale);
        }

        Vector<T> solution;
        try
        {
            solution = system.QR().Solve(rhs);
        }
        catch (ArgumentException)
        {
            return null;
        }

        for (var c = 0; c < solution.Count; c++)
        {
            if (!Field.IsFinite(solution[c]))
            {
                return null;
            }
        }

        var locator = new (int Node, double Value)[rows];
        for (var i = 0; i < rows; i++)
        {
            PolynomialBasis.Values(points[alive[i]], basis);
            var e = basis[errors];
            for (var c = 0; c < errors; c++)
            {
                e = Field.Add(e, Field.Multiply(solution[c], basis[c]));
            }

            locator[i] = (alive[i], Field.Abs(e));
        }

        return locator.OrderBy(x => x.Value).Take(errors).Select(x => x.Node).ToHashSet();
    }
}
