using BenchmarkDotNet.Attributes;
using SoftErrorSim.Core.Coding;
using SoftErrorSim.Core.Kernels;
using SoftErrorSim.Core.Randomness;
using SoftErrorSim.Core.Schemes;

namespace SoftErrorSim.Benchmarks;

/// <summary>
/// The per-node kernels of a GPD layer (m = n = 3, P = 24, W 768 x 768) on the same stored bytes,
/// as ratios to the uncoded product one node would do (a 256 x 256 block times a 256-vector, the
/// baseline): the real code's 256 x 256 block and the unit-circle code's 128 x 256 complex block
/// both hold 65,536 words. A complex multiply-add is four real ones, so the complex products do
/// twice the real flops over the same bytes; matrix-vector work is memory-bound, and the ratios show
/// what that costs in time.
/// </summary>
[MemoryDiagnoser]
public class ProductBenchmarks
{
    private double[] _block = null!;
    private double[] _input = null!;
    private double[] _delta = null!;
    private double[] _output = null!;
    private double[] _complexInput = null!;
    private double[] _complexDelta = null!;
    private double[] _complexOutput = null!;
    private double[] _complexBackward = null!;
    private CodedLayer _real = null!;
    private CodedLayer _circle = null!;
    private double[] _operand = null!;
    private double[] _encodedReal = null!;
    private double[] _encodedCircle = null!;
    private double[] _outReal = null!;
    private double[] _outCircle = null!;

    [GlobalSetup]
    public void Setup()
    {
        const int size = BenchmarkWorkload.BlockSize;
        var random = new RandomSource(BenchmarkWorkload.Seed);
        _block = new double[size * size];
        random.FillGaussian(_block);
        _input = new double[size];
        random.FillGaussian(_input);
        _delta = new double[size];
        random.FillGaussian(_delta);
        _output = new double[size];

        // The same 65,536 words read as a 128 x 256 complex block (split real, imaginary parts).
        _complexInput = new double[2 * size];
        random.FillGaussian(_complexInput);
        _complexDelta = new double[size];
        random.FillGaussian(_complexDelta);
        _complexOutput = new double[size];
        _complexBackward = new double[2 * size];

        var weights = BenchmarkWorkload.Gaussian(BenchmarkWorkload.Split * size, BenchmarkWorkload.Split * size, random);
        _real = Scheme.Of(SchemeKind.Gpd).CreateLayer(BenchmarkWorkload.Configuration(EvaluationPointKind.Chebyshev), weights);
        _circle = Scheme.Of(SchemeKind.Gpd).CreateLayer(BenchmarkWorkload.Configuration(EvaluationPointKind.UnitCircle), weights);
        _operand = new double[BenchmarkWorkload.Split * size];
        random.FillGaussian(_operand);
        _encodedReal = new double[_real.EncodedWords(PassKind.Forward, 1)];
        _encodedCircle = new double[_circle.EncodedWords(PassKind.Forward, 1)];
        _outReal = new double[_real.OutputWords(PassKind.Forward, 1)];
        _outCircle = new double[_circle.OutputWords(PassKind.Forward, 1)];
    }

    [Benchmark(Baseline = true, Description = "uncoded product, 256 x 256 real block")]
    public double[] Uncoded()
    {
        BlockProducts.Multiply(_block, BenchmarkWorkload.BlockSize, _input, _output);
        return _output;
    }

    [Benchmark(Description = "real transpose product, 256 x 256")]
    public double[] RealTranspose()
    {
        BlockProducts.TransposeMultiply(_block, BenchmarkWorkload.BlockSize, _delta, _output);
        return _output;
    }

    [Benchmark(Description = "real rank-one update, 256 x 256")]
    public double[] RealUpdate()
    {
        BlockProducts.RankOneUpdate(_block, _delta, _input, 1e-9);
        return _block;
    }

    [Benchmark(Description = "complex product, 128 x 256 (same words)")]
    public double[] ComplexProduct()
    {
        BlockProducts.ComplexMultiply(_block, BenchmarkWorkload.BlockSize / 2, _complexInput, _complexOutput);
        return _complexOutput;
    }

    [Benchmark(Description = "complex conjugate-transpose product, 128 x 256")]
    public double[] ComplexConjugateTranspose()
    {
        BlockProducts.ComplexConjugateTransposeMultiply(_block, BenchmarkWorkload.BlockSize / 2, _complexDelta, _complexBackward);
        return _complexBackward;
    }

    [Benchmark(Description = "complex rank-one update, 128 x 256")]
    public double[] ComplexUpdate()
    {
        BlockProducts.ComplexRankOneUpdate(_block, _complexDelta, _complexInput, 1e-9);
        return _block;
    }

    [Benchmark(Description = "node encode + product, real GPD (Chebyshev)")]
    public double[] RealNode()
    {
        _real.Encode(PassKind.Forward, 5, _operand, 1, _encodedReal);
        _real.Product(PassKind.Forward, 5, _encodedReal, 1, _outReal);
        return _outReal;
    }

    [Benchmark(Description = "node encode + product, unit-circle GPD")]
    public double[] CircleNode()
    {
        _circle.Encode(PassKind.Forward, 5, _operand, 1, _encodedCircle);
        _circle.Product(PassKind.Forward, 5, _encodedCircle, 1, _outCircle);
        return _outCircle;
    }
}
