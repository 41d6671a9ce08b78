using MathNet.Numerics.LinearAlgebra;
using SoftErrorSim.Core.Coding;
using SoftErrorSim.Core.Randomness;
using SoftErrorSim.Core.Training;

namespace SoftErrorSim.Core.Tests.Training;

public class LayerCodeTests
{
    private static readonly CodeConfiguration Gpd = new() { Scheme = SchemeKind.Gpd, NodeCount = 9, RowSplit = 2, ColumnSplit = 2 };

    [Fact]
    public void The_honest_outputs_oracle_equals_the_plain_product_and_ignores_spoilt_rows()
    {
        var random = new RandomSource(4);
        var weights = Matrix<double>.Build.Dense(8, 6, (_, _) => random.NextGaussian());
        var input = Enumerable.Range(0, 6).Select(_ => random.NextGaussian()).ToArray();
        var delta = Enumerable.Range(0, 8).Select(_ => random.NextGaussian()).ToArray();
        var layer = new GpdLayerCode(Gpd, weights);

        Matrix<double> Outputs(bool forward)
        {
            var length = forward ? layer.BlockRows : layer.BlockCols;
            var received = Matrix<double>.Build.Dense(9, length);
            for (var p = 0; p < 9; p++)
            {
                var output = new double[length];
                if (forward)
                {
                    layer.ForwardProduct(p, layer.EncodeForward(p, input), output);
                }
                else
                {
                    layer.BackwardProduct(p, layer.EncodeBackward(p, delta), output);
                }

                received.SetRow(p, output);
            }

            // Two nodes err, one of them with a NaN: the oracle must not see them.
            received[1, 0] += 3;
            received[6, 1] = double.NaN;
            return received;
        }

        int[] honest = [0, 2, 3, 4, 5, 7, 8];
        var forwardTruth = layer.HonestTruth(Outputs(forward: true), honest, forward: true)!;
        var backwardTruth = layer.HonestTruth(Outputs(forward: false), honest, forward: false)!;
        var plainForward = weights * Vector<double>.Build.DenseOfArray(input);
        var plainBackward = weights.TransposeThisAndMultiply(Vector<double>.Build.DenseOfArray(delta));

        // Least squares on 7 Chebyshev points (condition number ~10): agreement to 1e-12.
        Assert.All(Enumerable.Range(0, 8), i => Assert.Equal(plainForward[i], forwardTruth[i], 1e-12));
        Assert.All(Enumerable.Range(0, 6), j => Assert.Equal(plainBackward[j], backwardTruth[j], 1e-12));

        // K_bwd = 2mn - n = 6 honest rows are needed; five cannot pin the product down.
        Assert.Null(layer.HonestTruth(Outputs(forward: false), [0, 2, 3, 4, 5], forward: false));
    }
}
