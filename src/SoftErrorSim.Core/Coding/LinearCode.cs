using System.Collections.Concurrent;
using MathNet.Numerics.LinearAlgebra;

namespace SoftErrorSim.Core.Coding;

/// <summary>
/// A linear code as the decoders see it, over the reals (T = double) or the complex numbers
/// (T = Complex, unit-circle codes): symbol p of a codeword is y_p = sum_t G[p, t] c_t, where the
/// message coefficients c_t are vectors of a common length. Every scheme's pass reduces to one of
/// these (SPEC 2). When <see cref="Points"/> is set the code is a polynomial evaluation code
/// (G[p, t] = a_p^t) and algebraic decoders (Berlekamp-Welch) apply. <see cref="Wanted"/> lists the
/// coefficients the pass reads (a GPD product's wanted blocks; every coefficient of a systematic
/// or storage code): the decoding contract (SPEC 4) bounds the error of those, not of garbage terms.
/// </summary>
public sealed class LinearCode<T>
    where T : struct, IEquatable<T>, IFormattable
{
    /// <summary>Most matrix entries the memoised subset systems of one code may hold: 8 Mi scalars.</summary>
    public const long SystemCacheEntries = 1L << 23;

    private readonly ConcurrentDictionary<SubsetKey, SubsetSystem<T>> _systems = new();
    private long _cachedEntries;

    /// <summary>Creates the code with generator matrix <paramref name="generator"/> (Length x Dimension).</summary>
    public LinearCode(Matrix<T> generator, IReadOnlyList<T>? points = null, IReadOnlyList<int>? wanted = null)
    {
        ArgumentNullException.ThrowIfNull(generator);
        if (generator.RowCount < generator.ColumnCount)
        {
            throw new ArgumentException("a code needs at least as many symbols as message coefficients", nameof(generator));
        }

        if (generator.RowCount > SubsetKey.MaxSymbols)
        {
            throw new ArgumentException($"codes of more than {SubsetKey.MaxSymbols} symbols are not supported", nameof(generator));
        }

        Generator = generator;
        Points = points;
        if (points is not null && points.Count != generator.RowCount)
        {
            throw new ArgumentException("one evaluation point per symbol", nameof(points));
        }

        Wanted = wanted?.ToArray() ?? Enumerable.Range(0, generator.ColumnCount).ToArray();
        if (Wanted.Count == 0 || Wanted.Any(t => t < 0 || t >= generator.ColumnCount))
        {
            throw new ArgumentException("wanted coefficients must be distinct message indices", nameof(wanted));
        }
    }

    /// <summary>The generator matrix, one row per symbol (node), one column per message coefficient.</summary>
    public Matrix<T> Generator { get; }

    /// <summary>The evaluation points when the code is a polynomial evaluation code, otherwise null.</summary>
    public IReadOnlyList<T>? Points { get; }

    /// <summary>The message coefficients the pass reads, ascending.</summary>
    public IReadOnlyList<int> Wanted { get; }

    /// <summary>
    /// Whether the pass reads only the real part of each wanted coefficient (the unit-circle
    /// backward pass, whose imaginary parts are garbage): the decoding contract then judges the
    /// error against the real parts' scale, not against garbage that may be far larger.
    /// </summary>
    public bool RealPartRead { get; init; }

    /// <summary>P: the number of symbols.</summary>
    public int Length => Generator.RowCount;

    /// <summary>K: the number of message coefficients, the recovery threshold.</summary>
    public int Dimension => Generator.ColumnCount;

    /// <summary>
    /// The least-squares facts of the code restricted to <paramref name="rows"/> (sorted, distinct).
    /// Systems are memoised by their set of symbols (up to <see cref="SystemCacheEntries"/> matrix
    /// entries in all): a Monte Carlo campaign meets the same few subsets millions of times, and a
    /// system is a pure function of its rows, so a cached one is bit for bit the one a fresh
    /// factorisation would give.
    /// </summary>
    public SubsetSystem<T> System(IReadOnlyList<int> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var key = SubsetKey.Of(rows);
        if (_systems.TryGetValue(key, out var cached))
        {
            return cached;
        }

        var system = new SubsetSystem<T>(this, rows);
        var entries = (long)(system.Redundancy + (2L * Dimension)) * Length;
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

/// <summary>Builds linear codes.</summary>
public static class LinearCodes
{
    /// <summary>The polynomial code of dimension K on the given points: G[p, t] = a_p^t.</summary>
    public static LinearCode<T> PolynomialEvaluation<T>(IReadOnlyList<T> points, int dimension, IReadOnlyList<int>? wanted = null, bool realPartRead = false)
        where T : struct, IEquatable<T>, IFormattable
    {
        ArgumentNullException.ThrowIfNull(points);
        var generator = Matrix<T>.Build.Dense(points.Count, dimension);
        for (var p = 0; p < points.Count; p++)
        {
            var power = Kernels.Field.FromReal<T>(1);
            for (var t = 0; t < dimension; t++)
            {
                generator[p, t] = power;
                power = Kernels.Field.Multiply(power, points[p]);
            }
        }

        return new LinearCode<T>(generator, points, wanted) { RealPartRead = realPartRead };
    }
}

/// <summary>A set of up to 512 symbols as a bit set: the key of a memoised subset system.</summary>
internal readonly record struct SubsetKey(ulong A, ulong B, ulong C, ulong D, ulong E, ulong F, ulong G, ulong H)
{
    /// <summary>The most symbols a key can hold.</summary>
    public const int MaxSymbols = 512;

    public static SubsetKey Of(IReadOnlyList<int> rows)
    {
        Span<ulong> bits = stackalloc ulong[8];
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            bits[row >> 6] |= 1UL << (row & 63);
        }

        return new SubsetKey(bits[0], bits[1], bits[2], bits[3], bits[4], bits[5], bits[6], bits[7]);
    }
}
