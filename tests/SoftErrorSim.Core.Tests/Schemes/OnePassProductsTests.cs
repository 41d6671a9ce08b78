using MathNet.Numerics.LinearAlgebra;
using SoftErrorSim.Core.Coding;
using SoftErrorSim.Core.Kernels;
using SoftErrorSim.Core.Randomness;
using SoftErrorSim.Core.Schemes;
using SoftErrorSim.Core.Training;

namespace SoftErrorSim.Core.Tests.Schemes;

/// <summary>
/// The one-pass kernels of full-size training (ISSUE 13) against the two-pass kernels they replace,
/// word for word (exact equality, not a tolerance: they must do the same arithmetic in the same
/// order), and the streamed evaluation against a product with the whole reconstructed W, on every
/// scheme, real and complex blocks, padded shapes, one and several batch columns.
/// </summary>
public class OnePassProductsTests
{
    public static TheoryData<string, int> Layers() => new()
    {
        { "gpd-circle", 1 }, { "gpd-circle", 3 }, { "gpd-circle-tall", 2 }, { "gpd-chebyshev", 1 }, { "gpd-chebyshev", 2 },
        { "mds", 1 }, { "mds", 3 }, { "replication", 1 }, { "replication", 2 }, { "uncoded", 1 },
    };

    private static CodeConfiguration Configuration(string name) => name switch
    {
        "gpd-circle" => new CodeConfiguration { Scheme = SchemeKind.Gpd, NodeCount = 12, RowSplit = 2, ColumnSplit = 3, Points = EvaluationPointKind.UnitCircle },
        "gpd-circle-tall" => new CodeConfiguration { Scheme = SchemeKind.Gpd, NodeCount = 16, RowSplit = 4, ColumnSplit = 2, Points = EvaluationPointKind.UnitCircle },
        "gpd-chebyshev" => new CodeConfiguration { Scheme = SchemeKind.Gpd, NodeCount = 12, RowSplit = 2, ColumnSplit = 2, Points = EvaluationPointKind.Chebyshev },
        "mds" => new CodeConfiguration { Scheme = SchemeKind.Mds, RowSplit = 2, ColumnSplit = 3, RowNodes = 3, ColumnNodes = 4, NodeCount = CodeConfiguration.CodeNetNodeCount(3, 2, 4, 3) },
        "replication" => new CodeConfiguration { Scheme = SchemeKind.Replication, NodeCount = 12, RowSplit = 2, ColumnSplit = 2 },
        _ => new CodeConfiguration { Scheme = SchemeKind.Uncoded, NodeCount = 4, RowSplit = 2, ColumnSplit = 2 },
    };

    /// <summary>
    /// W of 13 x 11: every split above pads it (complex codes pair rows, so 13 rows pad to a multiple
    /// of 2m; with m = 4 the last block row's imaginary half lies wholly in the padding).
    /// </summary>
    private static Matrix<double> Weights(ulong seed)
    {
        var random = new RandomSource(seed);
        return Matrix<double>.Build.Dense(13, 11, (_, _) => random.NextGaussian());
    }

    private static double[] Gaussian(RandomSource random, int length, bool withZeros = false)
    {
        var values = new double[length];
        random.FillGaussian(values);
        for (var i = 0; withZeros && i < length; i += 3)
        {
            values[i] = 0; // ReLU zeros: the kernels skip zero factors, both alike
        }

        return values;
    }

    [Theory]
    [MemberData(nameof(Layers))]
    public void The_fused_backward_product_and_update_give_the_two_pass_words_exactly(string scheme, int columns)
    {
        var configuration = Configuration(scheme);
        var twoPass = Scheme.Of(configuration.Scheme).CreateLayer(configuration, Weights(7));
        var onePass = Scheme.Of(configuration.Scheme).CreateLayer(configuration, Weights(7));
        var random = new RandomSource(11);
        var delta = Gaussian(random, twoPass.Rows * columns);
        var input = Gaussian(random, twoPass.Cols * columns, withZeros: true);
        foreach (var node in twoPass.Nodes(PassKind.Backward))
        {
            var encoded = new double[twoPass.EncodedWords(PassKind.Backward, columns)];
            twoPass.Encode(PassKind.Backward, node, delta, columns, encoded);
            var (left, right) = twoPass.UpdateFactors(node, delta, input, columns);
            var expected = new double[twoPass.OutputWords(PassKind.Backward, columns)];
            var actual = new double[expected.Length];

            twoPass.Product(PassKind.Backward, node, encoded, columns, expected);
            twoPass.ApplyUpdate(node, left, right, columns, 0.01);
            onePass.ProductThenUpdate(node, encoded, columns, actual, left, right, 0.01);

            Assert.Equal(expected, actual);
            Assert.Equal(twoPass.Stored[node], onePass.Stored[node]);
        }

        // The update did move the blocks (a fused kernel that forgot it would pass the lines above only with the product).
        Assert.NotEqual(Scheme.Of(configuration.Scheme).CreateLayer(configuration, Weights(7)).Stored[0], onePass.Stored[0]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(8)]
    [InlineData(1001)]
    public void Four_dots_in_one_loop_have_the_bits_of_four_dot_calls(int length)
    {
        var random = new RandomSource((ulong)length);
        var x = Enumerable.Range(0, 5).Select(_ => Gaussian(random, length)).ToArray();

        var (s0, s1, s2, s3) = DenseKernels.Dot4(x[0], x[1], x[2], x[3], x[4]);
        Assert.Equal([DenseKernels.Dot(x[0], x[4]), DenseKernels.Dot(x[1], x[4]), DenseKernels.Dot(x[2], x[4]), DenseKernels.Dot(x[3], x[4])], new[] { s0, s1, s2, s3 });

        var (reRe, imIm, reIm, imRe) = DenseKernels.ComplexDots(x[0], x[1], x[2], x[3]);
        Assert.Equal([DenseKernels.Dot(x[0], x[2]), DenseKernels.Dot(x[1], x[3]), DenseKernels.Dot(x[0], x[3]), DenseKernels.Dot(x[1], x[2])], new[] { reRe, imIm, reIm, imRe });
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void The_fused_shadow_kernel_is_the_transposed_product_then_the_rank_one_updates(int columns)
    {
        var random = new RandomSource(5);
        var (rows, cols) = (9, 7);
        var plain = Matrix<double>.Build.Dense(rows, cols, (_, _) => random.NextGaussian());
        var fused = plain.Clone();
        var delta = Gaussian(random, rows * columns);
        var input = Gaussian(random, cols * columns, withZeros: true);
        var expected = new double[cols * columns];
        var actual = new double[cols * columns];

        // The oracle: MathNet's own products, column by column, then the updates one after another.
        for (var s = 0; s < columns; s++)
        {
            var d = Vector<double>.Build.Dense(delta[(s * rows)..((s + 1) * rows)]);
            plain.TransposeThisAndMultiply(d).AsArray().CopyTo(expected, s * cols);
        }

        var updated = plain.Clone();
        for (var s = 0; s < columns; s++)
        {
            BlockProducts.RankOneUpdate(updated, delta.AsSpan(s * rows, rows), input.AsSpan(s * cols, cols), -0.1);
        }

        FusedProducts.TransposeMultiplyThenUpdate(fused.AsColumnMajorArray(), rows, delta, actual, delta, input, columns, -0.1);

        // The product: MathNet sums in its own order, so equal to rounding (unit data, 9 terms: 1e-14 is 50 ulps).
        for (var j = 0; j < expected.Length; j++)
        {
            Assert.Equal(expected[j], actual[j], 1e-14);
        }

        Assert.Equal(updated.AsColumnMajorArray(), fused.AsColumnMajorArray());
    }

    [Theory]
    [MemberData(nameof(Layers))]
    public void The_streamed_evaluation_product_is_the_product_with_the_reconstructed_W_exactly(string scheme, int samples)
    {
        var configuration = Configuration(scheme);
        var layer = Scheme.Of(configuration.Scheme).CreateLayer(configuration, Weights(3));
        var random = new RandomSource(13);
        var inputs = Gaussian(random, layer.Cols * samples, withZeros: true);

        // With every node good, and (coded schemes) with one node's block treated as bad.
        var bads = new List<int[]> { Array.Empty<int>() };
        if (configuration.Scheme is SchemeKind.Gpd or SchemeKind.Mds or SchemeKind.Replication)
        {
            bads.Add([1]);
        }

        foreach (var bad in bads)
        {
            var weights = layer.Reconstruct(bad);
            var expected = new double[layer.Rows * samples];
            for (var s = 0; s < samples; s++)
            {
                BlockProducts.Multiply(weights, inputs.AsSpan(s * layer.Cols, layer.Cols), expected.AsSpan(s * layer.Rows, layer.Rows));
            }

            var actual = new double[expected.Length];
            layer.MultiplyReconstructed(bad, inputs, samples, actual);
            Assert.Equal(expected, actual);
        }
    }

    [Fact]
    public void The_layer_by_layer_evaluation_is_the_per_sample_network_exactly()
    {
        var layers = new[] { 20, 9, 7, 4 };
        var weights = Network.InitialWeights(layers, 3);
        var random = new RandomSource(17);
        var biases = weights.Select(w => Gaussian(random, w.RowCount)).ToArray();
        var data = SyntheticData(random, 20, 4, 30);
        var (loss, accuracy) = Network.Evaluate(weights, data, 30, biases, 0.5);

        // The oracle: one sample at a time through Network.Logits (the per-sample path the evaluation replaced).
        double expectedLoss = 0;
        var correct = 0;
        for (var s = 0; s < 30; s++)
        {
            var logits = Network.Logits(weights, data.Inputs[s].Select(v => v * 0.5).ToArray(), biases);
            expectedLoss += Network.CrossEntropy(logits, data.Labels[s]);
            correct += Array.IndexOf(logits, logits.Max()) == data.Labels[s] ? 1 : 0;
        }

        Assert.Equal(expectedLoss / 30, loss);
        Assert.Equal(correct / 30.0, accuracy);
    }

    private static Dataset SyntheticData(RandomSource random, int width, int classes, int samples)
    {
        var inputs = Enumerable.Range(0, samples).Select(_ => Gaussian(random, width, withZeros: true)).ToArray();
        var labels = Enumerable.Range(0, samples).Select(s => s % classes).ToArray();
        return new Dataset("test", inputs, labels, classes);
    }
}
