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
/// The stages of one probability-one decode of the <see cref="DecoderBenchmarks"/> word with six
/// errors, each as a ratio to the whole decode (the baseline), to show where its time goes. The
/// stages follow <see cref="ProbabilityOneDecoder"/>: screen erasures, check all P outputs, find the
/// significant syndrome span, test every parity column against it, factor the system of the P - 6
/// survivors, check them, interpolate.
/// </summary>
[MemoryDiagnoser]
public class DecoderStageBenchmarks
{
    private RealLinearCode _code = null!;
    private Matrix<double> _struck = null!;
    private int[] _allRows = null!;
    private int[] _survivors = null!;
    private double[] _syndrome = null!;
    private double[] _word = null!;
    private int _length;
    private Matrix<double> _parity = null!;
    private double _noiseFloor;
    private Matrix<double> _basis = null!;
    private SubsetSystem _survivorSystem = null!;

    [GlobalSetup]
    public void Setup()
    {
        var pass = (GpdPass)CodedPass.Create(
            BenchmarkWorkload.Configuration,
            PassKind.Forward,
            new PassShape(BenchmarkWorkload.BlockSize, BenchmarkWorkload.BlockSize),
            new RandomSource(BenchmarkWorkload.Seed));
        _code = pass.Code.ForwardCode;
        var random = new RandomSource(BenchmarkWorkload.Seed + 1);
        _struck = pass.CleanOutputs.Clone();
        var rows = random.Sample(pass.ActiveNodes.Count, DecoderBenchmarks.ErrorCount);
        DecodeCampaign.Inject(pass, new ErrorValueModel { Kind = ErrorModelKind.Gaussian }, _struck, rows, random);
        _allRows = _code.AllRows();
        _survivors = _allRows.Except(rows).ToArray();
        _word = DenseKernels.RowMajor(_struck);
        _length = _struck.ColumnCount;
        var check = ConsistencyCheck.Check(_code, _allRows, _word, _length);
        _syndrome = check.Syndrome!;
        _parity = check.System.ParityCheck;
        _noiseFloor = check.NoiseFloor;
        _basis = SyndromeSpan.Significant(_syndrome, _parity.RowCount, _length, _noiseFloor)!.Value.Basis;
        _survivorSystem = _code.System(_survivors);
    }

    [Benchmark(Baseline = true, Description = "whole decode, 6 errors")]
    public LinearDecodeResult WholeDecode() => ProbabilityOneDecoder.Instance.Decode(_code, _struck, new RandomSource(BenchmarkWorkload.Seed));

    [Benchmark(Description = "1 erasure screen")]
    public List<int> Erasures() => ReceivedWord.Erasures(_struck);

    [Benchmark(Description = "2 check of all P outputs")]
    public bool CheckAll() => ConsistencyCheck.Check(_code, _allRows, _word, _length).Consistent;

    [Benchmark(Description = "3 significant syndrome span")]
    public int Significant() => SyndromeSpan.Significant(_syndrome, _parity.RowCount, _length, _noiseFloor)!.Value.Rank;

    [Benchmark(Description = "4 distances of P parity columns")]
    public double Distances()
    {
        double sum = 0;
        foreach (var p in _allRows)
        {
            sum += SyndromeSpan.Distance(_parity, p, _basis);
        }

        return sum;
    }

    [Benchmark(Description = "5 factor survivors' system (SVD)")]
    public SubsetSystem FactorSurvivors() => _code.System(_survivors);

    [Benchmark(Description = "6 check of survivors (incl. factoring)")]
    public bool CheckSurvivors() => ConsistencyCheck.Check(_code, _survivors, _word, _length).Consistent;

    [Benchmark(Description = "7 interpolate from survivors")]
    public Matrix<double> Interpolate() => _survivorSystem.Interpolate(_word, _length);
}
