using System.Globalization;
using SoftErrorSim.Core.Training;
using SoftErrorSim.Reporting;

namespace SoftErrorSim.Experiments;

/// <summary>
/// Figure 6 (SPEC 8.6): training under faults in CodeNet's own setting (<see cref="TrainingSettings.CodeNet"/>,
/// `train --preset codenet`) scaled to run in minutes: the curves at CodeNet's eps = 3e-4, and the
/// same runs against the error rate from 1e-4 to 3e-2, where the schemes part.
/// </summary>
internal sealed class TrainingExperiment : Experiment
{
    /// <summary>CodeNet's own rate, at which the curves against iteration and time are drawn.</summary>
    private const double CodeNetRate = 3e-4;

    private static readonly TrainingScheme[] Faulty = [TrainingScheme.Gpd, TrainingScheme.Mds, TrainingScheme.Replication, TrainingScheme.Uncoded];

    public override string Id => "training-under-faults";

    public override string Question => "In CodeNet's setting (train --preset codenet, scaled), which strategies still train MNIST as well as fault-free training as the soft-error rate grows from 1e-4 to 3e-2, and at what cost in rollbacks, repairs and simulated time?";

    public override string Theory => "Sparse-weight faults are continuous random errors: a coded scheme corrects the erring nodes it can locate (GPD 2 x 10 on 40 unit-circle nodes: 9 per pass; CodeNet (7, 5, 6, 4): 1 per grid line; replication 2 x (5 x 4): none, it only detects) and repairs their blocks, so wherever it finishes it trains exactly as fault-free (to rounding); a decode it cannot correct is refused and rolled back, never accepted. Uncoded training absorbs every fault. Each fault site draws once at eps, so the strikes are Bernoulli(eps) draws.";

    public override ExperimentOutput Run(ExperimentContext context)
    {
        double[] rates = context.Quick ? [CodeNetRate, 1e-2] : [1e-4, CodeNetRate, 1e-3, 3e-3, 1e-2, 3e-2];
        TrainingSettings Settings(TrainingScheme scheme, double rate) => TrainingSettings.CodeNet(scheme) with
        {
            Layers = context.Quick ? [784, 40, 40, 10] : [784, 100, 100, 10],
            TrainSamples = context.Quick ? 200 : 1000,
            TestSamples = context.Quick ? 100 : 200,
            Rounds = context.Quick ? 2 : 5,
            ErrorRate = rate,
            Seed = context.Seed,
            Threads = context.Threads,
        };
        var reference = Settings(TrainingScheme.FaultFree, 0);
        var (train, test) = MnistDataset.Load().Split(reference.TrainSamples, reference.TestSamples, reference.Seed);
        TrainingResult Train(TrainingSettings settings) => CodedTraining.Run(settings, train, test, null, context.CancellationToken);
        var faultFree = Train(reference);
        var runs = rates.SelectMany(rate => Faulty.Select(scheme => new SweepRun(scheme, rate, Train(Settings(scheme, rate))))).ToList();

        var checks = Checks(runs, faultFree, rates, reference.Rounds);
        var atCodeNet = runs.Where(r => r.Rate == CodeNetRate).Select(r => r.Result).Prepend(faultFree).ToList();
        var curveRows = atCodeNet.SelectMany(TrainCsv.Rows).ToList();
        var figures = new Dictionary<string, byte[]>
        {
            ["figure.png"] = TrainPlot.Render(curveRows),
            ["figure-time.png"] = ByTime(atCodeNet),
            ["figure-error-rate.png"] = TrainingSweepPlots.Accuracy(runs, faultFree, rates),
            ["figure-error-rate-rollbacks.png"] = TrainingSweepPlots.Events(runs, rates, r => r.Rollbacks, "rollbacks"),
            ["figure-error-rate-repairs.png"] = TrainingSweepPlots.Events(runs, rates, r => r.Repairs, "repairs"),
            ["figure-error-rate-time.png"] = TrainingSweepPlots.Time(runs, faultFree, rates),
            ["sweep.csv"] = System.Text.Encoding.UTF8.GetBytes(TrainingSweepPlots.Summary(runs, faultFree)),
        };
        return new ExperimentOutput(
            TrainCsv.Write(runs.Select(r => r.Result).Prepend(faultFree).SelectMany(TrainCsv.Rows)),
            figures,
            new
            {
                preset = "codenet",
                reference.Layers,
                reference.TrainSamples,
                reference.TestSamples,
                reference.Rounds,
                reference.LearningRate,
                error_rates = rates,
                fault = "sparse-weight",
                steps = "product,update (backward product of every layer)",
                reference.CheckpointEvery,
                nodes = Faulty.ToDictionary(TrainingSettings.Name, s => Settings(s, CodeNetRate).Code.CanonicalText()),
                max_rollbacks_per_round = CodedTraining.MaxRollbacksPerRound,
                false_alarm = FalseAlarm.TrainingUnderFaults,
            },
            checks);
    }

    private static List<ExperimentCheck> Checks(IReadOnlyList<SweepRun> runs, TrainingResult faultFree, IReadOnlyList<double> rates, int rounds)
    {
        // Every run's draws per step kind against its rate, together at the experiment's level.
        var draws = runs.SelectMany(r => r.Result.FaultDraws.Select(d => (Run: r, Draw: d))).ToList();
        var alpha = FalseAlarm.TrainingUnderFaults / Math.Max(1, draws.Count);
        var drifted = draws.Where(x => !StrikeCountBound.Holds(x.Draw.Strikes, x.Draw.Opportunities, x.Run.Rate, alpha)).ToList();
        var coded = runs.Where(r => r.Scheme != TrainingScheme.Uncoded).ToList();
        var miscorrected = coded.Where(r => r.Last is { Miscorrected: > 0 }).ToList();
        var finished = coded.Where(r => r.Finished(rounds)).ToList();
        var reference = faultFree.Rows[^1];

        // Corrected decodes reproduce the fault-free products to 1e-6 of their scale (the success
        // tolerance) and in practice to round-off, 1e-12 or better; over a run that moves the final
        // test loss by far less than 1e-6 relative, while one accepted wrong weight moves it by
        // more (a sparse-weight fault shifts 0.5% of a block by up to 5).
        var unlike = finished.Where(r => r.Last!.TestAccuracy != reference.TestAccuracy || Math.Abs(r.Last.TestLoss - reference.TestLoss) > 1e-6 * reference.TestLoss).ToList();
        var gpdStopped = runs.Where(r => r.Scheme == TrainingScheme.Gpd && !r.Finished(rounds)).ToList();
        var top = rates[^1];
        var uncoded = runs.Single(r => r.Scheme == TrainingScheme.Uncoded && r.Rate == top);
        var gpdTop = runs.Single(r => r.Scheme == TrainingScheme.Gpd && r.Rate == top);
        var replicationWorse = rates.Where(rate => rate >= 1e-3).All(rate =>
        {
            var rep = runs.Single(r => r.Scheme == TrainingScheme.Replication && r.Rate == rate);
            var gpd = runs.Single(r => r.Scheme == TrainingScheme.Gpd && r.Rate == rate);
            return !rep.Finished(rounds) || rep.Last!.Rollbacks > gpd.Last!.Rollbacks;
        });
        string Where(IEnumerable<SweepRun> bad) => string.Join("; ", bad.Take(4).Select(r => r.Label));
        return
        [
            Check(
                $"every run's fault strikes, per step kind, are Bernoulli(eps) draws (time-uniform martingale bound, exact however rollbacks chose the draws: {draws.Count} tests at {FalseAlarm.Text(alpha)} each)",
                drifted.Count == 0,
                drifted.Count == 0 ? $"{draws.Sum(x => x.Draw.Strikes)} strikes in {draws.Sum(x => x.Draw.Opportunities)} draws" : string.Join("; ", drifted.Take(4).Select(x => string.Create(CultureInfo.InvariantCulture, $"{x.Run.Label} {x.Draw.Step}: {x.Draw.Strikes} in {x.Draw.Opportunities}")))),
            Check(
                "no decode of GPD, CodeNet or replication is miscorrected in any run at any eps (exact: sparse-weight errors are continuous random)",
                miscorrected.Count == 0,
                miscorrected.Count == 0 ? $"{coded.Sum(r => r.Last?.Corrected ?? 0)} corrected, {coded.Sum(r => r.Last?.Detected ?? 0)} detected" : Where(miscorrected)),
            Check(
                "wherever a coded scheme finishes, it trains exactly as fault-free (same final test accuracy, test loss within 1e-6 relative)",
                unlike.Count == 0,
                unlike.Count == 0 ? $"{finished.Count} of {coded.Count} coded runs finished" : Where(unlike)),
            Check(
                $"GPD finishes every round at every eps up to {top:0.#e0} (9 erring nodes per pass on 40; giving up takes {CodedTraining.MaxRollbacksPerRound} rollbacks in a round)",
                gpdStopped.Count == 0,
                gpdStopped.Count == 0 ? string.Create(CultureInfo.InvariantCulture, $"{gpdTop.Last!.Rollbacks} rollbacks at {top:0.#e0}") : Where(gpdStopped)),
            Check(
                "replication (2 copies: it only detects) rolls back more often than GPD at every eps from 1e-3, or gives up",
                replicationWorse,
                string.Join(", ", runs.Where(r => r.Scheme == TrainingScheme.Replication).Select(r => r.Label))),
            Check(
                $"uncoded training ends at least 20 accuracy points below fault-free at eps = {top:0.#e0}",
                uncoded.Last is { } u && u.TestAccuracy < reference.TestAccuracy - 0.2,
                string.Create(CultureInfo.InvariantCulture, $"{uncoded.Last?.TestAccuracy:P1} vs {reference.TestAccuracy:P1}")),
        ];
    }

    private static byte[] ByTime(IReadOnlyList<TrainingResult> results) => FigurePlot.Render(
        new FigureLayout(
            "Test accuracy against simulated time at eps = 3e-4, CodeNet's setting (cost model: 1 GFLOP/s per node, 1 GB/s links, 10 us latency)",
            "simulated seconds",
            "test accuracy (%)")
        { YFromZero = true },
        results.Select(r => new FigureSeries(
            TrainingSettings.Name(r.Settings.Scheme),
            r.Rows.Select(x => x.SimulatedSeconds).ToList(),
            r.Rows.Select(x => 100 * x.TestAccuracy).ToList())
        { Scheme = TrainingSettings.Name(r.Settings.Scheme) }).ToList());
}

/// <summary>One run of the sweep: a scheme at an error rate.</summary>
internal sealed record SweepRun(TrainingScheme Scheme, double Rate, TrainingResult Result)
{
    /// <summary>The last finished round, if any.</summary>
    public TrainingRow? Last => Result.Rows.Count > 0 ? Result.Rows[^1] : null;

    public string Label => string.Create(CultureInfo.InvariantCulture, $"{TrainingSettings.Name(Scheme)} at {Rate:0.#e0}: {(Result.Stopped is null ? $"{Last?.Rollbacks} rollbacks" : "gave up")}");

    public bool Finished(int rounds) => Result.Stopped is null && Result.Rows.Count == rounds;
}
