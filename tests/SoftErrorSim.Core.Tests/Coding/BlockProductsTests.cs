using MathNet.Numerics.LinearAlgebra;
using SoftErrorSim.Core.Kernels;
using SoftErrorSim.Core.Randomness;

namespace SoftErrorSim.Core.Tests.Coding;

public class BlockProductsTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 7)]
    [InlineData(17, 5)]
    [InlineData(64, 33)]
    public void Kernels_equal_the_plain_MathNet_products(int rows, int cols)
    {
        var random = new RandomSource((ulong)((rows * 100) + cols));
        var block = Matrix<double>.Build.Dense(rows, cols, (_, _) => random.NextGaussian());
        var x = Vector<double>.Build.Dense(cols, _ => random.NextGaussian());
        var y = Vector<double>.Build.Dense(rows, _ => random.NextGaussian());
        // Summation order differs (columns vs rows), so agreement is to rounding: 1e-12 on unit data.
        Assert.True((BlockProducts.Multiply(block, x) - (block * x)).InfinityNorm() < 1e-12);
        Assert.True((BlockProducts.TransposeMultiply(block, y) - block.TransposeThisAndMultiply(y)).InfinityNorm() < 1e-12);
    }

    [Fact]
    public void Special_values_propagate_as_in_plain_arithmetic()
    {
        var block = Matrix<double>.Build.DenseOfArray(new[,] { { 1.0, double.NaN }, { 2.0, 3.0 } });
        var product = BlockProducts.Multiply(block, Vector<double>.Build.Dense([1.0, 1.0]));
        Assert.True(double.IsNaN(product[0]));
        Assert.Equal(5.0, product[1]);
        Assert.Throws<ArgumentException>(() => BlockProducts.Multiply(block, new double[3], new double[2]));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 7)]
    [InlineData(17, 5)]
    [InlineData(33, 9)]
    public void Complex_kernels_equal_plain_complex_arithmetic(int rows, int cols)
    {
        // The oracle: System.Numerics.Complex loops over the same block, stored split (real parts, then imaginary parts).
        var random = new RandomSource((ulong)((rows * 100) + cols + 7));
        var block = new double[2 * rows * cols];
        random.FillGaussian(block);
        System.Numerics.Complex At(int i, int j) => new(block[(j * rows) + i], block[(rows * cols) + (j * rows) + i]);
        var x = Enumerable.Range(0, cols).Select(_ => new System.Numerics.Complex(random.NextGaussian(), random.NextGaussian())).ToArray();
        var d = Enumerable.Range(0, rows).Select(_ => new System.Numerics.Complex(random.NextGaussian(), random.NextGaussian())).ToArray();
        static double[] Split(System.Numerics.Complex[] v) => [.. v.Select(c => c.Real), .. v.Select(c => c.Imaginary)];

        var y = new double[2 * rows];
        BlockProducts.ComplexMultiply(block, rows, Split(x), y);
        for (var i = 0; i < rows; i++)
        {
            var expected = System.Numerics.Complex.Zero;
            for (var j = 0; j < cols; j++)
            {
                expected += At(i, j) * x[j];
            }

            // Rounding of a sum of cols products of unit data: 1e-12.
            Assert.True(System.Numerics.Complex.Abs(expected - new System.Numerics.Complex(y[i], y[rows + i])) < 1e-12);
        }

        var z = new double[2 * cols];
        BlockProducts.ComplexConjugateTransposeMultiply(block, rows, Split(d), z);
        for (var j = 0; j < cols; j++)
        {
            var expected = System.Numerics.Complex.Zero;
            for (var i = 0; i < rows; i++)
            {
                expected += System.Numerics.Complex.Conjugate(At(i, j)) * d[i];
            }

            Assert.True(System.Numerics.Complex.Abs(expected - new System.Numerics.Complex(z[j], z[cols + j])) < 1e-12);
        }

        var before = (double[])block.Clone();
        BlockProducts.ComplexRankOneUpdate(block, Split(d), Split(x), -0.5);
        for (var i = 0; i < rows; i++)
        {
            for (var j = 0; j < cols; j++)
            {
                var expected = new System.Numerics.Complex(before[(j * rows) + i], before[(rows * cols) + (j * rows) + i]) - (0.5 * d[i] * x[j]);
                Assert.True(System.Numerics.Complex.Abs(expected - At(i, j)) < 1e-12);
            }
        }
    }
}
