using MathNet.Numerics.LinearAlgebra;

namespace SoftErrorSim.Core.Decoding;

/// <summary>Subspace arithmetic on syndromes: the significant column space and membership tests.</summary>
internal static class SyndromeSpan
{
    /// <summary>
    /// An orthonormal basis (redundancy x rank) of the column space of S spanned by singular
    /// values above <paramref name="floor"/>, the rank, and the smallest singular value kept.
    /// Computed as the SVD of the triangular factor of S^T when outputs are long, so the cost does
    /// not grow with the output length beyond one thin QR. Null when the factorisation fails
    /// (non-finite entries or an SVD that does not converge): the caller reports detected.
    /// </summary>
    public static (Matrix<double> Basis, int Rank, double SmallestKept)? Significant(double[] syndrome, int redundancy, int length, double floor)
    {
        // Scale to unit maximum first: a flipped exponent can leave entries near 1e100 beside
        // ordinary ones, and unscaled products of such entries overflow. Singular values scale
        // with the matrix, so the floor is scaled alike.
        double peak = 0;
        foreach (var v in syndrome)
        {
            peak = Math.Max(peak, Math.Abs(v));
        }

        if (!(peak > 0) || !double.IsFinite(peak))
        {
            return null;
        }

        var scaled = new double[syndrome.Length];
        for (var i = 0; i < scaled.Length; i++)
        {
            scaled[i] = syndrome[i] / peak;
        }

        var compact = DenseKernels.LowerFactor(scaled, redundancy, length);
        MathNet.Numerics.LinearAlgebra.Factorization.Svd<double> svd;
        try
        {
            svd = compact.Svd(computeVectors: true);
        }
        catch (MathNet.Numerics.NonConvergenceException)
        {
            return null;
        }

        var rank = 0;
        while (rank < svd.S.Count && svd.S[rank] * peak > floor)
        {
            rank++;
        }

        var basis = svd.U.SubMatrix(0, redundancy, 0, Math.Max(rank, 1));
        var smallest = rank > 0 ? svd.S[rank - 1] * peak : double.PositiveInfinity;
        return (basis, rank, smallest);
    }

    /// <summary>The distance of column <paramref name="column"/> of H from span(basis), relative to the column's norm.</summary>
    public static double Distance(Matrix<double> parity, int column, Matrix<double> basis)
    {
        var redundancy = parity.RowCount;
        var h = (parity.AsColumnMajorArray() ?? parity.ToColumnMajorArray()).AsSpan(column * redundancy, redundancy);
        var norm = Math.Sqrt(DenseKernels.Dot(h, h));
        if (norm == 0)
        {
            return double.PositiveInfinity;
        }

        var u = basis.AsColumnMajorArray() ?? basis.ToColumnMajorArray();
        Span<double> residual = stackalloc double[redundancy];
        h.CopyTo(residual);
        for (var k = 0; k < basis.ColumnCount; k++)
        {
            var direction = u.AsSpan(k * redundancy, redundancy);
            DenseKernels.AddScaled(residual, direction, -DenseKernels.Dot(direction, h));
        }

        return Math.Sqrt(DenseKernels.Dot(residual, residual)) / norm;
    }

    /// <summary>
    /// The first set, in order of size and then of <paramref name="candidates"/>' order, whose
    /// parity columns span a space containing span(basis); empty when none is found within the
    /// size range and the budget.
    /// </summary>
    public static List<int> SmallestContainingSet(
        Matrix<double> parity,
        int[] candidates,
        Matrix<double> basis,
        int minSize,
        int maxSize,
        double tolerance,
        int budget)
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
                if (Contains(parity, subset, basis, tolerance))
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

    private static bool Contains(Matrix<double> parity, int[] subset, Matrix<double> basis, double tolerance)
    {
        var columns = Matrix<double>.Build.Dense(parity.RowCount, subset.Length, (r, c) => parity[r, subset[c]]);
        var q = columns.QR(MathNet.Numerics.LinearAlgebra.Factorization.QRMethod.Thin).Q;
        var residual = basis - (q * q.TransposeThisAndMultiply(basis));
        return residual.FrobeniusNorm() <= tolerance * Math.Sqrt(basis.ColumnCount);
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
