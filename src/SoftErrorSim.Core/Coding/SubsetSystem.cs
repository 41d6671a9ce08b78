using MathNet.Numerics.LinearAlgebra;

namespace SoftErrorSim.Core.Coding;

/// <summary>
/// The code restricted to a set of symbols R, factored once by an SVD of G_R: its 2-norm condition
/// number, an orthonormal basis of its parity checks (left null space of G_R) and its
/// pseudo-inverse. Both operators are stored at full width P, with zero columns outside R, so they
/// apply to a whole received word without gathering rows.
/// </summary>
public sealed class SubsetSystem
{
    internal SubsetSystem(RealLinearCode code, IReadOnlyList<int> rows)
    {
        var rowArray = rows.ToArray();
        Rows = rowArray;
        var k = code.Dimension;
        var r = rowArray.Length;
        if (r < k)
        {
            ConditionNumber = double.PositiveInfinity;
            ParityCheck = Matrix<double>.Build.Dense(0, code.Length);
            PseudoInverse = Matrix<double>.Build.Dense(k, code.Length);
            return;
        }

        var restricted = Matrix<double>.Build.Dense(r, k, (i, t) => code.Generator[Rows[i], t]);
        var svd = restricted.Svd(computeVectors: true);
        var sigma = svd.S;
        ConditionNumber = sigma[k - 1] > 0 ? sigma[0] / sigma[k - 1] : double.PositiveInfinity;

        ParityCheck = Matrix<double>.Build.Dense(r - k, code.Length);
        for (var row = 0; row < r - k; row++)
        {
            for (var i = 0; i < r; i++)
            {
                ParityCheck[row, Rows[i]] = svd.U[i, k + row];
            }
        }

        // pinv(G_R) = V diag(1/sigma) U_K^T, K x r, spread to K x P.
        PseudoInverse = Matrix<double>.Build.Dense(k, code.Length);
        if (!double.IsFinite(ConditionNumber))
        {
            return;
        }

        var v = svd.VT.Transpose();
        for (var t = 0; t < k; t++)
        {
            for (var i = 0; i < r; i++)
            {
                double sum = 0;
                for (var s = 0; s < k; s++)
                {
                    sum += v[t, s] * svd.U[i, s] / sigma[s];
                }

                PseudoInverse[t, Rows[i]] = sum;
            }
        }
    }

    /// <summary>The symbols R, ascending.</summary>
    public IReadOnlyList<int> Rows { get; }

    /// <summary>sigma_max / sigma_min of G_R; infinite when G_R has rank below K.</summary>
    public double ConditionNumber { get; }

    /// <summary>(|R| - K) x P, orthonormal rows spanning the parity checks of the restricted code.</summary>
    public Matrix<double> ParityCheck { get; }

    /// <summary>K x P least-squares interpolation operator from the symbols in R.</summary>
    public Matrix<double> PseudoInverse { get; }

    /// <summary>|R| - K: how many independent checks the restricted code still has.</summary>
    public int Redundancy => ParityCheck.RowCount;

    /// <summary>The syndrome H_R Y: zero (up to rounding) exactly when the rows R of Y form a codeword.</summary>
    public Matrix<double> Syndrome(Matrix<double> received) => ParityCheck * received;

    /// <summary>The message coefficients (K x L) that best explain the rows R of <paramref name="received"/>.</summary>
    public Matrix<double> Interpolate(Matrix<double> received) => PseudoInverse * received;

    /// <summary>The syndrome of a row-major received word (P x <paramref name="length"/>), row-major (|R| - K) x length.</summary>
    internal double[] Syndrome(double[] received, int length) => Decoding.DenseKernels.Multiply(ParityCheck, received, length);

    /// <summary>The interpolated coefficients (K x length) of a row-major received word.</summary>
    internal Matrix<double> Interpolate(double[] received, int length) =>
        Decoding.DenseKernels.MultiplyToMatrix(PseudoInverse, received, length);

    /// <summary>The Frobenius norm of the rows R of a row-major received word.</summary>
    internal double RowNorm(double[] received, int length)
    {
        double sum = 0;
        foreach (var row in Rows)
        {
            var values = received.AsSpan(row * length, length);
            sum += Decoding.DenseKernels.Dot(values, values);
        }

        return Math.Sqrt(sum);
    }

    /// <summary>The Frobenius norm of the rows R of <paramref name="received"/>.</summary>
    public double RowNorm(Matrix<double> received)
    {
        ArgumentNullException.ThrowIfNull(received);
        double sum = 0;
        foreach (var row in Rows)
        {
            for (var j = 0; j < received.ColumnCount; j++)
            {
                var value = received[row, j];
                sum += value * value;
            }
        }

        return Math.Sqrt(sum);
    }
}
