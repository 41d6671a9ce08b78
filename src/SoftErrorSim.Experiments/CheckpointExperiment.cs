using System.Globalization;
using SoftErrorSim.Core.Training;
using SoftErrorSim.Reporting;

namespace SoftErrorSim.Experiments;

/// <summary>Figure 7 (SPEC 8.7): expected training time with checkpointing against the checkpoint interval.</summary>
internal sealed class CheckpointExperiment : Experiment
{
    private const double ErrorRate = 5e-4;

    /// <summary>Nodes of the run: replication r = 2 of m = n = 2, every node computes every product.</summary>
    private const int Nodes = 8;

    public override string Id => "checkpoint-interval";

    public override string Question => "When every detected fault rolls training back to the last verified checkpoint (replication with r = 2 only detects), which checkpoint interval K minimises the expected training time?";

    public override string Theory => "A renewal process (experiments/checkpoint-interval.md): each segment of K steps ends in a verified checkpoint (cost C); a step fails with q = 1 - (1 - eps)^40 (5 passes of 8 node products) and aborts at the failing pass (cost phi_i), then reads the checkpoint back (R) and the segment restarts. E T(K) = N c + (N/K) C + (N/K)(s^-K - 1) E[Y], Y = c (j - 1) + phi_i + R the waste of a failed attempt. c and C come from fault-free runs, phi_i from runs with one forced fault in pass i, R from the cost model; the band on the mean of the seeds is Chernoff's bound on the segments' compound geometric excess.";

    public override ExperimentOutput Run(ExperimentContext context)
    {
        int[] intervals = context.Quick ? [5, 25] : [2, 4, 5, 10, 20, 25, 50, 100];
        var seeds = Enumerable.Range(0, context.Quick ? 2 : 24).Select(i => context.Seed + (ulong)i).ToArray();
        var template = new TrainingSettings
        {
            Scheme = TrainingScheme.Replication,
            Layers = [20, 32, 32, 4],
            TrainSamples = 400,
            TestSamples = 100,
            Rounds = 4,
            LearningRate = 0.05,
            NodeCount = Nodes,
            Fault = FaultKind.Gaussian,
            Steps = FaultSteps.Product,
            Seed = context.Seed,
            Threads = 1,
        };
        var (train, test) = SyntheticDataset.Generate(500, 20, 4, context.Seed).Split(400, 100, context.Seed);
        var steps = template.TrainSamples;
        TrainingResult Train(int interval, double rate, ulong seed) =>
            CodedTraining.Run(template with { CheckpointEvery = interval, ErrorRate = rate, Seed = seed }, train, test, null, context.CancellationToken);

        // c and C from fault-free runs: T0(K) = N c + (N/K) C, fitted at the extreme intervals and
        // checked at every other one.
        var faultFree = intervals.ToDictionary(k => k, k => Train(k, 0, context.Seed).Rows[^1].SimulatedSeconds);
        var (first, last) = (intervals[0], intervals[^1]);
        var checkpointCost = (faultFree[first] - faultFree[last]) / (((double)steps / first) - ((double)steps / last));
        var stepCost = (faultFree[last] - (steps / (double)last * checkpointCost)) / steps;
        var restore = Train(first, 0, context.Seed).CheckpointTransferSeconds;

        // phi_i: one forced fault in pass i of the first step (node 0), measured against the
        // fault-free run: the run pays the aborted step's prefix phi_i and the restore R once more.
        var passes = new (int Layer, bool Forward)[] { (0, true), (1, true), (2, true), (2, false), (1, false) };
        var phases = passes.Select(p =>
        {
            var fired = false;
            var forced = CodedTraining.Run(template with { CheckpointEvery = first }, train, test, site =>
            {
                if (fired || site.Sample != 0 || site.Step != FaultSteps.Product || site.Layer != p.Layer || site.Forward != p.Forward || site.Node != 0)
                {
                    return false;
                }

                fired = true;
                return true;
            });
            return forced.Rows[^1].SimulatedSeconds - faultFree[first] - restore;
        }).ToArray();

        var passFailure = 1 - Math.Pow(1 - ErrorRate, Nodes);
        var alpha = FalseAlarm.CheckpointInterval / intervals.Length;
        var rows = new List<IReadOnlyList<string>>();
        var points = new List<(int K, double Mean, double Min, double Max, RenewalTheory Theory, (double Low, double High) Band)>();
        foreach (var k in intervals)
        {
            var times = seeds.Select(seed => Train(k, ErrorRate, seed).Rows[^1].SimulatedSeconds).ToArray();
            var mean = times.Average();
            var sd = Math.Sqrt(times.Sum(t => (t - mean) * (t - mean)) / Math.Max(1, times.Length - 1));
            var theory = new RenewalTheory(stepCost, checkpointCost, restore, phases, passFailure, k);
            var band = theory.Band(steps, seeds.Length, alpha);
            points.Add((k, mean, times.Min(), times.Max(), theory, band));
            rows.Add([I(k), N(mean), N(theory.Expected(steps)), N(band.Low), N(band.High), N(times.Min()), N(times.Max()), N(sd), N(faultFree[k]), I(seeds.Length)]);
        }

        var outside = points.Where(p => p.Mean < p.Band.Low || p.Mean > p.Band.High).ToList();
        var checks = new List<ExperimentCheck>
        {
            Check(
                "fault-free time is N c + (N/K) C at every K (the cost model is what the theory assumes; exact to 1e-9)",
                intervals.All(k => Math.Abs(faultFree[k] - ((steps * stepCost) + (steps / (double)k * checkpointCost))) <= 1e-9 * faultFree[k]),
                $"c = {stepCost:0.###e0} s, C = {checkpointCost:0.###e0} s, R = {restore:0.###e0} s, phi = {string.Join("/", phases.Select(f => (f / stepCost).ToString("0.00", CultureInfo.InvariantCulture)))} c"),
            Check(
                $"the mean time of {seeds.Length} seeds lies in the renewal process's band at every K (Chernoff, {intervals.Length} intervals at {FalseAlarm.Text(alpha)} each)",
                outside.Count == 0,
                string.Join(", ", points.Select(p => string.Create(CultureInfo.InvariantCulture, $"K={p.K}: {p.Mean / p.Theory.Expected(steps):0.000} in [{p.Band.Low / p.Theory.Expected(steps):0.000}, {p.Band.High / p.Theory.Expected(steps):0.000}]")))),
        };

        var xs = intervals.Select(k => (double)k).ToList();
        var q = points[0].Theory.StepFailure;
        var png = FigurePlot.Render(
            new FigureLayout(
                string.Create(CultureInfo.InvariantCulture, $"Training time against checkpoint interval: replication r = 2, eps = {ErrorRate:0e0} per node per product (q = {q:0.000} per step)"),
                "checkpoint interval K (SGD steps, log scale; labelled at the measured K)",
                "simulated training time for 400 steps (s)")
            { LogX = true, XTicks = xs },
            [
                new FigureSeries($"Monte Carlo: mean of {seeds.Length} seeds\n(bars: fastest and slowest seed)", xs, points.Select(p => p.Mean).ToList(), FigureStyle.Markers)
                {
                    Scheme = "replication",
                    Low = points.Select(p => p.Min).ToList(),
                    High = points.Select(p => p.Max).ToList(),
                },
                new FigureSeries("expectation E T(K) of the renewal process", xs, points.Select(p => p.Theory.Expected(steps)).ToList(), FigureStyle.DashedLine) { Scheme = "replication" },
                new FigureSeries(string.Create(CultureInfo.InvariantCulture, $"band of the {seeds.Length}-seed mean\n(false alarm {FalseAlarm.Text(alpha)} per K)"), xs, points.Select(p => p.Band.High).ToList(), FigureStyle.DashedLine) { Color = 2 },
                new FigureSeries("band, lower edge", xs, points.Select(p => p.Band.Low).ToList(), FigureStyle.DashedLine) { Color = 2 },
                new FigureSeries("fault-free: N c + (N/K) C", xs, intervals.Select(k => faultFree[k]).ToList(), FigureStyle.DashedLine) { Scheme = "fault-free" },
            ]);
        return new ExperimentOutput(
            CsvTable.Write(["checkpoint_interval", "simulated_seconds", "expected_seconds", "band_low", "band_high", "seed_min", "seed_max", "seed_sd", "fault_free_seconds", "seeds"], rows),
            new Dictionary<string, byte[]> { ["figure.png"] = png },
            new
            {
                intervals,
                error_rate = ErrorRate,
                q,
                step_seconds = stepCost,
                checkpoint_seconds = checkpointCost,
                restore_seconds = restore,
                failed_step_seconds = phases,
                seeds = seeds.Length,
                template.Layers,
                template.TrainSamples,
                nodes = Nodes,
                false_alarm = FalseAlarm.CheckpointInterval,
            },
            checks);
    }
}
