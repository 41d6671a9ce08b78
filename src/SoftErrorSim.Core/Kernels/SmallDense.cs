namespace SoftErrorSim.Core.Kernels;

/// <summary>
/// Small dense factorizations for the decoders' hot paths, over the reals or the complex numbers,
/// on plain column-major arrays. MathNet's managed SVD and QR of a 44 x 28 complex matrix take 1-2
/// ms (measured), which would cap a P = 64 campaign at a few hundred trials per second; these do
/// the same work in tens of microseconds. Gram-Schmidt is run twice per column ("twice is enough",
/// Giraud, Langou and Rozloznik 2005): Q stays orthonormal to working precision for any condition
/// number below 1/eps, so the factors are as accurate as Householder's.
/// </summary>
internal static class SmallDense
{
    /// <summary>
    /// Thin QR of A (rows x cols, column-major, overwritten by Q): A = Q R with orthonormal columns
    /// of Q and upper-triangular R (cols x cols, column-major). False when a column is linearly
    /// dependent on the previous ones (R has a zero on its diagonal).
    /// </summary>
    public static bool QR<T>(T[] a, int rows, int cols, T[] r)
        where T : struct
    {
        Array.Clear(r);
        var full = true;
        for (var k = 0; k < cols; k++)
        {
            var column = a.AsSpan(k * rows, rows);
            for (var pass = 0; pass < 2; pass++)
            {
                for (var j = 0; j < k; j++)
                {
                    var q = a.AsSpan(j * rows, rows);
                    var c = Field.Dot<T>(q, column);
                    r[(k * cols) + j] = Field.Add(r[(k * cols) + j], c);
                    Field.AddScaled(column, q, Field.Scale(c, -1));
                }
            }

            var norm = Math.Sqrt(Field.Norm2<T>(column));
            r[(k * cols) + k] = Field.FromReal<T>(norm);
            if (!(norm > 0))
            {
                full = false;
                continue;
            }

            var inverse = 1.0 / norm;
            for (var i = 0; i < rows; i++)
            {
                column[i] = Field.Scale(column[i], inverse);
            }
        }

        return full;
    }

    /// <summary>The inverse of an upper-triangular n x n matrix (column-major), by back substitution; also upper triangular.</summary>
    public static T[] InvertUpper<T>(T[] r, int n)
        where T : struct
    {
        var inverse = new T[n * n];
        for (var j = 0; j < n; j++)
        {
            // Solve R x = e_j for x = column j of the inverse (zero below j).
            inverse[(j * n) + j] = Divide(Field.FromReal<T>(1), r[(j * n) + j]);
            for (var i = j - 1; i >= 0; i--)
            {
                T sum = default;
                for (var k = i + 1; k <= j; k++)
                {
                    sum = Field.Add(sum, Field.Multiply(r[(k * n) + i], inverse[(j * n) + k]));
                }

                inverse[(j * n) + i] = Divide(Field.Scale(sum, -1), r[(i * n) + i]);
            }
        }

        return inverse;
    }

    /// <summary>
    /// An estimate of the 2-norm of an upper-triangular n x n matrix (column-major) by power
    /// iteration on M^H M from a fixed start (deterministic), to within about a percent; used for
    /// the condition numbers the simulator reports, never for a tolerance.
    /// </summary>
    public static double NormEstimate<T>(T[] m, int n)
        where T : struct
    {
        var x = new T[n];
        var y = new T[n];
        for (var i = 0; i < n; i++)
        {
            x[i] = Field.FromReal<T>(1.0 / Math.Sqrt(n));
        }

        double estimate = 0;
        for (var iteration = 0; iteration < 30; iteration++)
        {
            // y = M x (upper triangular), x = M^H y.
            Array.Clear(y);
            for (var j = 0; j < n; j++)
            {
                for (var i = 0; i <= j; i++)
                {
                    y[i] = Field.Add(y[i], Field.Multiply(m[(j * n) + i], x[j]));
                }
            }

            Array.Clear(x);
            for (var j = 0; j < n; j++)
            {
                for (var i = 0; i <= j; i++)
                {
                    x[j] = Field.Add(x[j], Field.Multiply(Field.Conj(m[(j * n) + i]), y[i]));
                }
            }

            var next = Math.Sqrt(Field.Norm2<T>(x));
            if (!(next > 0) || !double.IsFinite(next))
            {
                return Math.Sqrt(Field.Norm2<T>(y));
            }

            for (var i = 0; i < n; i++)
            {
                x[i] = Field.Scale(x[i], 1.0 / next);
            }

            var previous = estimate;
            estimate = Math.Sqrt(next);
            if (Math.Abs(estimate - previous) <= 1e-4 * estimate)
            {
                break;
            }
        }

        return estimate;
    }

    /// <summary>
    /// The significant column space of S (rows x cols, row-major) by Gram-Schmidt with column
    /// pivoting: orthonormal directions are taken greedily (the column of largest remaining norm)
    /// until what is left of S has Frobenius norm at most <paramref name="floor"/>. Returns the
    /// basis (rows x rank, column-major), the rank, and the remaining norm of the last column taken
    /// (the size of the weakest direction kept). The columns of S are copied, S is left unchanged.
    /// </summary>
    public static (T[] Basis, int Rank, double Weakest) SignificantColumns<T>(ReadOnlySpan<T> s, int rows, int cols, double floor)
        where T : struct
    {
        // The calling thread's buffers: the basis stays valid until the thread's next call.
        var work = Buffers<T>.Get(ref Buffers<T>.Work, rows * cols);
        var norms = Buffers<double>.Get(ref Buffers<double>.Norms, cols);
        for (var j = 0; j < cols; j++)
        {
            for (var i = 0; i < rows; i++)
            {
                work[(j * rows) + i] = s[(i * cols) + j];
            }

            norms[j] = Field.Norm2<T>(work.AsSpan(j * rows, rows));
        }

        var basis = Buffers<T>.Get(ref Buffers<T>.Basis, rows * Math.Min(rows, cols));
        var rank = 0;
        var weakest = double.PositiveInfinity;
        while (rank < Math.Min(rows, cols))
        {
            double remaining = 0;
            var best = -1;
            for (var j = 0; j < cols; j++)
            {
                remaining += norms[j];
                if (best < 0 || norms[j] > norms[best])
                {
                    best = j;
                }
            }

            if (!(Math.Sqrt(remaining) > floor))
            {
                break;
            }

            // Re-orthogonalise the pivot against the basis once more, then normalise it.
            var pivot = work.AsSpan(best * rows, rows);
            for (var k = 0; k < rank; k++)
            {
                var q = basis.AsSpan(k * rows, rows);
                Field.AddScaled(pivot, q, Field.Scale(Field.Dot<T>(q, pivot), -1));
            }

            var length = Math.Sqrt(Field.Norm2<T>(pivot));
            if (!(length > 0) || !double.IsFinite(length))
            {
                break;
            }

            var direction = basis.AsSpan(rank * rows, rows);
            for (var i = 0; i < rows; i++)
            {
                direction[i] = Field.Scale(pivot[i], 1.0 / length);
            }

            weakest = length;
            rank++;
            for (var j = 0; j < cols; j++)
            {
                var column = work.AsSpan(j * rows, rows);
                Field.AddScaled(column, direction, Field.Scale(Field.Dot<T>(direction, column), -1));
                norms[j] = Field.Norm2<T>(column);
            }
        }

        return (basis, rank, weakest);
    }

    /// <summary>Per-thread scratch of <see cref="SignificantColumns{T}"/>.</summary>
    private static class Buffers<T>
    {
        [ThreadStatic]
        public static T[]? Work;

        [ThreadStatic]
        public static T[]? Basis;

        [ThreadStatic]
        public static T[]? Norms;

        public static T[] Get(ref T[]? buffer, int size)
        {
            if (buffer is null || buffer.Length < size)
            {
                buffer = new T[Math.Max(size, 2 * (buffer?.Length ?? 0))];
            }

            return buffer;
        }
    }

    private static T Divide<T>(T a, T b)
        where T : struct
    {
        if (typeof(T) == typeof(double))
        {
            return Field.FromReal<T>(Field.Real(a) / Field.Real(b));
        }

        var c = System.Runtime.CompilerServices.Unsafe.As<T, System.Numerics.Complex>(ref a) / System.Runtime.CompilerServices.Unsafe.As<T, System.Numerics.Complex>(ref b);
        return System.Runtime.CompilerServices.Unsafe.As<System.Numerics.Complex, T>(ref c);
    }
}
