using System.Collections.Concurrent;
using MathNet.Numerics.LinearAlgebra;

namespace SoftErrorSim.Core.Coding;

/// <summary>
/// A linear code over the reals as the decoders see it: symbol p of a codeword is
/// y_p = sum_t G[p, t] c_t, where the message coefficients c_t are vectors of a common length.
/// Every scheme's pass reduces to one of these (SPEC 2). When <see cref="Points"/> is set the code
/// is a polynomial evaluation code (every codeword is the evaluation at the points of a polynomial of
/// degree below K, whatever basis G uses) and algebraic decoders (Berlekamp-Welch) apply.
/// </summary>
public sealed class RealLinearCode
{
    private readonly ConcurrentDictionary<string, SubsetSystem> _systems = new(StringComparer.Ordinal);

    /// <summary>Creates the code with generator matrix <paramref name="generator"/> (Length x Dimension).</summary>
    public RealLinearCode(Matrix<double> generator, IReadOnlyList<double>? points = null)
    {
        ArgumentNullException.ThrowIfNull(generator);
        if (generator.RowCount < generator.ColumnCount)
        {
            throw new ArgumentException("a code needs at least as many symbols as message coefficients", nameof(generator));
        }

        Generator = generator;
        Points = points;
        if (points is not null && points.Count != generator.RowCount)
        {
            throw new ArgumentException("one evaluation point per symbol", nameof(points));
        }
    }

    /// <summary>The generator matrix, one row per symbol (node), one column per message coefficient.</summary>
    public Matrix<double> Generator { get; }

    /// <summary>The evaluation points when the code is a polynomial evaluation code, otherwise null.</summary>
    public IReadOnlyList<double>? Points { get; }

    /// <summary>P: the number of symbols.</summary>
    public int Length => Generator.RowCount;

    /// <summary>K: the number of message coefficients, the recovery threshold.</summary>
    public int Dimension => Generator.ColumnCount;

    /// <summary>The polynomial code of dimension K on the given points: G[p, t] = a_p^t.</summary>
    public static RealLinearCode PolynomialEvaluation(IReadOnlyList<double> points, int dimension)
    {
        ArgumentNullException.ThrowIfNull(points);
        var generator = Matrix<double>.Build.Dense(points.Count, dimension, (p, t) => Math.Pow(points[p], t));
        return new RealLinearCode(generator, points);
    }

    /// <summary>The least-squares facts of the code restricted to <paramref name="rows"/> (sorted, distinct).</summary>
    public SubsetSystem System(IReadOnlyList<int> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var key = string.Join(',', rows);
        if (rows.Count == Length)
        {
            return _systems.GetOrAdd(key, _ => new SubsetSystem(this, rows));
        }

        return new SubsetSystem(this, rows);
    }

    /// <summary>All symbol indices 0..P-1.</summary>
    public int[] AllRows() => Enumerable.Range(0, Length).ToArray();
}
