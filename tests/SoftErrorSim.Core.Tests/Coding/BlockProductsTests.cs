using MathNet.Numerics.LinearAlgebra;
using SoftErrorSim.Core.Coding;
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
}
