using MathNet.Numerics.LinearAlgebra;
using SoftErrorSim.Core.Coding;
using SoftErrorSim.Core.Randomness;

namespace SoftErrorSim.Core.Faults;

/// <summary>The value-level fault injectors shared by single decodes, campaigns and training.</summary>
public static class ErrorInjection
{
    /// <summary>Flips bit <paramref name="bit"/> (0 = least significant) of the IEEE-754 representation of <paramref name="value"/>.</summary>
    public static double FlipBit(double value, int bit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bit);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bit, 63);
        return BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(value) ^ (1L << bit));
    }

    /// <summary>
    /// Adds N(0, (magnitude * rms)^2) noise to a random fraction of the entries of one output
    /// (at least one entry). <paramref name="rms"/> is the clean outputs' root mean square.
    /// </summary>
    public static void AddGaussian(Matrix<double> outputs, int row, double rms, ErrorValueModel model, RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(random);
        var length = outputs.ColumnCount;
        var sigma = model.Magnitude * (rms > 0 ? rms : 1.0);
        if (model.Fraction >= 1)
        {
            for (var j = 0; j < length; j++)
            {
                outputs[row, j] += sigma * random.NextGaussian();
            }

            return;
        }

        var count = Math.Max(1, (int)Math.Round(model.Fraction * length));
        foreach (var j in random.Sample(length, count))
        {
            outputs[row, j] += sigma * random.NextGaussian();
        }
    }

    /// <summary>Flips <see cref="ErrorValueModel.FlipsPerError"/> random bits in the model's range, each in a random entry of one output.</summary>
    public static void FlipBits(Matrix<double> outputs, int row, ErrorValueModel model, RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(random);
        for (var f = 0; f < model.FlipsPerError; f++)
        {
            var j = random.NextInt(outputs.ColumnCount);
            var bit = model.LowBit + random.NextInt(model.HighBit - model.LowBit + 1);
            outputs[row, j] = FlipBit(outputs[row, j], bit);
        }
    }

    /// <summary>
    /// The adversarial model (SPEC 3) on a linear code: errors on the <paramref name="attacked"/>
    /// symbols equal to a minimum-weight codeword (weight P-K+1, zero on K-1 symbols chosen outside
    /// the attacked set; with fewer bystanders, a codeword vanishing on all of them) restricted to
    /// the attacked symbols, times a random output
    /// direction. The received word then lies at distance |attacked| from the sent codeword and
    /// P-K+1-|attacked| from a wrong one: beyond floor((P-K)/2) errors a bounded-distance decoder
    /// is led to the wrong codeword. Returns one error row per symbol (zero rows elsewhere).
    /// </summary>
    public static Matrix<double> CodewordAttack(RealLinearCode code, IReadOnlyList<int> attacked, int outputLength, double scale, RandomSource random, IReadOnlyList<int>? wanted = null)
    {
        ArgumentNullException.ThrowIfNull(code);
        ArgumentNullException.ThrowIfNull(attacked);
        ArgumentNullException.ThrowIfNull(random);
        var k = code.Dimension;
        var attackedSet = new HashSet<int>(attacked);
        var bystanders = Enumerable.Range(0, code.Length).Where(p => !attackedSet.Contains(p)).ToArray();

        // The attacker knows the code: among several choices of the K-1 zeros it keeps the codeword
        // whose smallest entry on its own nodes is largest, so that no attacked node's error is
        // negligible (an almost-zero entry would silently lower the effective error count).
        Vector<double>? codeword = null;
        var bestSpread = double.NegativeInfinity;
        for (var attempt = 0; attempt < AttackAttempts; attempt++)
        {
            var order = random.Sample(bystanders.Length, bystanders.Length);
            var zeros = order.Select(i => bystanders[i]).Take(k - 1).ToList();
            var coefficients = NullCoefficients(code, zeros, random);
            var candidate = code.Generator * coefficients;
            var onAttacked = attacked.Where(p => !zeros.Contains(p)).Select(p => Math.Abs(candidate[p])).ToArray();
            var spread = onAttacked.Length == 0 || onAttacked.Max() == 0 ? 0 : onAttacked.Min() / onAttacked.Max();
            if (wanted is not null && Math.Sqrt(wanted.Sum(t => coefficients[t] * coefficients[t])) < 1e-3 * coefficients.L2Norm())
            {
                // Harmless: the wrong codeword agrees with the sent one on every wanted block.
                spread -= 2;
            }

            if (spread > bestSpread)
            {
                (codeword, bestSpread) = (candidate, spread);
            }
        }

        double peak = 0;
        foreach (var p in attacked)
        {
            peak = Math.Max(peak, Math.Abs(codeword![p]));
        }

        var direction = new double[outputLength];
        random.FillGaussian(direction);
        var errors = Matrix<double>.Build.Dense(code.Length, outputLength);
        if (peak == 0)
        {
            return errors;
        }

        if (bestSpread < -1)
        {
            // No codeword the attacker can place moves a wanted block; its best remaining move is
            // to deny a result, with independent noise the decoder can only flag.
            foreach (var p in attacked)
            {
                for (var j = 0; j < outputLength; j++)
                {
                    errors[p, j] = scale * random.NextGaussian();
                }
            }

            return errors;
        }

        foreach (var p in attacked)
        {
            var weight = scale * codeword![p] / peak;
            for (var j = 0; j < outputLength; j++)
            {
                errors[p, j] = weight * direction[j];
            }
        }

        return errors;
    }

    /// <summary>How many choices of zero positions the attacker weighs.</summary>
    public const int AttackAttempts = 16;

    /// <summary>
    /// A message direction whose codeword vanishes on <paramref name="zeros"/>: unique up to scale
    /// when there are K-1 zeros (a minimum-weight codeword), otherwise a random combination of the
    /// null space, which an attacker holding at least P-K+1 nodes can place entirely on them.
    /// </summary>
    private static Vector<double> NullCoefficients(RealLinearCode code, List<int> zeros, RandomSource random)
    {
        var k = code.Dimension;
        var combination = Vector<double>.Build.Dense(k);
        if (zeros.Count == 0)
        {
            for (var t = 0; t < k; t++)
            {
                combination[t] = random.NextGaussian();
            }

            return combination;
        }

        var restricted = Matrix<double>.Build.Dense(zeros.Count, k, (i, t) => code.Generator[zeros[i], t]);
        var basis = restricted.Svd(computeVectors: true).VT;
        for (var row = zeros.Count; row < k; row++)
        {
            combination.Add(basis.Row(row).Multiply(random.NextGaussian()), combination);
        }

        return combination;
    }

    /// <summary>The share of a stored block's entries a sparse-weight fault perturbs (SPEC 3, CodeNet): 0.5%.</summary>
    public const double SparseWeightFraction = 0.005;

    /// <summary>The bound of a sparse-weight perturbation: uniform in [-5, 5].</summary>
    public const double SparseWeightAmplitude = 5.0;

    /// <summary>
    /// `sparse-weight` (SPEC 3, the CodeNet model): adds a perturbation uniform in
    /// [-<paramref name="amplitude"/>, <paramref name="amplitude"/>] to round(<paramref name="fraction"/> x
    /// entries) distinct random entries of a node's stored block, in place (at least one entry, so a
    /// fault on a small block is never a no-op). The perturbation persists: it is the caller's
    /// block until repaired or restored. Returns the struck entries as column-major indices, ascending.
    /// </summary>
    public static int[] SparseWeight(Matrix<double> stored, RandomSource random, double fraction = SparseWeightFraction, double amplitude = SparseWeightAmplitude)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(random);
        if (!(fraction > 0 && fraction <= 1) || !(amplitude > 0) || double.IsInfinity(amplitude))
        {
            throw new ArgumentException($"sparse-weight needs a fraction in (0, 1] and a finite positive amplitude (got {fraction}, {amplitude})");
        }

        var entries = stored.RowCount * stored.ColumnCount;
        var count = Math.Clamp((int)Math.Round(fraction * entries), 1, entries);

        // Floyd's sampling: count distinct indices in O(count) memory, whatever the block's size.
        var chosen = new HashSet<int>();
        for (var j = entries - count; j < entries; j++)
        {
            var t = random.NextInt(j + 1);
            chosen.Add(chosen.Contains(t) ? j : t);
        }

        var struck = chosen.Order().ToArray();
        var values = stored.AsColumnMajorArray();
        foreach (var index in struck)
        {
            var delta = ((2 * random.NextDouble()) - 1) * amplitude;
            if (values is not null)
            {
                values[index] += delta;
            }
            else
            {
                stored[index % stored.RowCount, index / stored.RowCount] += delta;
            }
        }

        return struck;
    }

    /// <summary>Root mean square of all entries.</summary>
    public static double RootMeanSquare(Matrix<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var count = values.RowCount * values.ColumnCount;
        return count == 0 ? 0 : values.FrobeniusNorm() / Math.Sqrt(count);
    }
}
