using BenchmarkDotNet.Attributes;
using SoftErrorSim.Core.Training;

namespace SoftErrorSim.Benchmarks;

/// <summary>
/// Coded training iterations against fault-free ones (issue 4, section 5): MNIST, 784-1000-1000-10,
/// batch 1, GPD with m = n = 2 on P = 8 nodes, 100 SGD iterations per operation (checkpoint every
/// 50, as by default), against 100 fault-free iterations (the uncoded partition on mn = 4 nodes,
/// no faults, no checks). The target: Ratio &lt;= 1.5 x P/(mn) = 3.
/// </summary>
[MemoryDiagnoser]
public class TrainingBenchmarks
{
    private const int Iterations = 100;
    private Dataset _train = null!;
    private Dataset _test = null!;

    [GlobalSetup]
    public void Setup() => (_train, _test) = MnistDataset.Load().Split(Iterations, 1, 1);

    [Benchmark(Baseline = true, Description = "100 fault-free iterations, 784-1000-1000-10")]
    public double FaultFree() => Run(TrainingScheme.FaultFree, 0);

    [Benchmark(Description = "100 GPD iterations, P=8 m=n=2, eps=0")]
    public double GpdClean() => Run(TrainingScheme.Gpd, 0);

    [Benchmark(Description = "100 GPD iterations, P=8 m=n=2, eps=3e-4 sparse-weight")]
    public double GpdFaulty() => Run(TrainingScheme.Gpd, 3e-4);

    private double Run(TrainingScheme scheme, double errorRate)
    {
        var settings = new TrainingSettings
        {
            Scheme = scheme,
            Layers = [784, 1000, 1000, 10],
            TrainSamples = Iterations,
            TestSamples = 1,
            Rounds = 1,
            NodeCount = 8,
            ErrorRate = errorRate,
            CheckpointEvery = 50,
            Threads = 1,
        };
        return CodedTraining.Run(settings, _train, _test).Rows[^1].Loss;
    }
}
