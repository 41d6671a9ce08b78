using MathNet.Numerics.LinearAlgebra;
using SoftErrorSim.Core.Coding;
using SoftErrorSim.Core.Randomness;

namespace SoftErrorSim.Core.Decoding;

/// <summary>
/// Bounded-distance decoding (SPEC 4): returns the unique codeword within distance
/// t = floor((P' - K)/2) of the received word, P' being the outputs left after erasures, whatever
/// the error values, and reports detected when there is none. Error locations come from
/// Berlekamp-Welch over the reals on a random scalar projection of the vector outputs (polynomial
/// codes), or from an exhaustive search over small codes without polynomial structure; in both
/// cases a candidate is accepted only if the untouched outputs form a codeword of the full vector
/// word, so the projection can never cause a silent wrong answer.
/// </summary>
public sealed class BoundedDistanceDecoder : ILinearDecoder
{
    /// <summary>How many candidate error sets the exhaustive search (non-polynomial codes) may test.</summary>
    public const int SearchBudget = 100_000;

    /// <summary>The shared instance (the decoder is stateless).</summary>
    public static BoundedDistanceDecoder Instance { get; } = new();

    /// <inheritdoc />
    public LinearDecodeResult Decode(RealLinearCode code, Matrix<double> received, RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(code);
        ArgumentNullException.ThrowIfNull(received);
        ArgumentNullException.ThrowIfNull(random);
        var k = code.Dimension;
        var erased = ReceivedWord.Erasures(received);
        if (code.Length == k)
        {
            return ConsistencyCheck.Unverified(code, received, erased);
        }

        var alive = ReceivedWord.Complement(code.Length, erased);
        var length = received.ColumnCount;
        var word = DenseKernels.RowMajor(ReceivedWord.WithoutErasures(received, erased));
        if (alive.Count < k + 1)
        {
            return LinearDecodeResult.Fail($"only {alive.Count} outputs survive erasure; decoding with a check needs K+1 = {k + 1}", erased);
        }

        var radius = (alive.Count - k) / 2;
        double[]? projection = null;
        if (code.Points is not null)
        {
            var direction = new double[received.ColumnCount];
            random.FillGaussian(direction);
            projection = alive.Select(p => DenseKernels.Dot(word.AsSpan(p * length, length), direction)).ToArray();
        }

        string? conditioningReason = null;
        var tested = 0;
        for (var errors = 0; errors <= radius; errors++)
        {
            foreach (var suspects in Candidates(code, alive, projection, errors))
            {
                if (++tested > SearchBudget)
                {
                    return LinearDecodeResult.Fail("error-location search exceeded its budget", erased);
                }

                var trusted = alive.Where(p => !suspects.Contains(p)).ToList();
                var check = ConsistencyCheck.Check(code, trusted, word, length);
                if (!check.Conditioned)
                {
                    conditioningReason ??= check.Reason;
                    continue;
                }

                if (check.Consistent)
                {
                    var blamed = erased.Concat(suspects).Order().ToList();
                    return new LinearDecodeResult(DecodeStatus.Decoded, check.System.Interpolate(word, length), blamed, check.System.ConditionNumber, null);
                }
            }
        }

        return LinearDecodeResult.Fail(
            conditioningReason ?? $"no codeword lies within distance {radius} of the received word",
            erased);
    }

    private static IEnumerable<HashSet<int>> Candidates(RealLinearCode code, List<int> alive, double[]? projection, int errors)
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

            yield break;
        }

        var indices = Enumerable.Range(0, errors).ToArray();
        do
        {
            yield return indices.Select(i => alive[i]).ToHashSet();
        }
        while (SyndromeSpan.NextCombination(indices, alive.Count));
    }

    /// <summary>
    /// Berlekamp-Welch over the reals: find E of degree e (leading Chebyshev coefficient 1) and Q of
    /// degree below K + e with r_p E(a_p) = Q(a_p) at every surviving point, in the Chebyshev basis
    /// (points lie in [-1, 1], where it is far better conditioned than monomials). Each equation is
    /// scaled by 1/max(1, |r_p|), which leaves the solution of a consistent system unchanged and
    /// keeps a huge wrong output from swamping the others. The e points where |E| is smallest are
    /// the suspected errors.
    /// </summary>
    private static HashSet<int>? BerlekampWelch(IReadOnlyList<double> points, List<int> alive, double[] values, int dimension, int errors)
    {
        var unknowns = errors + dimension + errors;
        var rows = alive.Count;
        var system = Matrix<double>.Build.Dense(rows, unknowns);
        var rhs = Vector<double>.Build.Dense(rows);
        var chebyshev = new double[dimension + errors + 1];
        for (var i = 0; i < rows; i++)
        {
            Chebyshev(points[alive[i]], chebyshev);
            var r = values[i];
            var scale = 1.0 / Math.Max(1.0, Math.Abs(r));
            for (var c = 0; c < errors; c++)
            {
                system[i, c] = scale * r * chebyshev[c];
            }

            for (var c = 0; c < dimension + errors; c++)
            {
                system[i, errors + c] = -scale * chebyshev[c];
            }

            rhs[i] = -scale * r * chebyshev[errors];
        }

        var solution = system.QR().Solve(rhs);
        if (solution.Any(v => !double.IsFinite(v)))
        {
            return null;
        }

        var locator = new (int Node, double Value)[rows];
        for (var i = 0; i < rows; i++)
        {
            Chebyshev(points[alive[i]], chebyshev);
            var e = chebyshev[errors];
            for (var c = 0; c < errors; c++)
            {
                e += solution[c] * chebyshev[c];
            }

            locator[i] = (alive[i], Math.Abs(e));
        }

        return locator.OrderBy(x => x.Value).Take(errors).Select(x => x.Node).ToHashSet();
    }

    private static void Chebyshev(double x, double[] values)
    {
        values[0] = 1;
        if (values.Length > 1)
        {
            values[1] = x;
        }

        for (var t = 2; t < values.Length; t++)
        {
            values[t] = (2 * x * values[t - 1]) - values[t - 2];
        }
    }
}
