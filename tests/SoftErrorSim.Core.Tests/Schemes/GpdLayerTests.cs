// Over 300 lines: every pass of one layer type (forward, backward, matmat, update, repair) against plain products in one place.
using MathNet.Numerics.LinearAlgebra;
using SoftErrorSim.Core.Coding;
using SoftErrorSim.Core.Decoding;
using SoftErrorSim.Core.Passes;
using SoftErrorSim.Core.Randomness;
using SoftErrorSim.Core.Schemes;
using Complex = System.Numerics.Complex;

namespace SoftErrorSim.Core.Tests.Schemes;

/// <summary>
/// Generalized PolyDot codes on real Chebyshev points and on the unit circle, against independent
/// oracles: plain products of the uncoded W (MathNet), the linear algebra of the generator alone,
/// and fits of the actual node outputs.
/// </summary>
public class GpdLayerTests
{
    /// <summary>
    /// The splits the thresholds are established on: m = 1 (MatDot), n = 1 (polynomial/MDS), square,
    /// wide, tall, d &gt; 1 for matrix-matrix products, and the CodeNet-sized splits of SPEC 2.
    /// </summary>
    public static TheoryData<int, int, int, EvaluationPointKind> Splits()
    {
        var data = new TheoryData<int, int, int, EvaluationPointKind>();
        foreach (var points in new[] { EvaluationPointKind.UnitCircle, EvaluationPointKind.Chebyshev })
        {
            foreach (var (m, n, d) in new[] { (1, 1, 1), (1, 3, 1), (3, 1, 1), (2, 2, 1), (2, 3, 2), (3, 2, 1), (1, 2, 3), (2, 1, 2) })
            {
                data.Add(m, n, d, points);
            }
        }

        // The large splits only on the circle: real points are beyond float64 there (another test).
        foreach (var (m, n, d) in new[] { (4, 4, 2), (4, 5, 1), (5, 4, 1), (2, 10, 1), (8, 8, 1) })
        {
            data.Add(m, n, d, EvaluationPointKind.UnitCircle);
        }

        return data;
    }

    private static CodeConfiguration Gpd(int nodes, int m, int n, int? d, EvaluationPointKind points) =>
        new() { Scheme = SchemeKind.Gpd, NodeCount = nodes, RowSplit = m, ColumnSplit = n, BatchSplit = d, Points = points };

    [Theory]
    [MemberData(nameof(Splits))]
    public void Every_K_clean_outputs_recover_the_plain_product_and_K_minus_1_do_not(int m, int n, int d, EvaluationPointKind points)
    {
        var k = Math.Max(PolyDotThresholds.Backward(m, n), PolyDotThresholds.MatMat(m, n, d));
        var configuration = Gpd(k + 3, m, n, d, points);
        foreach (var passKind in new[] { PassKind.Forward, PassKind.Backward, PassKind.MatMat })
        {
            // CodedPass computes the truth with a plain product of the uncoded W: the oracle.
            var pass = CodedPass.Create(configuration, passKind, new PassShape(4, 2, 2), new RandomSource(7));
            var threshold = pass.RecoveryThreshold;
            Assert.Equal(
                passKind switch
                {
                    PassKind.Forward => (m * n) + n - 1,
                    PassKind.Backward => (2 * m * n) - n,
                    _ => (m * n * d) + n - 1,
                },
                threshold);
            // Any K rows determine the product in exact arithmetic. In float64 a subset of K rows can
            // be too ill-conditioned (adjacent points of a large code): the contract then refuses it,
            // and must never return a wrong product. Evenly spread rows are well conditioned and
            // must decode; K - 1 rows never do.
            var random = new RandomSource(11);
            var spread = Enumerable.Range(0, threshold).Select(i => (int)((long)i * configuration.NodeCount / threshold)).ToArray();
            foreach (var subset in Subsets(configuration.NodeCount, threshold, random, 30).Prepend(spread))
            {
                var decoded = pass.Layer.DecodeErasures(Scheme.LayerPass(passKind), pass.CleanOutputs, pass.Columns, subset)!;
                if (decoded.Status == DecodeStatus.Decoded)
                {
                    // Tolerance: the decoding contract admits at most 1e-6; well-conditioned subsets give 1e-12.
                    Assert.True(DecodingTolerance.RelativeError(decoded.Result!, pass.Truth) <= 1e-6, $"{passKind} from {string.Join(',', subset)}");
                }
                else
                {
                    Assert.True(subset != spread, $"{passKind}: evenly spread rows refused: {decoded.Reason}");
                    Assert.True(decoded.Reason!.Contains("ill-conditioned", StringComparison.Ordinal) || decoded.Reason.Contains("singular", StringComparison.Ordinal), decoded.Reason);
                }

                var fewer = subset.Take(threshold - 1).ToArray();
                Assert.Equal(DecodeStatus.Detected, pass.Layer.DecodeErasures(Scheme.LayerPass(passKind), pass.CleanOutputs, pass.Columns, fewer)!.Status);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Splits))]
    public void K_minus_1_coefficients_cannot_fit_the_node_outputs(int m, int n, int d, EvaluationPointKind points)
    {
        // Decoder-independent tightness: fit the actual outputs of all P nodes by least squares with
        // the first K - 1 coefficients only. If K - 1 sufficed, the residual would be round-off
        // (1e-14 of the outputs). It stands far above: O(0.1) on the circle, where the monomials are
        // orthogonal; on Chebyshev points a^(K-1) lies within 2^-(K-2) of the lower degrees, so the
        // residual is smaller there but still six orders above round-off (threshold 1e-8).
        var k = Math.Max(PolyDotThresholds.Backward(m, n), PolyDotThresholds.MatMat(m, n, d));
        var configuration = Gpd(k + 3, m, n, d, points);
        foreach (var passKind in new[] { PassKind.Forward, PassKind.Backward, PassKind.MatMat })
        {
            var pass = CodedPass.Create(configuration, passKind, new PassShape(4, 2, 2), new RandomSource(7));
            if (pass.RecoveryThreshold == 1)
            {
                continue; // a single coefficient: K - 1 = 0 fits nothing at all
            }

            var residual = points == EvaluationPointKind.UnitCircle
                ? FitResidual(((GpdLayer<Complex>)pass.Layer).PassCode(Scheme.LayerPass(passKind), pass.Columns), pass.CleanOutputs)
                : FitResidual(((GpdLayer<double>)pass.Layer).PassCode(Scheme.LayerPass(passKind), pass.Columns), pass.CleanOutputs);
            Assert.True(residual > (points == EvaluationPointKind.UnitCircle ? 1e-2 : 1e-8), $"{passKind}: residual {residual} of a fit with K - 1 = {pass.RecoveryThreshold - 1} coefficients");
        }
    }

    /// <summary>||Y - G_(K-1) G_(K-1)^+ Y|| / ||Y|| for the first K - 1 columns of the generator (MathNet least squares).</summary>
    private static double FitResidual<T>(LinearCode<T> code, double[] outputs)
        where T : struct, IEquatable<T>, IFormattable
    {
        var word = System.Runtime.InteropServices.MemoryMarshal.Cast<double, T>(outputs).ToArray();
        var length = word.Length / code.Length;
        var y = Matrix<T>.Build.Dense(code.Length, length, (p, j) => word[(p * length) + j]);
        var g = code.Generator.SubMatrix(0, code.Length, 0, code.Dimension - 1);
        var fit = g * g.Svd(true).Solve(y);
        return (y - fit).FrobeniusNorm() / y.FrobeniusNorm();
    }

    [Theory]
    [InlineData(EvaluationPointKind.UnitCircle, 2, 3, 1)]
    [InlineData(EvaluationPointKind.UnitCircle, 2, 2, 2)]
    [InlineData(EvaluationPointKind.Chebyshev, 2, 3, 1)]
    [InlineData(EvaluationPointKind.UnitCircle, 3, 2, 4)]
    public void Coded_update_then_decode_equals_plain_update_then_product(EvaluationPointKind points, int m, int n, int batch)
    {
        // W 7 x 5 (padding exercised: 7 rows on the circle pair into 4 complex rows), a batch of columns.
        var configuration = Gpd(16, m, n, batch == 2 ? 2 : null, points);
        var random = new RandomSource(3);
        var weights = Matrix<double>.Build.Dense(7, 5, (_, _) => random.NextGaussian());
        var layer = Scheme.Of(SchemeKind.Gpd).CreateLayer(configuration, weights);
        var delta = Enumerable.Range(0, 7 * batch).Select(_ => random.NextGaussian()).ToArray();
        var input = Enumerable.Range(0, 5 * batch).Select(_ => random.NextGaussian()).ToArray();
        const double rate = 0.05;
        for (var p = 0; p < layer.NodeCount; p++)
        {
            var (left, right) = layer.UpdateFactors(p, delta, input, batch);
            layer.ApplyUpdate(p, left, right, batch, rate);
        }

        // The oracle: the plain update with MathNet's outer products.
        var updated = weights.Clone();
        for (var s = 0; s < batch; s++)
        {
            updated -= rate * Vector<double>.Build.DenseOfArray(delta[(s * 7)..((s + 1) * 7)]).OuterProduct(Vector<double>.Build.DenseOfArray(input[(s * 5)..((s + 1) * 5)]));
        }

        // Tolerance: rounding of a few dozen multiply-adds on unit-scale data.
        Assert.True((layer.Reconstruct([]) - updated).InfinityNorm() < 1e-12);

        var next = Enumerable.Range(0, 5 * batch).Select(_ => random.NextGaussian()).ToArray();
        var result = Forward(layer, next, batch);
        for (var s = 0; s < batch; s++)
        {
            var plain = updated * Vector<double>.Build.DenseOfArray(next[(s * 5)..((s + 1) * 5)]);
            for (var i = 0; i < 7; i++)
            {
                Assert.Equal(plain[i], result[(s * 7) + i], 9);
            }
        }

        var back = Enumerable.Range(0, 7).Select(_ => random.NextGaussian()).ToArray();
        var transposed = Backward(layer, back);
        var plainBack = updated.TransposeThisAndMultiply(Vector<double>.Build.DenseOfArray(back));
        for (var j = 0; j < 5; j++)
        {
            Assert.Equal(plainBack[j], transposed[j], 9);
        }
    }

    private static double[] Forward(CodedLayer layer, double[] input, int columns)
    {
        var words = layer.OutputWords(PassKind.Forward, columns);
        var received = new double[layer.NodeCount * words];
        var encoded = new double[layer.EncodedWords(PassKind.Forward, columns)];
        for (var p = 0; p < layer.NodeCount; p++)
        {
            layer.Encode(PassKind.Forward, p, input, columns, encoded);
            layer.Product(PassKind.Forward, p, encoded, columns, received.AsSpan(p * words, words));
        }

        var decoded = layer.Decode(PassKind.Forward, received, columns, DecoderKind.ProbabilityOne, new RandomSource(1));
        Assert.Equal(DecodeStatus.Decoded, decoded.Status);
        return decoded.Result!;
    }

    private static double[] Backward(CodedLayer layer, double[] delta)
    {
        var words = layer.OutputWords(PassKind.Backward, 1);
        var received = new double[layer.NodeCount * words];
        var encoded = new double[layer.EncodedWords(PassKind.Backward, 1)];
        for (var p = 0; p < layer.NodeCount; p++)
        {
            layer.Encode(PassKind.Backward, p, delta, 1, encoded);
            layer.Product(PassKind.Backward, p, encoded, 1, received.AsSpan(p * words, words));
        }

        var decoded = layer.Decode(PassKind.Backward, received, 1, DecoderKind.ProbabilityOne, new RandomSource(1));
        Assert.Equal(DecodeStatus.Decoded, decoded.Status);
        return decoded.Result!;
    }

    [Theory]
    [InlineData(EvaluationPointKind.UnitCircle)]
    [InlineData(EvaluationPointKind.Chebyshev)]
    public void Repair_rebuilds_corrupted_blocks_from_verified_nodes_and_locates_silent_ones(EvaluationPointKind points)
    {
        var configuration = Gpd(14, 3, 2, null, points);
        var random = new RandomSource(5);
        var weights = Matrix<double>.Build.Dense(15, 8, (_, _) => random.NextGaussian());
        var layer = Scheme.Of(SchemeKind.Gpd).CreateLayer(configuration, weights);
        var original = layer.Snapshot();

        // Node 9 is blamed; node 4 went wrong silently (nobody blamed it): both must be rebuilt.
        random.FillGaussian(layer.Stored[9]);
        layer.Stored[4][3] += 0.25;
        var repaired = layer.RepairAll([9]);
        Assert.Equal([4, 9], repaired);
        for (var p = 0; p < layer.NodeCount; p++)
        {
            // Tolerance: a least-squares combination of 12 blocks of unit data, 1e-9.
            Assert.True(layer.Stored[p].Zip(original[p], (a, b) => Math.Abs(a - b)).Max() < 1e-9, $"node {p}");
        }

        Assert.True((layer.Reconstruct([]) - weights).InfinityNorm() < 1e-9);

        // With only mn = 6 good nodes left nothing can verify the sources: the repair refuses.
        Assert.Null(layer.RepairAll(Enumerable.Range(0, 8).ToHashSet()));
    }

    [Theory]
    [InlineData(12, 5, 2e1)]
    [InlineData(24, 11, 3.6e3)]
    [InlineData(30, 23, 1.3e8)]
    public void Chebyshev_Vandermonde_condition_numbers_match_the_spec_figures(int nodes, int dimension, double expected)
    {
        // SPEC 2 quotes these 2-norm condition numbers (P rows, K columns); within 25% (one significant figure).
        var code = LinearCodes.PolynomialEvaluation<double>(EvaluationPoints.Create(EvaluationPointKind.Chebyshev, nodes), dimension);
        var kappa = code.System(code.AllRows()).ConditionNumber;
        Assert.InRange(kappa, expected * 0.75, expected * 1.25);
    }

    [Theory]
    [InlineData(12, 5)]
    [InlineData(40, 28)]
    [InlineData(64, 64)]
    public void On_the_roots_of_unity_the_full_system_has_condition_number_one(int nodes, int dimension)
    {
        // G^H G = P I for K <= P on the P-th roots of unity (SPEC 2); rounding of the SVD only.
        var code = LinearCodes.PolynomialEvaluation(EvaluationPoints.UnitCircle(nodes), dimension);
        Assert.InRange(code.System(code.AllRows()).ConditionNumber, 1 - 1e-10, 1 + 1e-10);
    }

    [Fact]
    public void The_complex_code_keeps_storage_and_forward_words_and_doubles_backward_words()
    {
        var random = new RandomSource(2);
        var weights = Matrix<double>.Build.Dense(16, 12, (_, _) => random.NextGaussian());
        var real = Scheme.Of(SchemeKind.Gpd).CreateLayer(Gpd(12, 2, 2, null, EvaluationPointKind.Chebyshev), weights);
        var circle = Scheme.Of(SchemeKind.Gpd).CreateLayer(Gpd(12, 2, 2, null, EvaluationPointKind.UnitCircle), weights);
        Assert.Equal(16 * 12 / 4, real.StoredWordsPerNode);
        Assert.Equal(real.StoredWordsPerNode, circle.StoredWordsPerNode);
        Assert.Equal(real.OutputWords(PassKind.Forward, 1), circle.OutputWords(PassKind.Forward, 1));
        Assert.Equal(2 * real.OutputWords(PassKind.Backward, 1), circle.OutputWords(PassKind.Backward, 1));
        Assert.Equal(real.Threshold(PassKind.Forward, 1), circle.Threshold(PassKind.Forward, 1));
        Assert.Equal(real.Threshold(PassKind.Backward, 1), circle.Threshold(PassKind.Backward, 1));
    }

    internal static IEnumerable<int[]> Subsets(int population, int size, RandomSource random, int limit)
    {
        // Exhaustive when small, otherwise a random sample plus the clustered extremes, which are the worst-conditioned.
        var all = new List<int[]>();
        var indices = Enumerable.Range(0, size).ToArray();
        do
        {
            all.Add((int[])indices.Clone());
            if (all.Count > limit * 4)
            {
                break;
            }
        }
        while (NextCombination(indices, population));

        if (all.Count <= limit)
        {
            return all;
        }

        var sample = Enumerable.Range(0, limit - 2).Select(_ => random.Sample(population, size).Order().ToArray()).ToList();
        sample.Add(Enumerable.Range(0, size).ToArray());
        sample.Add(Enumerable.Range(population - size, size).ToArray());
        return sample;
    }

    private static bool NextCombination(int[] indices, int n)
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
