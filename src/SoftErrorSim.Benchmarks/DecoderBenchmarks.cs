using BenchmarkDotNet.Attributes;
using SoftErrorSim.Core.Coding;
using SoftErrorSim.Core.Decoding;
using SoftErrorSim.Core.Faults;
using SoftErrorSim.Core.MonteCarlo;
using SoftErrorSim.Core.Passes;
using SoftErrorSim.Core.Randomness;

namespace SoftErrorSim.Benchmarks;

/// <summary>
/// Decoding a GPD forward pass (m = n = 3, K_fwd = 11, P = 24, 256 x 256 blocks) as a ratio to the
/// P coded products it decodes, on real Chebyshev points and on the unit circle. The target: a
/// probability-one decode costs at most half of those products (Ratio &lt;= 0.5). Six errors is the
/// most bounded-distance decoding guarantees, floor((P - K)/2) = 6, well inside P - K - 1 = 12.
/// </summary>
[MemoryDiagnoser]
public class DecoderBenchmarks
{
    /// <summary>The number of erring nodes of the "with errors" cases: floor((24 - 11)/2).</summary>
    public const int ErrorCount = 6;

    private CodedPass _pass = null!;
    private double[] _struck = null!;
    private double[] _operand = null!;
    private double[] _encoded = null!;
    private double[] _outputs = null!;

    /// <summary>The evaluation points.</summary>
    [Params(EvaluationPointKind.Chebyshev, EvaluationPointKind.UnitCircle)]
    public EvaluationPointKind Points { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _pass = CodedPass.Create(
            BenchmarkWorkload.Configuration(Points),
            PassKind.Forward,
            new PassShape(BenchmarkWorkload.BlockSize, BenchmarkWorkload.BlockSize),
            new RandomSource(BenchmarkWorkload.Seed));

        // Errors are injected once and the struck word reused: the decoders do not modify it.
        var random = new RandomSource(BenchmarkWorkload.Seed + 1);
        _struck = (double[])_pass.CleanOutputs.Clone();
        var rows = random.Sample(_pass.ActiveNodes.Count, ErrorCount);
        DecodeCampaign.Inject(_pass, new ErrorValueModel { Kind = ErrorModelKind.Gaussian }, _struck, rows, random);
        _operand = new double[_pass.Layer.Cols];
        random.FillGaussian(_operand);
        _encoded = new double[_pass.Layer.EncodedWords(PassKind.Forward, 1)];
        _outputs = new double[_pass.CleanOutputs.Length];

        // Measure the intended paths only: every decode here must succeed and blame exactly the struck rows.
        Expect(DecoderKind.ProbabilityOne, _pass.CleanOutputs, []);
        Expect(DecoderKind.ProbabilityOne, _struck, rows);
        Expect(DecoderKind.BoundedDistance, _pass.CleanOutputs, []);
        Expect(DecoderKind.BoundedDistance, _struck, rows);
    }

    [Benchmark(Baseline = true, Description = "coded products (all P = 24): encode + multiply")]
    public double[] AllCodedProducts()
    {
        var words = _pass.Words;
        for (var p = 0; p < _pass.Layer.NodeCount; p++)
        {
            _pass.Layer.Encode(PassKind.Forward, p, _operand, 1, _encoded);
            _pass.Layer.Product(PassKind.Forward, p, _encoded, 1, _outputs.AsSpan(p * words, words));
        }

        return _outputs;
    }

    [Benchmark(Description = "probability-one, 0 errors")]
    public PassDecodeResult ProbabilityOneClean() => _pass.Decode(_pass.CleanOutputs, DecoderKind.ProbabilityOne, new RandomSource(BenchmarkWorkload.Seed));

    [Benchmark(Description = "probability-one, 6 errors")]
    public PassDecodeResult ProbabilityOneStruck() => _pass.Decode(_struck, DecoderKind.ProbabilityOne, new RandomSource(BenchmarkWorkload.Seed));

    [Benchmark(Description = "bounded-distance, 0 errors")]
    public PassDecodeResult BoundedDistanceClean() => _pass.Decode(_pass.CleanOutputs, DecoderKind.BoundedDistance, new RandomSource(BenchmarkWorkload.Seed));

    [Benchmark(Description = "bounded-distance, 6 errors")]
    public PassDecodeResult BoundedDistanceStruck() => _pass.Decode(_struck, DecoderKind.BoundedDistance, new RandomSource(BenchmarkWorkload.Seed));

    private void Expect(DecoderKind decoder, double[] received, IReadOnlyList<int> struck)
    {
        var result = _pass.Decode(received, decoder, new RandomSource(BenchmarkWorkload.Seed));
        if (result.Status != DecodeStatus.Decoded || !result.BlamedNodes.SequenceEqual(struck.Order()))
        {
            throw new InvalidOperationException(
                $"{decoder} did not decode the benchmark word as expected: {result.Status}, blamed [{string.Join(", ", result.BlamedNodes)}], struck [{string.Join(", ", struck.Order())}], {result.Reason}");
        }
    }
}
