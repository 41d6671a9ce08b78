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
