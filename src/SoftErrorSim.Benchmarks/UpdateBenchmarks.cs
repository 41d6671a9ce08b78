using BenchmarkDotNet.Attributes;
using SoftErrorSim.Core.Kernels;
using SoftErrorSim.Core.Randomness;

namespace SoftErrorSim.Benchmarks;

/// <summary>
/// The backward product and SGD update of one full-size stored block (ISSUE 13): a GPD node's block
/// of CodeNet's setting on the unit circle, m = 4, n = 5, W 10000 x 10000 (1250 x 2000 complex,
/// 5M words, 40 MB: far beyond the caches), as two passes (the conjugate-transposed product, then
/// the rank-one update) against the fused kernel that updates each column right after reading it.
/// The baseline is the plain forward product of the same block (one read of 40 MB): the ratios say
/// how many reads of the block each costs.
/// </summary>
[MemoryDiagnoser]
public class UpdateBenchmarks
{
    private const int Rows = 1250;
    private const int Cols = 2000;
    private double[] _block = null!;
    private double[] _forwardInput = null!;
    private double[] _forwardOutput = null!;
    private double[] _delta = null!;
    private double[] _output = null!;
    private double[] _left = null!;
    private double[] _right = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new RandomSource(BenchmarkWorkload.Seed);
        _block = new double[2 * Rows * Cols];
        random.FillGaussian(_block);
        _forwardInput = Gaussian(random, 2 * Cols);
        _forwardOutput = new double[2 * Rows];
        _delta = Gaussian(random, 2 * Rows);
        _output = new double[2 * Cols];
        _left = Gaussian(random, 2 * Rows);
        _right = Gaussian(random, 2 * Cols);
    }

    private static double[] Gaussian(RandomSource random, int length)
    {
        var values = new double[length];
        random.FillGaussian(values);
        return values;
    }

    [Benchmark(Baseline = true, Description = "forward product, 1250x2000 complex block (one read)")]
    public double Forward()
    {
        BlockProducts.ComplexMultiply(_block, Rows, _forwardInput, _forwardOutput);
        return _forwardOutput[0];
    }

    [Benchmark(Description = "backward product then update, two passes")]
    public double TwoPasses()
    {
        BlockProducts.ComplexConjugateTransposeMultiply(_block, Rows, _delta, _output);

        // A tiny step keeps the block's values (and so the timing) the same over millions of calls.
        BlockProducts.ComplexRankOneUpdate(_block, _left, _right, -1e-300);
        return _output[0];
    }

    [Benchmark(Description = "backward product and update fused, one pass")]
    public double Fused()
    {
        FusedProducts.ComplexConjugateTransposeMultiplyThenUpdate(_block, Rows, _delta, _output, _left, _right, 1, -1e-300);
        return _output[0];
    }
}
