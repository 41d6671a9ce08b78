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
    /// <summary>Most matrix entries the memoised subset systems of one code may hold: 8 Mi doubles, 64 MiB.</summary>
    public const long SystemCacheEntries = 1L << 23;

    private readonly ConcurrentDictionary<ulong, SubsetSystem> _systems = new();
    private long _cachedEntries;

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

    /// <summary>
    /// The least-squares facts of the code restricted to <paramref name="rows"/> (sorted, distinct).
    /// Systems are memoised by their set of symbols (codes of up to 64 symbols, up to
    /// <see cref="SystemCacheEntries"/> matrix entries in all): a Monte Carlo campaign meets the same few
    /// subsets millions of times, and a system is a pure function of its rows, so a cached one is
    /// bit for bit the one a fresh factorisation would give.
    /// </summary>
    public SubsetSystem System(IReadOnlyList<int> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (Length > 64)
        {
            return new SubsetSystem(this, rows);
        }

        var key = 0UL;
        foreach (var row in rows)
        {
            key |= 1UL << row;
        }

        if (_systems.TryGetValue(key, out var cached))
        {
            return cached;
        }

        var system = new SubsetSystem(this, rows);
        var entries = (long)(system.ParityCheck.RowCount + system.PseudoInverse.RowCount) * Length;
        if (Interlocked.Add(ref _cachedEntries, entries) > SystemCacheEntries)
        {
            Interlocked.Add(ref _cachedEntries, -entries);
            return system;
        }

        return _systems.GetOrAdd(key, system);
    }

    /// <summary>All symbol indices 0..P-1.</summary>
    public int[] AllRows() => Enumerable.Range(0, Length).ToArray();
}
