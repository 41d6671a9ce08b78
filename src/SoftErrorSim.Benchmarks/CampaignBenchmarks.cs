using BenchmarkDotNet.Attributes;
using MathNet.Numerics.LinearAlgebra;
using SoftErrorSim.Core.Coding;
using SoftErrorSim.Core.Kernels;
using SoftErrorSim.Core.MonteCarlo;
using SoftErrorSim.Core.Randomness;

namespace SoftErrorSim.Benchmarks;

/// <summary>
/// The campaign named by the throughput target (issue 3, section 7): GPD, P = 12, m = n = 2,
/// forward outputs of 64 words (64 x 16 blocks), gaussian errors, per-node error rate 0.05,
/// 20,000 decode trials, on 1 and on 2 threads. The baseline is 20,000 uncoded forward products
/// of the same W (128 x 32) on one thread: the Ratio column says how many uncoded products one
/// Monte Carlo trial (encode-free: strike, decode, classify) costs, plain or stratified.
/// </summary>
[MemoryDiagnoser]
public class CampaignBenchmarks
{
    private const int Trials = 20_000;

    private RateCampaignSettings _settings = null!;
    private Matrix<double> _weights = null!;
    private double[] _input = null!;
    private double[] _output = null!;

    /// <summary>Worker threads of the campaign (the baseline always runs on one).</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    /// <summary>The evaluation points of the code.</summary>
    [Params(EvaluationPointKind.Chebyshev, EvaluationPointKind.UnitCircle)]
    public EvaluationPointKind Points { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _settings = new RateCampaignSettings
        {
            Code = new CodeConfiguration { Scheme = SchemeKind.Gpd, NodeCount = 12, RowSplit = 2, ColumnSplit = 2, Points = Points },
            Shape = new PassShape(64, 16),
            ErrorRates = [0.05],
            Trials = Trials,
            Threads = Threads,
        };
        var random = new RandomSource(BenchmarkWorkload.Seed);
        _weights = BenchmarkWorkload.Gaussian(2 * 64, 2 * 16, random);
        _input = new double[2 * 16];
        random.FillGaussian(_input);
        _output = new double[2 * 64];

        // Measure the intended path: the campaign must agree with the analytic oracle.
        var row = RateCampaign.Run(_settings with { Trials = 4000 }).Single();
        var p = row.AnalyticSuccessRate!.Value;
        if (Math.Abs(row.Counts.SuccessRate - p) > (5 * Math.Sqrt(p * (1 - p) / 4000)) + 1e-9 || row.Counts.Corrected == 0)
        {
            throw new InvalidOperationException($"campaign disagrees with the oracle: {row.Counts} vs {p}");
        }
    }

    [Benchmark(Baseline = true, Description = "20,000 uncoded forward products W x (128 x 32), 1 thread")]
    public double UncodedProducts()
    {
        double sum = 0;
        for (var t = 0; t < Trials; t++)
        {
            BlockProducts.Multiply(_weights, _input, _output);
            sum += _output[t % _output.Length];
        }

        return sum;
    }

    [Benchmark(Description = "20,000 decode trials, GPD P=12 m=n=2, eps=0.05")]
    public OutcomeCounts Campaign() => RateCampaign.Run(_settings).Single().Counts;

    /// <summary>
    /// One stratified point of the same code and outputs at eps = 0.02 (failure rate 9.3e-10 by
    /// the oracle): 20,000 exact-count trials spread over the strata, most of them in e = 7, the
    /// first stratum beyond the tolerance, where every decode must detect its failure.
    /// </summary>
    [Benchmark(Description = "20,000 stratified trials, GPD P=12 m=n=2, eps=0.02")]
    public double Stratified()
    {
        var template = _settings with { ErrorRates = [0.02], Estimator = SweepEstimator.Stratified };
        var plan = new SweepPlan([template.Code], []);
        return Sweep.Run(plan, template, Sweep.Blocks(plan, template, ShardSpec.Whole, Sweep.DefaultBlockTrials)).Single().Stratified!.Failure.Rate;
    }
}
