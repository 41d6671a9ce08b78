using MathNet.Numerics.LinearAlgebra;
using SoftErrorSim.Core.Coding;
using SoftErrorSim.Core.Kernels;
using SoftErrorSim.Core.Randomness;

namespace SoftErrorSim.Core.Faults;

/// <summary>
/// The one fault injector (SPEC 3), shared by single decodes, campaigns and training: what a soft
/// error does to the words it strikes. A node output, a local copy of a vector and a stored block
/// are all spans of float64 words; a complex entry is two words (real, imaginary), so a bit flip
/// strikes either double of it. The adversarial model needs the code and lives in
/// <see cref="CodewordAttack"/>; each scheme places it (SPEC 3: the attacker chooses where).
/// </summary>
public static class FaultInjector
{
    /// <summary>
    /// Strikes <paramref name="words"/> in place. Gaussian: N(0, (magnitude rms)^2) added to a
    /// random fraction of the words (all when the fraction is 1; at least one), rms the clean
    /// data's root mean square (1 when it is zero). Bit flip: flips-per-error random bits of the
    /// model's range, each in a random word. Sparse-weight: round(fraction x words) distinct words
    /// (at least one) moved uniformly in [-magnitude, magnitude].
    /// </summary>
    public static void Strike(Span<double> words, ErrorValueModel model, double rms, RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(random);
        if (words.IsEmpty)
        {
            return;
        }

        switch (model.Kind)
        {
            case ErrorModelKind.Gaussian:
                {
                    var sigma = model.Magnitude * (rms > 0 ? rms : 1.0);
                    if (model.Fraction >= 1)
                    {
                        for (var j = 0; j < words.Length; j++)
                        {
                            words[j] += sigma * random.NextGaussian();
                        }

                        return;
                    }

                    var count = Math.Max(1, (int)Math.Round(model.Fraction * words.Length));
                    foreach (var j in random.Sample(words.Length, count))
                    {
                        words[j] += sigma * random.NextGaussian();
                    }

                    return;
                }

            case ErrorModelKind.BitFlip:
                for (var f = 0; f < model.FlipsPerError; f++)
                {
                    var j = random.NextInt(words.Length);
                    var bit = model.LowBit + random.NextInt(model.HighBit - model.LowBit + 1);
                    words[j] = FlipBit(words[j], bit);
                }

                return;
            case ErrorModelKind.SparseWeight:
                foreach (var j in Distinct(words.Length, Math.Clamp((int)Math.Round(model.Fraction * words.Length), 1, words.Length), random))
                {
                    words[j] += ((2 * random.NextDouble()) - 1) * model.Magnitude;
                }

                return;
            default:
                throw new ArgumentException("the adversarial model needs the code: use CodewordAttack", nameof(model));
        }
    }

    /// <summary>Flips bit <paramref name="bit"/> (0 = least significant) of the IEEE-754 representation of <paramref name="value"/>.</summary>
    public static double FlipBit(double value, int bit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bit);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bit, 63);
        return BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(value) ^ (1L << bit));
    }

    /// <summary>Root mean square of the finite words (0 when there are none).</summary>
    public static double RootMeanSquare(ReadOnlySpan<double> words)
    {
        double sum = 0;
        var count = 0;
        foreach (var v in words)
        {
            if (double.IsFinite(v))
            {
                sum += v * v;
                count++;
            }
        }

        return count == 0 ? 0 : Math.Sqrt(sum / count);
    }

    /// <summary>
    /// <paramref name="count"/> distinct indices below <paramref name="population"/>, ascending, by
    /// Floyd's sampling: O(count) memory whatever the population (a stored block has millions of words).
    /// </summary>
    public static int[] Distinct(int population, int count, RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var chosen = new HashSet<int>();
        for (var j = population - count; j < population; j++)
        {
            var t = random.NextInt(j + 1);
            chosen.Add(chosen.Contains(t) ? j : t);
        }

        return [.. chosen.Order()];
    }

    /// <summary>How many choices of zero positions the attacker weighs.</summary>
    public const int AttackAttempts = 16;

    /// <summary>
    /// The adversarial model (SPEC 3) on a linear code: errors on the <paramref name="attacked"/>
    /// symbols equal to a minimum-weight codeword (weight P-K+1, zero on K-1 symbols chosen outside
    /// the attacked set; with fewer bystanders, a codeword vanishing on all of them) restricted to
    /// the attacked symbols, times a random output direction. The received word then lies at
    /// distance |attacked| from the sent codeword and P-K+1-|attacked| from a wrong one: beyond
    /// floor((P-K)/2) errors a bounded-distance decoder is led to the wrong codeword. The attacker
    /// prefers codewords that move the code's wanted coefficients (a garbage-only miscorrection is
    /// harmless) and falls back to noise when none does. Returns P x L errors, row-major.
    /// </summary>
    public static T[] CodewordAttack<T>(LinearCode<T> code, IReadOnlyList<int> attacked, int outputLength, double scale, RandomSource random)
        where T : struct, IEquatable<T>, IFormattable
    {
        ArgumentNullException.ThrowIfNull(code);
        ArgumentNullException.ThrowIfNull(attacked);
        ArgumentNullException.ThrowIfNull(random);
        var k = code.Dimension;
        var attackedSet = new HashSet<int>(attacked);
        var bystanders = Enumerable.Range(0, code.Length).Where(p => !attackedSet.Contains(p)).ToArray();
        var wantedAll = code.Wanted.Count == k;

        // Among several choices of the K-1 zeros the attacker keeps the codeword whose smallest
        // entry on its own nodes is largest, so that no attacked node's error is negligible.
        Vector<T>? codeword = null;
        var bestSpread = double.NegativeInfinity;
        for (var attempt = 0; attempt < AttackAttempts; attempt++)
        {
            var order = random.Sample(bystanders.Length, bystanders.Length);
            var zeros = order.Select(i => bystanders[i]).Take(k - 1).ToList();
            var coefficients = NullCoefficients(code, zeros, random);
            var candidate = code.Generator * coefficients;
            var onAttacked = attacked.Where(p => !zeros.Contains(p)).Select(p => Field.Abs(candidate[p])).ToArray();
            var spread = onAttacked.Length == 0 || onAttacked.Max() == 0 ? 0 : onAttacked.Min() / onAttacked.Max();
            var total = Math.Sqrt(Enumerable.Range(0, k).Sum(t => Field.Abs2(coefficients[t])));
            if (!wantedAll && Math.Sqrt(code.Wanted.Sum(t => Field.Abs2(coefficients[t]))) < 1e-3 * total)
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
            peak = Math.Max(peak, Field.Abs(codeword![p]));
        }

        var direction = new T[outputLength];
        Field.FillGaussian<T>(direction, random);
        var errors = new T[code.Length * outputLength];
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
                    errors[(p * outputLength) + j] = Field.Scale(Field.Gaussian<T>(random), scale);
                }
            }

            return errors;
        }

        foreach (var p in attacked)
        {
            var weight = Field.Scale(codeword![p], scale / peak);
            for (var j = 0; j < outputLength; j++)
            {
                errors[(p * outputLength) + j] = Field.Multiply(weight, direction[j]);
            }
        }

        return errors;
    }

    /// <summary>
    /// A message direction whose codeword vanishes on <paramref name="zeros"/>: unique up to scale
    /// when there are K-1 zeros (a minimum-weight codeword), otherwise a random combination of the
    /// null space, which an attacker holding at least P-K+1 nodes can place entirely on them.
    /// </summary>
    private static Vector<T> NullCoefficients<T>(LinearCode<T> code, List<int> zeros, RandomSource random)
        where T : struct, IEquatable<T>, IFormattable
    {
        var k = code.Dimension;
        var combination = Vector<T>.Build.Dense(k);
        if (zeros.Count == 0)
        {
            for (var t = 0; t < k; t++)
            {
                combination[t] = Field.Gaussian<T>(random);
            }

            return combination;
        }

        var restricted = Matrix<T>.Build.Dense(zeros.Count, k, (i, t) => code.Generator[zeros[i], t]);

        // Rows of V^H beyond the rank span the null space; their conjugates are null vectors of the restriction.
        var basis = restricted.Svd(computeVectors: true).VT;
        for (var row = zeros.Count; row < k; row++)
        {
            var g = Field.Gaussian<T>(random);
            for (var t = 0; t < k; t++)
            {
                combination[t] = Field.Add(combination[t], Field.Multiply(Field.Conj(basis[row, t]), g));
            }
        }

        return combination;
    }
}
