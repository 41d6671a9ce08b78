using BenchmarkDotNet.Attributes;
using MathNet.Numerics.LinearAlgebra;
using SoftErrorSim.Core.Coding;
using SoftErrorSim.Core.Decoding;
using SoftErrorSim.Core.Faults;
using SoftErrorSim.Core.MonteCarlo;
using SoftErrorSim.Core.Passes;
using SoftErrorSim.Core.Randomness;

namespace SoftErrorSim.Benchmarks;

/// <summary>
/// Decoding a GPD forward pass (m = n = 3, K_fwd = 11, P = 24, 256 x 256 blocks) as a ratio to
/// the P coded products it decodes. The target: a probability-one decode costs at most half of
/// those products (Ratio &lt;= 0.5). Six errors is the most bounded-distance decoding guarantees,
/// floor((P - K)/2) = floor(13/2) = 6, and well inside probability one's P - K - 1 = 12.
/// </summary>
[MemoryDiagnoser]
public class DecoderBenchmarks
{
    /// <summary>The number of erring nodes of the "with errors" cases: floor((24 - 11)/2).</summary>
    public const int ErrorCount = 6;

    private RealLinearCode _forwardCode = null!;
    private Matrix<double> _clean = null!;
    private Matrix<double> _struck = null!;
    private Matrix<double>[] _stored = null!;
    private Vector<double>[] _encodedInputs = null!;
    private double[][] _destinations = null!;

    [GlobalSetup]
    public void Setup()
    {
        var pass = (GpdPass)CodedPass.Create(
            BenchmarkWorkload.Configuration,
            PassKind.Forward,
            new PassShape(BenchmarkWorkload.BlockSize, BenchmarkWorkload.BlockSize),
            new RandomSource(BenchmarkWorkload.Seed));
        _forwardCode = pass.Code.ForwardCode;
        _clean = pass.CleanOutputs;

        // Errors are injected once and the struck word reused: the decoders do not modify it.
        var random = new RandomSource(BenchmarkWorkload.Seed + 1);
        _struck = pass.CleanOutputs.Clone();
        var rows = random.Sample(pass.ActiveNodes.Count, ErrorCount);
        DecodeCampaign.Inject(pass, new ErrorValueModel { Kind = ErrorModelKind.Gaussian }, _struck, rows, random);

        // The baseline multiplies operands of the pass's shapes drawn afresh: GpdPass keeps its
        // stored blocks private, and a dense product's cost does not depend on the values.
        (_stored, _encodedInputs) = BenchmarkWorkload.CodedOperands(pass.Code, random);
        _destinations = BenchmarkWorkload.Destinations(pass.Code.NodeCount);

        // Measure the intended paths only: every decode here must succeed and blame exactly the struck rows.
        Expect(ProbabilityOneDecoder.Instance, _clean, []);
        Expect(ProbabilityOneDecoder.Instance, _struck, rows);
        Expect(BoundedDistanceDecoder.Instance, _clean, []);
        Expect(BoundedDistanceDecoder.Instance, _struck, rows);
    }

    [Benchmark(Baseline = true, Description = "coded products (all P = 24), Core kernel")]
    public Vector<double>[] AllCodedProducts() => BenchmarkWorkload.AllCodedProducts(_stored, _encodedInputs);

    /// <summary>
    /// The same P products by a plain SIMD loop with no allocation: what they cost once the
    /// library overhead is gone, so the decode can also be read against an efficient pass.
    /// </summary>
    [Benchmark(Description = "coded products (all P = 24), reference SIMD axpy")]
    public double[][] AllCodedProductsReference() => BenchmarkWorkload.AllReferenceProducts(_stored, _encodedInputs, _destinations);

    [Benchmark(Description = "probability-one, 0 errors")]
    public LinearDecodeResult ProbabilityOneClean() => ProbabilityOneDecoder.Instance.Decode(_forwardCode, _clean, new RandomSource(BenchmarkWorkload.Seed));

    [Benchmark(Description = "probability-one, 6 errors")]
    public LinearDecodeResult ProbabilityOneStruck() => ProbabilityOneDecoder.Instance.Decode(_forwardCode, _struck, new RandomSource(BenchmarkWorkload.Seed));

    [Benchmark(Description = "bounded-distance, 0 errors")]
    public LinearDecodeResult BoundedDistanceClean() => BoundedDistanceDecoder.Instance.Decode(_forwardCode, _clean, new RandomSource(BenchmarkWorkload.Seed));

    [Benchmark(Description = "bounded-distance, 6 errors")]
    public LinearDecodeResult BoundedDistanceStruck() => BoundedDistanceDecoder.Instance.Decode(_forwardCode, _struck, new RandomSource(BenchmarkWorkload.Seed));

    private void Expect(ILinearDecoder decoder, Matrix<double> received, IReadOnlyList<int> struck)
    {
        var result = decoder.Decode(_forwardCode, received, new RandomSource(BenchmarkWorkload.Seed));
        if (result.Status != DecodeStatus.Decoded || !result.BlamedSymbols.SequenceEqual(struck.Order()))
        {
            throw new InvalidOperationException(
                $"{decoder.GetType().Name} did not decode the benchmark word as expected: {result.Status}, blamed [{string.Join(", ", result.BlamedSymbols)}], struck [{string.Join(", ", struck.Order())}], {result.Reason}");
        }
    }
}
