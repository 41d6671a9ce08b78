using System.Globalization;
using SoftErrorSim.Core.Training;
using SoftErrorSim.Reporting;

namespace SoftErrorSim.Experiments;

/// <summary>Figure 6: training under faults in the CodeNet setting, scaled to run in minutes.</summary>
internal sealed class TrainingExperiment : Experiment
{
    public override string Id => "training-under-faults";

    public override string Question => "Under CodeNet's soft errors (sparse-weight faults at eps = 3e-4 per node per product and update), which strategies still train MNIST as well as fault-free training, and at what cost in simulated time?";

    public override string Theory => "GPD and CodeNet correct located faults and repair blocks, so their accuracy and loss follow the fault-free run; replication (r = 3) votes and repairs; uncoded training absorbs every fault silently and is measurably worse.";

    public override ExperimentOutput Run(ExperimentContext context)
    {
        var template = new TrainingSettings
        {
            Layers = context.Quick ? [784, 32, 32, 10] : [784, 200, 200, 10],
            TrainSamples = context.Quick ? 200 : 2000,
            TestSamples = context.Quick ? 100 : 500,
            Rounds = context.Quick ? 2 : 10,
            LearningRate = 0.005,
            NodeCount = 12,
            RowNodes = 4,
            ColumnNodes = 4,
            ErrorRate = 3e-4,
            Fault = FaultKind.SparseWeight,
            Steps = FaultSteps.Product | FaultSteps.Update,
            CheckpointEvery = 50,
            Seed = context.Seed,
            Threads = context.Threads,
        };
        var (train, test) = MnistDataset.Load().Split(template.TrainSamples, template.TestSamples, template.Seed);
        var results = new[] { TrainingScheme.FaultFree, TrainingScheme.Gpd, TrainingScheme.Mds, TrainingScheme.Replication, TrainingScheme.Uncoded }
            .Select(s => CodedTraining.Run(template with { Scheme = s }, train, test, null, context.CancellationToken))
            .ToDictionary(r => r.Settings.Scheme);
        var rows = results.Values.SelectMany(TrainCsv.Rows).ToList();
        double Final(TrainingScheme s) => results[s].Rows.Count > 0 ? results[s].Rows[^1].TestAccuracy : double.NaN;
        var reference = Final(TrainingScheme.FaultFree);
        var checks = new List<ExperimentCheck>
        {
            Check("every scheme finished every round", results.Values.All(r => r.Stopped is null && r.Rows.Count == template.Rounds), string.Join(", ", results.Values.Select(r => $"{TrainingSettings.Name(r.Settings.Scheme)}: {r.Rows.Count} rounds"))),
        };
        if (!context.Quick)
        {
            checks.Add(Check("GPD ends within 2 points of fault-free test accuracy", Final(TrainingScheme.Gpd) >= reference - 0.02, $"{Final(TrainingScheme.Gpd):P1} vs {reference:P1}"));
            checks.Add(Check("CodeNet ends within 2 points of fault-free test accuracy", Final(TrainingScheme.Mds) >= reference - 0.02, $"{Final(TrainingScheme.Mds):P1} vs {reference:P1}"));
            checks.Add(Check("uncoded training ends measurably below fault-free", Final(TrainingScheme.Uncoded) < reference - 0.02, $"{Final(TrainingScheme.Uncoded):P1} vs {reference:P1}"));
            checks.Add(Check("GPD never accepted a wrong decode", results[TrainingScheme.Gpd].Rows[^1].Miscorrected == 0, $"{results[TrainingScheme.Gpd].Rows[^1].Corrected} corrected"));
        }

        var byTime = FigurePlot.Render(
            new FigureLayout("Test accuracy against simulated time (cost model: 1 GFLOP/s per node, 1 GB/s links, 10 us latency)", "simulated seconds", "test accuracy (%)") { YFromZero = true },
            results.Values.Select(r => new FigureSeries(
                TrainingSettings.Name(r.Settings.Scheme),
                r.Rows.Select(x => x.SimulatedSeconds).ToList(),
                r.Rows.Select(x => 100 * x.TestAccuracy).ToList())
            { Scheme = TrainingSettings.Name(r.Settings.Scheme) }).ToList());
        return new ExperimentOutput(
            TrainCsv.Write(rows),
            new Dictionary<string, byte[]> { ["figure.png"] = TrainPlot.Render(rows), ["figure-time.png"] = byTime },
            new { template.Layers, template.TrainSamples, template.TestSamples, template.Rounds, template.LearningRate, nodes = 12, grid = "4 x 4 (mds)", template.ErrorRate, fault = "sparse-weight", steps = "product,update", template.CheckpointEvery },
            checks);
    }
}

/// <summary>Figure 7: expected training time with checkpointing against the checkpoint interval.</summary>
internal sealed class CheckpointExperiment : Experiment
{
    public override string Id => "checkpoint-interval";

    public override string Question => "When every detected fault rolls training back to the last verified checkpoint (replication with r = 2 only detects), which checkpoint interval K minimises the expected training time?";

    public override string Theory => "With per-step failure probability q = 1 - (1 - eps)^F (F node products per step), step time c, checkpoint time C (verification and write) and restore time R, a segment of K steps needs (s^-K - 1)/q step executions and s^-K - 1 restores (s = 1 - q), so T(K) = (N/K) (c (s^-K - 1)/q + C + R (s^-K - 1)): short intervals pay C often, long ones redo many steps. c and C are measured from fault-free runs, R is the cost model's checkpoint transfer.";

    public override ExperimentOutput Run(ExperimentContext context)
    {
        int[] intervals = context.Quick ? [5, 25] : [2, 4, 5, 10, 20, 25, 50, 100];
        ulong[] seeds = context.Quick ? [context.Seed] : [context.Seed, context.Seed + 1, context.Seed + 2];
        const double ErrorRate = 5e-4;
        var template = new TrainingSettings
        {
            Scheme = TrainingScheme.Replication,
            Layers = [20, 32, 32, 4],
            TrainSamples = 400,
            TestSamples = 100,
            Rounds = 4,
            LearningRate = 0.05,
            NodeCount = 8,
            Fault = FaultKind.Gaussian,
            Steps = FaultSteps.Product,
            Seed = context.Seed,
            Threads = 1,
        };
        var (train, test) = SyntheticDataset.Generate(500, 20, 4, context.Seed).Split(400, 100, context.Seed);
        var restore = 0.0;
        double Time(int interval, double rate, ulong seed)
        {
            var run = CodedTraining.Run(template with { CheckpointEvery = interval, ErrorRate = rate, Seed = seed }, train, test, null, context.CancellationToken);
            restore = run.CheckpointTransferSeconds;
            return run.Rows[^1].SimulatedSeconds;
        }

        // c and C from two fault-free runs: T0(K) = N c + (N/K) C.
        var n = template.TrainSamples;
        var faultFree = intervals.ToDictionary(k => k, k => Time(k, 0, context.Seed));
        var (t2, t100) = (faultFree[intervals[0]], faultFree[intervals[^1]]);
        var checkpointCost = (t2 - t100) / ((double)n / intervals[0] - (double)n / intervals[^1]);
        var stepCost = (t100 - (n / (double)intervals[^1] * checkpointCost)) / n;
        const int ProductsPerStep = 8 * (3 + 2); // P nodes x (3 forward + 2 backward products)
        var q = 1 - Math.Pow(1 - ErrorRate, ProductsPerStep);
        // Each of the (s^-K - 1) expected failures per segment also reads the checkpoint back.
        double Theory(int k) => n / (double)k * ((stepCost * (Math.Pow(1 - q, -k) - 1) / q) + checkpointCost + (restore * (Math.Pow(1 - q, -k) - 1)));

        var rows = new List<IReadOnlyList<string>>();
        var measured = new List<double>();
        foreach (var k in intervals)
        {
            var mean = seeds.Average(seed => Time(k, ErrorRate, seed));
            measured.Add(mean);
            rows.Add([I(k), N(mean), N(Theory(k)), N(faultFree[k]), I(seeds.Length)]);
        }

        var ratios = intervals.Select((k, i) => measured[i] / Theory(k)).ToList();
        var checks = new List<ExperimentCheck>
        {
            Check("fault-free time is N c + (N/K) C at every K (the cost model is what the theory assumes)", intervals.All(k => Math.Abs(faultFree[k] - ((n * stepCost) + (n / (double)k * checkpointCost))) <= 1e-9 * faultFree[k]), $"c = {stepCost:0.###e0} s, C = {checkpointCost:0.###e0} s, R = {restore:0.###e0} s"),
        };
        if (!context.Quick)
        {
            checks.Add(Check("Monte Carlo time lies within 15% of the expectation at every interval", ratios.All(r => r is > 0.85 and < 1.15), string.Join(", ", intervals.Select((k, i) => $"K={k}: {ratios[i]:0.00}"))));
        }

        var xs = intervals.Select(k => (double)k).ToList();
        var png = FigurePlot.Render(
            new FigureLayout(string.Create(CultureInfo.InvariantCulture, $"Training time against checkpoint interval: replication r = 2, eps = {ErrorRate:0e0} per node per product (q = {q:0.000} per step)"), "checkpoint interval K (SGD steps, log scale; labelled at the measured K)", "simulated training time for 400 steps (s)") { LogX = true, XTicks = xs },
            [
                new FigureSeries($"Monte Carlo, mean of {seeds.Length} seed{(seeds.Length == 1 ? string.Empty : "s")}\n(the data holds no per-seed spread)", xs, measured, FigureStyle.Markers) { Scheme = "replication" },
                new FigureSeries("expectation T(K)\n= (N/K)(c (s^-K - 1)/q + C + R (s^-K - 1))", xs, intervals.Select(Theory).ToList(), FigureStyle.DashedLine) { Scheme = "replication" },
                new FigureSeries("fault-free: N c + (N/K) C", xs, intervals.Select(k => faultFree[k]).ToList(), FigureStyle.DashedLine) { Scheme = "fault-free" },
            ]);
        return new ExperimentOutput(
            CsvTable.Write(["checkpoint_interval", "simulated_seconds", "expected_seconds", "fault_free_seconds", "seeds"], rows),
            new Dictionary<string, byte[]> { ["figure.png"] = png },
            new { intervals, error_rate = ErrorRate, q, step_seconds = stepCost, checkpoint_seconds = checkpointCost, restore_seconds = restore, template.Layers, template.TrainSamples, nodes = 8 },
            checks);
    }
}
