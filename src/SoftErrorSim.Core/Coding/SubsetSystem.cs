using MathNet.Numerics.LinearAlgebra;
using SoftErrorSim.Core.Kernels;

namespace SoftErrorSim.Core.Coding;

/// <summary>
/// The code restricted to a set of symbols R, factored once by a thin QR of G_R (Gram-Schmidt
/// twice, <see cref="SmallDense"/>): Q with orthonormal columns spanning the codewords on R, and
/// the pseudo-inverse R^-1 Q^H. A received column's distance from the code is its residual
/// ||(I - Q Q^H) y||, which equals the syndrome norm under parity checks with orthonormal rows, so
/// a clean word's residual is about eps ||y|| whatever the conditioning. The parity checks
/// themselves (an SVD) are formed only when a decoder needs their span. The system also holds the
/// two amplifications of the decoding contract (SPEC 4) for the code's wanted coefficients.
/// </summary>
public sealed class SubsetSystem<T>
    where T : struct, IEquatable<T>, IFormattable
{
    private readonly LinearCode<T> _code;
    private readonly T[]? _q;
    private readonly T[]? _rInverse;
    private readonly int[] _rows;
    private T[]? _projectionWeights;
    private T[]? _residualWeights;
    private Matrix<T>? _parityCheck;

    internal SubsetSystem(LinearCode<T> code, IReadOnlyList<int> rows)
    {
        _code = code;
        var rowArray = rows.ToArray();
        Rows = rowArray;
        _rows = rowArray;
        var k = code.Dimension;
        var r = rowArray.Length;
        PseudoInverse = Matrix<T>.Build.Dense(k, code.Length);
        ReadoutAmplification = double.PositiveInfinity;
        UndetectableAmplification = double.PositiveInfinity;
        ConditionNumber = double.PositiveInfinity;
        if (r < k)
        {
            _parityCheck = Matrix<T>.Build.Dense(0, code.Length);
            return;
        }

        var q = new T[r * k];
        for (var t = 0; t < k; t++)
        {
            for (var i = 0; i < r; i++)
            {
                q[(t * r) + i] = code.Generator[rowArray[i], t];
            }
        }

        var upper = new T[k * k];
        if (!SmallDense.QR(q, r, k, upper))
        {
            return;
        }

        var inverse = SmallDense.InvertUpper(upper, k);
        ConditionNumber = SmallDense.NormEstimate(upper, k) * SmallDense.NormEstimate(inverse, k);
        if (!(ConditionNumber <= MaxReliableConditionNumber))
        {
            // Beyond this the factors themselves carry relative errors of eps kappa > 1e-4: no
            // amplification computed from them can be trusted, so the rows count as singular.
            return;
        }

        _q = q;
        _rInverse = inverse;

        // pinv(G_R) = R^-1 Q^H, K x r, spread to K x P.
        for (var t = 0; t < k; t++)
        {
            for (var i = 0; i < r; i++)
            {
                T sum = default;
                for (var s = t; s < k; s++)
                {
                    sum = Field.Add(sum, Field.Multiply(inverse[(s * k) + t], Field.Conj(q[(s * r) + i])));
                }

                PseudoInverse[t, rowArray[i]] = sum;
            }
        }

        (ReadoutAmplification, UndetectableAmplification) = Amplifications(code.Wanted, q, r, k);

        // The system on every symbol is the one every clean decode uses: form its parity checks
        // now (one SVD per code), so that a clean word costs one (P - K) x P syndrome.
        if (r == code.Length && r > k)
        {
            _parityCheck = ComputeParityCheck();
            ChecksBySyndrome = true;
        }
    }

    /// <summary>
    /// The largest condition number whose factors are trusted: Gram-Schmidt twice keeps Q
    /// orthonormal and R accurate to eps kappa, 2e-4 at 1e12; any decode through such rows is
    /// refused by the contract long before (its read-out error alone is about eps kappa).
    /// </summary>
    public const double MaxReliableConditionNumber = 1e12;

    /// <summary>The symbols R, ascending.</summary>
    public IReadOnlyList<int> Rows { get; }

    /// <summary>
    /// sigma_max / sigma_min of G_R (of its triangular factor, by power iteration: within about a
    /// percent); infinite when G_R has rank below K. Reported, never used as a tolerance; above
    /// <see cref="MaxReliableConditionNumber"/> the system counts as singular.
    /// </summary>
    public double ConditionNumber { get; }

    /// <summary>(|R| - K) x P, orthonormal rows spanning the parity checks of the restricted code (formed on first use, by an SVD of G_R).</summary>
    public Matrix<T> ParityCheck => _parityCheck ??= ComputeParityCheck();

    /// <summary>Whether the rows determine the coefficients reliably (rank K, condition number at most <see cref="MaxReliableConditionNumber"/>).</summary>
    public bool Factored => _q is not null;

    /// <summary>
    /// Whether a consistency check on these rows goes through the parity checks (a (|R| - K) x |R|
    /// syndrome instead of 2 |R| K L for the residual): only for the system on every symbol, whose
    /// parity checks are formed when it is built. Fixed by the rows alone, never by whether some
    /// earlier decode happened to form a subset's parity checks: the two paths agree only to
    /// rounding, so a choice that depended on the order trials ran in could make results depend
    /// on the thread count.
    /// </summary>
    internal bool ChecksBySyndrome { get; }

    /// <summary>K x P least-squares interpolation operator from the symbols in R.</summary>
    public Matrix<T> PseudoInverse { get; }

    /// <summary>|R| - K: how many independent checks the restricted code still has.</summary>
    public int Redundancy => Math.Max(Rows.Count - _code.Dimension, 0);

    /// <summary>
    /// max over wanted t of ||P_W[t, :]||, the largest row norm of the pseudo-inverse's rows of the
    /// wanted coefficients W: a perturbation n of the received rows moves entry j of wanted block t
    /// by |P_W[t, :] n_j| &lt;= ||P_W[t, :]|| ||n_j|| (Cauchy-Schwarz), and success is judged entry by
    /// entry (the largest deviation), so this bounds the worst entry; the Frobenius norm over all
    /// wanted rows, used before, overstated it by up to sqrt(|W|).
    /// </summary>
    public double ReadoutAmplification { get; }

    /// <summary>
    /// max over p in R of max_t |P_W[t, p]| / ||h_p||, with ||h_p||^2 = 1 - ||Q[p, :]||^2 the norm of
    /// node p's parity column: an error e on node p whose syndrome ||h_p|| |e_j| stays below a floor
    /// f in every column j moves every entry of the wanted blocks by at most this times f (the
    /// largest entry of the column, not its norm: success is judged by the largest entry's
    /// deviation). Infinite when R has no redundancy.
    /// </summary>
    public double UndetectableAmplification { get; }

    /// <summary>
    /// Q^H Y_R into <paramref name="projection"/> (K x L, row-major) and the columns' residual
    /// norms ||(I - Q Q^H) y_j|| into <paramref name="residualNorms"/>, for a row-major word (P x L).
    /// </summary>
    internal void Residual(ReadOnlySpan<T> word, int length, Span<T> projection, Span<double> residualNorms)
    {
        // Two products with the loops of one axpy per (row, coefficient) interchanged (the same
        // operations on every entry, in the same order): P = Q^H Y_R, then Y_R - Q P in place.
        var k = _code.Dimension;
        var r = Rows.Count;
        var rows = Decoding.DecodeBuffers<T>.Gathered(r * length).AsSpan(0, r * length);
        for (var i = 0; i < r; i++)
        {
            word.Slice(_rows[i] * length, length).CopyTo(rows.Slice(i * length, length));
        }

        _projectionWeights ??= ProjectionWeights(_q!, r, k);
        Field.MultiplyDense(_projectionWeights, k, r, rows, length, projection[..(k * length)], accumulate: false);
        _residualWeights ??= ResidualWeights(_q!, r, k);
        Field.MultiplyDense(_residualWeights, r, k, projection, length, rows, accumulate: true);
        residualNorms[..length].Clear();
        for (var i = 0; i < r; i++)
        {
            var residual = rows.Slice(i * length, length);
            for (var j = 0; j < length; j++)
            {
                residualNorms[j] += Field.Abs2(residual[j]);
            }
        }

        for (var j = 0; j < length; j++)
        {
            residualNorms[j] = Math.Sqrt(residualNorms[j]);
        }
    }

    /// <summary>conj(Q)^T as a K x r column-major operator: entry (t, i) = conj(Q[i, t]).</summary>
    private static T[] ProjectionWeights(T[] q, int r, int k)
    {
        var weights = new T[k * r];
        for (var i = 0; i < r; i++)
        {
            for (var t = 0; t < k; t++)
            {
                weights[(i * k) + t] = Field.Conj(q[(t * r) + i]);
            }
        }

        return weights;
    }

    /// <summary>-Q as an r x K column-major operator.</summary>
    private static T[] ResidualWeights(T[] q, int r, int k)
    {
        var weights = new T[r * k];
        for (var index = 0; index < weights.Length; index++)
        {
            weights[index] = Field.Scale(q[index], -1);
        }

        return weights;
    }

    /// <summary>The coefficients R^-1 (Q^H Y_R) from a projection computed by <see cref="Residual"/>, into <paramref name="coefficients"/> (K x L).</summary>
    internal void Solve(ReadOnlySpan<T> projection, int length, Span<T> coefficients) => Solve(projection, length, coefficients, null);

    /// <summary>
    /// As <see cref="Solve(ReadOnlySpan{T}, int, Span{T})"/>, computing only the coefficient rows in
    /// <paramref name="wanted"/> (all when null) and leaving the others zero: row t of R^-1 P needs
    /// rows t..K-1 of P only, so the rows computed are the same numbers either way.
    /// </summary>
    internal void Solve(ReadOnlySpan<T> projection, int length, Span<T> coefficients, IReadOnlyList<int>? wanted)
    {
        var k = _code.Dimension;
        var inverse = _rInverse!;
        coefficients[..(k * length)].Clear();
        for (var index = 0; index < (wanted?.Count ?? k); index++)
        {
            var t = wanted?[index] ?? index;
            for (var s = t; s < k; s++)
            {
                Field.AddScaled(coefficients.Slice(t * length, length), projection.Slice(s * length, length), inverse[(s * k) + t]);
            }
        }
    }

    private (double Readout, double Undetectable) Amplifications(IReadOnlyList<int> wanted, T[] q, int r, int k)
    {
        double readout = 0;
        foreach (var t in wanted)
        {
            double row = 0;
            for (var i = 0; i < r; i++)
            {
                row += Field.Abs2(PseudoInverse[t, Rows[i]]);
            }

            readout = Math.Max(readout, row);
        }

        var undetectable = Redundancy == 0 ? double.PositiveInfinity : 0.0;
        for (var i = 0; i < r && Redundancy > 0; i++)
        {
            double column = 0, leverage = 0;
            foreach (var t in wanted)
            {
                column = Math.Max(column, Field.Abs2(PseudoInverse[t, Rows[i]]));
            }

            for (var t = 0; t < k; t++)
            {
                leverage += Field.Abs2(q[(t * r) + i]);
            }

            var check = 1 - leverage;
            var ratio = check > 0 ? Math.Sqrt(column / check) : (column > 0 ? double.PositiveInfinity : 0);
            undetectable = Math.Max(undetectable, ratio);
        }

        return (Math.Sqrt(readout), undetectable);
    }

    private Matrix<T> ComputeParityCheck()
    {
        // G_R = U S V^H: the last r - K columns of U span the left null space, so H = U_null^H.
        var k = _code.Dimension;
        var r = Rows.Count;
        var restricted = Matrix<T>.Build.Dense(r, k, (i, t) => _code.Generator[Rows[i], t]);
        var u = restricted.Svd(computeVectors: true).U;
        var parity = Matrix<T>.Build.Dense(r - k, _code.Length);
        for (var row = 0; row < r - k; row++)
        {
            for (var i = 0; i < r; i++)
            {
                parity[row, Rows[i]] = Field.Conj(u[i, k + row]);
            }
        }

        return parity;
    }
}
