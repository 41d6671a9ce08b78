using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;
using SoftErrorSim.Core.Coding;
using SoftErrorSim.Core.Kernels;

namespace SoftErrorSim.Core.Decoding;

/// <summary>
/// Error location for polynomial evaluation codes whose outputs are shorter than the number of
/// errors (SPEC 4: "short outputs need a subset-consistency search"), over the reals or the complex
/// numbers. The span test needs at least as many output columns as erring symbols; with L columns
/// the columns share one error locator, and collaborative Berlekamp-Welch (decoding of interleaved
/// Reed-Solomon codes) finds it: a locator E of degree e and, per column l, Q_l of degree below
/// K + e with r_l(a_p) E(a_p) = Q_l(a_p) at every trusted point. Eliminating Q_l by projecting
/// onto the orthogonal complement of the degree-(K + e) polynomials leaves L (n - K - e) equations
/// in the e free coefficients of E, so errors in general position are located up to
/// e = floor(L (n - K) / (L + 1)) (<see cref="Reach"/>); the e points where |E| is smallest are
/// the suspects. A suspect set is returned only when the remaining symbols pass the consistency
/// check of the decoding contract, so a wrong locator can cost a refusal but never a wrong result.
/// </summary>
internal static class InterleavedLocator
{
    /// <summary>The most columns folded into the locator's equations (more add cost, not reach, once L exceeds the errors).</summary>
    public const int MaxColumns = 64;

    /// <summary>
    /// The relative residual above which a locator of the assumed degree is taken not to exist, so
    /// that its suspects are not checked: a consistent system leaves rounding (1e-13 and below on
    /// the unit circle), an inconsistent one O(1). This is only a filter; the consistency check of
    /// the remaining symbols decides, so a looser value costs time and a stricter one refusals.
    /// </summary>
    public const double Unexplained = 1e-6;

    /// <summary>The most errors the locator can place among <paramref name="trusted"/> symbols of a dimension-K code with <paramref name="length"/> columns.</summary>
    public static int Reach(int trusted, int dimension, int length)
    {
        var redundancy = trusted - dimension;
        if (redundancy <= 1 || length >= redundancy - 1)
        {
            return Math.Max(redundancy - 1, 0);
        }

        var columns = Math.Min(length, MaxColumns);
        return Math.Min(redundancy - 1, columns * redundancy / (columns + 1));
    }

    /// <summary>
    /// The smallest set of between <paramref name="fewest"/> and <see cref="Reach"/> suspects, among
    /// <paramref name="trusted"/>, whose removal leaves a consistent word; empty when none is found.
    /// </summary>
    public static List<int> Locate<T>(LinearCode<T> code, List<int> trusted, ReadOnlySpan<T> word, int length, int fewest, in DecodeOptions options)
        where T : struct, IEquatable<T>, IFormattable
    {
        var points = code.Points;
        if (points is null)
        {
            return [];
        }

        var k = code.Dimension;
        var n = trusted.Count;
        var columns = Math.Min(length, MaxColumns);
        var reach = Reach(n, k, length);
        var values = new T[n * columns];
        for (var i = 0; i < n; i++)
        {
            word.Slice(trusted[i] * length, columns).CopyTo(values.AsSpan(i * columns, columns));
        }

        // Each column is scaled to unit largest entry: the locator's equations are homogeneous in
        // a column, and one column of huge entries must not drown the others' equations.
        for (var l = 0; l < columns; l++)
        {
            double peak = 0;
            for (var i = 0; i < n; i++)
            {
                peak = Math.Max(peak, Field.Abs(values[(i * columns) + l]));
            }

            for (var i = 0; peak > 0 && i < n; i++)
            {
                values[(i * columns) + l] = Field.Scale(values[(i * columns) + l], 1 / peak);
            }
        }

        var basis = Matrix<T>.Build.Dense(n, k + reach);
        var row = new T[k + reach];
        for (var i = 0; i < n; i++)
        {
            PolynomialBasis.Values(points[trusted[i]], row);
            for (var c = 0; c < row.Length; c++)
            {
                basis[i, c] = row[c];
            }
        }

        // Householder QR is nested: the first j columns of Q span the first j basis columns for
        // every j, so one full factorisation gives the complement of every degree K + e at once.
        var q = basis.QR(QRMethod.Full).Q;
        for (var errors = Math.Max(fewest, 1); errors <= reach; errors++)
        {
            var suspects = Suspects(basis, q, values, n, columns, k, errors);
            if (suspects is null)
            {
                continue;
            }

            var set = suspects.Select(i => trusted[i]).ToHashSet();
            var rest = trusted.Where(p => !set.Contains(p)).ToList();
            var check = DecodingContract.Check(code, rest, word, length, options);
            if (check.Consistent && !check.Singular)
            {
                return set.Order().ToList();
            }
        }

        return [];
    }

    /// <summary>
    /// The <paramref name="errors"/> row indices where the least-squares locator is smallest, or
    /// null when its system cannot be solved or leaves a residual above <see cref="Unexplained"/>
    /// (too few errors assumed: no locator of this degree explains every column).
    /// </summary>
    private static int[]? Suspects<T>(Matrix<T> basis, Matrix<T> q, T[] values, int n, int columns, int k, int errors)
        where T : struct, IEquatable<T>, IFormattable
    {
        // The complement of the polynomials of degree below K + e at the trusted points.
        var span = k + errors;
        var complement = q.SubMatrix(0, n, span, n - span).ConjugateTranspose();
        var checks = n - span;

        // Twice the columns the e unknowns need (all when that is more than there are): the rest
        // are folded in, column l into used column l mod used with weight 1/(1 + l). A sum of
        // columns shares their locator, so the equations stay exact, and the work stays near
        // 2 e (e + 1) n instead of L (n - K - e) (e + 1) n, which at P = 256 and L = 64 was
        // seconds per decode.
        var used = Math.Min(columns, 2 * ((errors + checks - 1) / checks));
        var mixed = new T[n * used];
        for (var i = 0; i < n; i++)
        {
            for (var l = 0; l < columns; l++)
            {
                var c = (i * used) + (l % used);
                mixed[c] = Field.Add(mixed[c], Field.Scale(values[(i * columns) + l], 1.0 / (1 + l)));
            }
        }

        var system = Matrix<T>.Build.Dense(used * checks, errors);
        var rhs = Vector<T>.Build.Dense(used * checks);
        var scaled = Matrix<T>.Build.Dense(n, errors + 1);
        for (var l = 0; l < used; l++)
        {
            for (var i = 0; i < n; i++)
            {
                var r = mixed[(i * used) + l];
                for (var c = 0; c <= errors; c++)
                {
                    scaled[i, c] = Field.Multiply(r, basis[i, c]);
                }
            }

            var projected = complement * scaled;
            for (var j = 0; j < checks; j++)
            {
                for (var c = 0; c < errors; c++)
                {
                    system[(l * checks) + j, c] = projected[j, c];
                }

                rhs[(l * checks) + j] = Field.Scale(projected[j, errors], -1);
            }
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

        for (var c = 0; c < errors; c++)
        {
            if (!Field.IsFinite(solution[c]))
            {
                return null;
            }
        }

        var residual = (system * solution) - rhs;
        if (!(Math.Sqrt(Field.Norm2<T>(residual.AsArray() ?? residual.ToArray())) <= Unexplained * Math.Sqrt(Field.Norm2<T>(rhs.AsArray() ?? rhs.ToArray()))))
        {
            return null;
        }

        var locator = new (int Row, double Value)[n];
        for (var i = 0; i < n; i++)
        {
            var e = basis[i, errors];
            for (var c = 0; c < errors; c++)
            {
                e = Field.Add(e, Field.Multiply(solution[c], basis[i, c]));
            }

            locator[i] = (i, Field.Abs(e));
        }

        return locator.OrderBy(x => x.Value).Take(errors).Select(x => x.Row).ToArray();
    }
}

/// <summary>The polynomial bases the algebraic decoders work in.</summary>
internal static class PolynomialBasis
{
    /// <summary>
    /// Chebyshev polynomials T_0..T_n at a real point (on [-1, 1] far better conditioned than
    /// monomials); monomials 1, a, a^2, ... at a complex one (on the unit circle already
    /// orthogonal: the Fourier basis).
    /// </summary>
    public static void Values<T>(T x, T[] values)
    {
        values[0] = Field.FromReal<T>(1);
        if (values.Length > 1)
        {
            values[1] = x;
        }

        for (var t = 2; t < values.Length; t++)
        {
            values[t] = Field.IsComplex<T>()
                ? Field.Multiply(values[t - 1], x)
                : Field.Subtract(Field.Scale(Field.Multiply(x, values[t - 1]), 2), values[t - 2]);
        }
    }
}
