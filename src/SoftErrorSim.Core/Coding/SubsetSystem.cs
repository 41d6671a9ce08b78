using MathNet.Numerics.LinearAlgebra;
using SoftErrorSim.Core.Kernels;

namespace SoftErrorSim.Core.Coding;

/// <summary>
/// The code restricted to a set of symbols R, factored once by an SVD of G_R: its 2-norm condition
/// number, an orthonormal basis of its parity checks (H G_R = 0, rows orthonormal, so a clean
/// syndrome is about u ||Y|| whatever the conditioning) and its pseudo-inverse. Both operators are
/// stored at full width P, with zero columns outside R, so they apply to a whole received word
/// without gathering rows. It also holds the two amplifications of the decoding contract (SPEC 4)
/// for the code's wanted coefficients: how much a perturbation of the received rows can move them.
/// </summary>
public sealed class SubsetSystem<T>
    where T : struct, IEquatable<T>, IFormattable
{
    internal SubsetSystem(LinearCode<T> code, IReadOnlyList<int> rows)
    {
        var rowArray = rows.ToArray();
        Rows = rowArray;
        var k = code.Dimension;
        var r = rowArray.Length;
        if (r < k)
        {
            ConditionNumber = double.PositiveInfinity;
            ParityCheck = Matrix<T>.Build.Dense(0, code.Length);
            PseudoInverse = Matrix<T>.Build.Dense(k, code.Length);
            ReadoutAmplification = double.PositiveInfinity;
            UndetectableAmplification = double.PositiveInfinity;
            return;
        }

        var restricted = Matrix<T>.Build.Dense(r, k, (i, t) => code.Generator[Rows[i], t]);
        var svd = restricted.Svd(computeVectors: true);
        var sigma = new double[k];
        for (var s = 0; s < k; s++)
        {
            sigma[s] = Field.Abs(svd.S[s]);
        }

        ConditionNumber = sigma[k - 1] > 0 ? sigma[0] / sigma[k - 1] : double.PositiveInfinity;

        // G_R = U S V^H: the last r - K columns of U span the left null space, so H = U_null^H.
        var u = svd.U;
        ParityCheck = Matrix<T>.Build.Dense(r - k, code.Length);
        for (var row = 0; row < r - k; row++)
        {
            for (var i = 0; i < r; i++)
            {
                ParityCheck[row, Rows[i]] = Field.Conj(u[i, k + row]);
            }
        }

        // pinv(G_R) = V diag(1/sigma) U_K^H, K x r, spread to K x P.
        PseudoInverse = Matrix<T>.Build.Dense(k, code.Length);
        if (!double.IsFinite(ConditionNumber))
        {
            ReadoutAmplification = double.PositiveInfinity;
            UndetectableAmplification = double.PositiveInfinity;
            return;
        }

        var vt = svd.VT;
        for (var t = 0; t < k; t++)
        {
            for (var i = 0; i < r; i++)
            {
                T sum = default;
                for (var s = 0; s < k; s++)
                {
                    // V[t, s] = conj(VT[s, t]).
                    sum = Field.Add(sum, Field.Scale(Field.Multiply(Field.Conj(vt[s, t]), Field.Conj(u[i, s])), 1.0 / sigma[s]));
                }

                PseudoInverse[t, Rows[i]] = sum;
            }
        }

        (ReadoutAmplification, UndetectableAmplification) = Amplifications(code.Wanted);
    }

    /// <summary>The symbols R, ascending.</summary>
    public IReadOnlyList<int> Rows { get; }

    /// <summary>sigma_max / sigma_min of G_R; infinite when G_R has rank below K.</summary>
    public double ConditionNumber { get; }

    /// <summary>(|R| - K) x P, orthonormal rows spanning the parity checks of the restricted code.</summary>
    public Matrix<T> ParityCheck { get; }

    /// <summary>K x P least-squares interpolation operator from the symbols in R.</summary>
    public Matrix<T> PseudoInverse { get; }

    /// <summary>|R| - K: how many independent checks the restricted code still has.</summary>
    public int Redundancy => ParityCheck.RowCount;

    /// <summary>
    /// ||P_W||_2, the 2-norm of the pseudo-inverse's rows of the wanted coefficients W: how much a
    /// perturbation of the received rows (rounding) moves the wanted blocks.
    /// </summary>
    public double ReadoutAmplification { get; }

    /// <summary>
    /// max over p in R of ||P_W[:, p]|| / ||H[:, p]||: an error on node p whose syndrome stays
    /// below a floor f moves the wanted blocks by at most this times f. Infinite when R has no
    /// redundancy (nothing can be detected).
    /// </summary>
    public double UndetectableAmplification { get; }

    /// <summary>The message coefficients (K x L) that best explain the rows R of <paramref name="received"/> (P x L).</summary>
    public Matrix<T> Interpolate(Matrix<T> received) => PseudoInverse * received;

    private (double Readout, double Undetectable) Amplifications(IReadOnlyList<int> wanted)
    {
        var restricted = Matrix<T>.Build.Dense(wanted.Count, Rows.Count, (w, i) => PseudoInverse[wanted[w], Rows[i]]);
        var readout = Field.Abs(restricted.Svd(computeVectors: false).S[0]);
        var undetectable = Redundancy == 0 ? double.PositiveInfinity : 0.0;
        if (Redundancy > 0)
        {
            for (var i = 0; i < Rows.Count; i++)
            {
                double column = 0, check = 0;
                for (var w = 0; w < wanted.Count; w++)
                {
                    column += Field.Abs2(restricted[w, i]);
                }

                for (var row = 0; row < Redundancy; row++)
                {
                    check += Field.Abs2(ParityCheck[row, Rows[i]]);
                }

                var ratio = check > 0 ? Math.Sqrt(column / check) : (column > 0 ? double.PositiveInfinity : 0);
                undetectable = Math.Max(undetectable, ratio);
            }
        }

        return (readout, undetectable);
    }
}
