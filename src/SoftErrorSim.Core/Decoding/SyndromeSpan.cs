using MathNet.Numerics.LinearAlgebra;
using SoftErrorSim.Core.Kernels;

namespace SoftErrorSim.Core.Decoding;

/// <summary>Subspace arithmetic on syndromes, over the reals or the complex numbers: the significant column space and membership tests.</summary>
internal static class SyndromeSpan
{
    /// <summary>
    /// An orthonormal basis (redundancy x rank) of the significant column space of S: directions
    /// taken greedily by Gram-Schmidt with column pivoting until what is left of S lies within the
    /// matrix floor, the rank, and the size of the weakest direction kept. Entries are scaled to
    /// unit maximum first: a flipped exponent can leave entries near 1e100 beside ordinary ones,
    /// and unscaled products of such entries overflow. Null when S is zero or not finite.
    /// </summary>
    public static (T[] Basis, int Rank, double SmallestKept)? Significant<T>(ReadOnlySpan<T> syndrome, int redundancy, int length, double floor)
        where T : struct, IEquatable<T>, IFormattable
    {
        var peak = Field.MaxAbs(syndrome);
        if (!(peak > 0) || !double.IsFinite(peak))
        {
            return null;
        }

        var scaled = DecodeBuffers<T>.Scaled(syndrome.Length).AsSpan(0, syndrome.Length);
        for (var i = 0; i < scaled.Length; i++)
        {
            scaled[i] = Field.Scale(syndrome[i], 1.0 / peak);
        }

        var (basis, rank, weakest) = SmallDense.SignificantColumns<T>(scaled, redundancy, length, floor / peak);

        // With rank 0 the basis is one zero column (the callers test against it all the same).
        if (rank == 0)
        {
            basis.AsSpan(0, redundancy).Clear();
        }

        return (basis, rank, rank > 0 ? weakest * peak : double.PositiveInfinity);
    }

    /// <summary>The distance of column <paramref name="column"/> of H from span(basis) (<paramref name="kept"/> columns, column-major), relative to the column's norm.</summary>
    public static double Distance<T>(Matrix<T> parity, int column, T[] basis, int kept)
        where T : struct, IEquatable<T>, IFormattable
    {
        var redundancy = parity.RowCount;
        var h = (parity.AsColumnMajorArray() ?? parity.ToColumnMajorArray()).AsSpan(column * redundancy, redundancy);
        var norm = Math.Sqrt(Field.Norm2<T>(h));
        if (norm == 0)
        {
            return double.PositiveInfinity;
        }

        var residual = DecodeBuffers<T>.Vector(redundancy).AsSpan(0, redundancy);
        h.CopyTo(residual);
        for (var k = 0; k < kept; k++)
        {
            var direction = basis.AsSpan(k * redundancy, redundancy);
            Field.AddScaled(residual, direction, Field.Scale(Field.Dot<T>(direction, h), -1));
        }

        return Math.Sqrt(Field.Norm2<T>(residual)) / norm;
    }

    /// <summary>
    /// The first set, in order of size and then of <paramref name="candidates"/>' order, whose
    /// parity columns span a space containing span(basis); empty when none is found within the
    /// size range and the budget.
    /// </summary>
    public static List<int> SmallestContainingSet<T>(
        Matrix<T> parity,
        int[] candidates,
        T[] basis,
        int kept,
        int minSize,
        int maxSize,
        double tolerance,
        int budget)
        where T : struct, IEquatable<T>, IFormattable
    {
        var tested = 0;
        for (var size = minSize; size <= Math.Min(maxSize, candidates.Length); size++)
        {
            var indices = Enumerable.Range(0, size).ToArray();
            while (true)
            {
                if (++tested > budget)
                {
                    return [];
                }

                var subset = indices.Select(i => candidates[i]).ToArray();
                if (Contains(parity, subset, basis, kept, tolerance))
                {
                    return subset.ToList();
                }

                if (!NextCombination(indices, candidates.Length))
                {
                    break;
                }
            }
        }

        return [];
    }

    private static bool Contains<T>(Matrix<T> parity, int[] subset, T[] u, int kept, double tolerance)
        where T : struct, IEquatable<T>, IFormattable
    {
        // Orthonormalise the subset's parity columns (Gram-Schmidt twice), then measure what of the
        // basis lies outside their span.
        var rows = parity.RowCount;
        var columns = new T[rows * subset.Length];
        var h = parity.AsColumnMajorArray() ?? parity.ToColumnMajorArray();
        for (var c = 0; c < subset.Length; c++)
        {
            h.AsSpan(subset[c] * rows, rows).CopyTo(columns.AsSpan(c * rows, rows));
        }

        SmallDense.QR(columns, rows, subset.Length, new T[subset.Length * subset.Length]);
        var residual = new T[rows];
        double outside = 0;
        for (var k = 0; k < kept; k++)
        {
            u.AsSpan(k * rows, rows).CopyTo(residual);
            for (var c = 0; c < subset.Length; c++)
            {
                var q = columns.AsSpan(c * rows, rows);
                Field.AddScaled<T>(residual, q, Field.Scale(Field.Dot<T>(q, residual), -1));
            }

            outside += Field.Norm2<T>(residual);
        }

        return Math.Sqrt(outside) <= tolerance * Math.Sqrt(kept);
    }

    /// <summary>Advances a sorted k-combination of 0..n-1 in lexicographic order; false after the last.</summary>
    public static bool NextCombination(int[] indices, int n)
    {
        var k = indices.Length;
        var i = k - 1;
        while (i >= 0 && indices[i] == n - k + i)
        {
            i--;
        }

        if (i < 0)
        {
            return false;
        }

        indices[i]++;
        for (var j = i + 1; j < k; j++)
        {
            indices[j] = indices[j - 1] + 1;
        }

        return true;
    }
}
