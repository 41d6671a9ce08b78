using BenchmarkDotNet.Attributes;
using MathNet.Numerics.LinearAlgebra;
using SoftErrorSim.Core.Coding;
using SoftErrorSim.Core.Randomness;

namespace SoftErrorSim.Benchmarks;

/// <summary>
/// The per-node work of a GPD forward pass (m = n = 3, P = 24, 256 x 256 blocks), as ratios to
/// the uncoded product one node would do: a 256 x 256 block times a 256-vector.
/// </summary>
[MemoryDiagnoser]
public class ProductBenchmarks
{
    private Matrix<double> _uncodedBlock = null!;
    private Vector<double> _uncodedInput = null!;
    private GeneralizedPolyDotCode _code = null!;
    private Vector<double> _input = null!;
    private Matrix<double>[] _stored = null!;
    private Vector<double>[] _encodedInputs = null!;
    private Vector<double> _destination = null!;
    private double[] _destinationArray = null!;
    private double[][] _destinations = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new RandomSource(BenchmarkWorkload.Seed);
        _code = GeneralizedPolyDotCode.From(BenchmarkWorkload.Configuration);
        _uncodedBlock = BenchmarkWorkload.Gaussian(BenchmarkWorkload.BlockSize, BenchmarkWorkload.BlockSize, random);
        _uncodedInput = BenchmarkWorkload.GaussianVector(BenchmarkWorkload.BlockSize, random);
        _input = BenchmarkWorkload.GaussianVector(BenchmarkWorkload.Split * BenchmarkWorkload.BlockSize, random);
        (_stored, _encodedInputs) = BenchmarkWorkload.CodedOperands(_code, random);
        _destination = Vector<double>.Build.Dense(BenchmarkWorkload.BlockSize);
        _destinationArray = new double[BenchmarkWorkload.BlockSize];
        _destinations = BenchmarkWorkload.Destinations(_code.NodeCount);

        // The reference kernel must compute the same product. Only the summation order differs, so
        // they agree to the rounding of 256-term sums, about 256 eps = 6e-14 relative; 1e-12 leaves
        // a wide margin, while an indexing mistake would show as an O(1) deviation.
        var expected = CodedProduct();
        var deviation = (Vector<double>.Build.Dense(CodedProductReference()) - expected).InfinityNorm();
        if (deviation > 1e-12 * expected.InfinityNorm())
        {
            throw new InvalidOperationException($"the reference kernel deviates from the MathNet product by {deviation}");
        }
    }

    [Benchmark(Baseline = true, Description = "uncoded block product (1 node), Core kernel")]
    public Vector<double> UncodedBlockProduct() => BlockProducts.Multiply(_uncodedBlock, _uncodedInput);

    [Benchmark(Description = "uncoded block product (1 node), MathNet operator")]
    public Vector<double> UncodedBlockProductMathNet() => _uncodedBlock * _uncodedInput;

    [Benchmark(Description = "EncodeInput (1 node)")]
    public Vector<double> EncodeInput() => _code.EncodeInput(_input, 0);

    [Benchmark(Description = "coded product (1 node), Core kernel")]
    public Vector<double> CodedProduct() => BlockProducts.Multiply(_stored[0], _encodedInputs[0]);

    [Benchmark(Description = "coded product (1 node), into caller's vector")]
    public Vector<double> CodedProductInto()
    {
        _stored[0].Multiply(_encodedInputs[0], _destination);
        return _destination;
    }

    /// <summary>
    /// A reference point, not code Core uses: the same product by <see cref="BenchmarkWorkload.ReferenceProduct"/>,
    /// which shows how much of the MathNet product's time is library overhead rather than arithmetic.
    /// </summary>
    [Benchmark(Description = "coded product (1 node), reference SIMD axpy")]
    public double[] CodedProductReference()
    {
        BenchmarkWorkload.ReferenceProduct(_stored[0], _encodedInputs[0], _destinationArray);
        return _destinationArray;
    }

    [Benchmark(Description = "coded products (all P = 24)")]
    public Vector<double>[] AllCodedProducts() => BenchmarkWorkload.AllCodedProducts(_stored, _encodedInputs);

    [Benchmark(Description = "coded products (all P = 24), reference SIMD axpy")]
    public double[][] AllCodedProductsReference() => BenchmarkWorkload.AllReferenceProducts(_stored, _encodedInputs, _destinations);
}
