using SoftErrorSim.Core.Training;
using SoftErrorSim.Reporting;

namespace SoftErrorSim.Experiments;

/// <summary>The figures and the summary table of training-under-faults' sweep over the error rate.</summary>
internal static class TrainingSweepPlots
{
    private static readonly TrainingScheme[] Schemes = [TrainingScheme.Gpd, TrainingScheme.Mds, TrainingScheme.Replication, TrainingScheme.Uncoded];

    /// <summary>Final test accuracy against eps; a run that gave up is marked at its last finished round (or at zero when none finished).</summary>
    public static byte[] Accuracy(IReadOnlyList<SweepRun> runs, TrainingResult faultFree, IReadOnlyList<double> rates)
    {
        var series = new List<FigureSeries>
        {
            new("fault-free (no faults)", [.. rates], rates.Select(_ => 100 * faultFree.Rows[^1].TestAccuracy).ToList(), FigureStyle.DashedLine) { Scheme = "fault-free" },
        };
        foreach (var scheme in Schemes)
        {
            var line = runs.Where(r => r.Scheme == scheme && r.Result.Stopped is null).ToList();
            series.Add(new FigureSeries(TrainingSettings.Name(scheme), line.Select(r => r.Rate).ToList(), line.Select(r => 100 * r.Last!.TestAccuracy).ToList()) { Scheme = TrainingSettings.Name(scheme) });
        }

        // A run that gave up has no final accuracy: marked at its last finished round (0 when none
        // finished), in its scheme's colour and marker, unconnected.
        foreach (var scheme in Schemes)
        {
            var stopped = runs.Where(r => r.Scheme == scheme && r.Result.Stopped is not null).ToList();
            if (stopped.Count > 0)
            {
                series.Add(new FigureSeries($"{TrainingSettings.Name(scheme)} gave up (over {CodedTraining.MaxRollbacksPerRound} rollbacks\nin a round): last finished round, 0 if none", stopped.Select(r => r.Rate).ToList(), stopped.Select(r => 100 * (r.Last?.TestAccuracy ?? 0)).ToList(), FigureStyle.Markers) { Scheme = TrainingSettings.Name(scheme) });
            }
        }

        return FigurePlot.Render(
            new FigureLayout("Final test accuracy against the soft-error rate, CodeNet's setting scaled (784-100-100-10, 1000 samples)", "eps per node per product and update (log scale)", "final test accuracy (%)")
            {
                LogX = true,
                XTicks = [.. rates],
                YFromZero = true,
                YTicksUpTo = 100,
            },
            series);
    }

    /// <summary>
    /// A count (rollbacks, repairs) against eps for every run that finished, plotted as count + 1 on
    /// a log axis so that a run with none sits at 1 instead of vanishing.
    /// </summary>
    public static byte[] Events(IReadOnlyList<SweepRun> runs, IReadOnlyList<double> rates, Func<TrainingRow, long> count, string name)
    {
        var series = Schemes
            .Where(s => s != TrainingScheme.Uncoded)
            .Select(scheme =>
            {
                var line = runs.Where(r => r.Scheme == scheme && r.Result.Stopped is null).ToList();
                return new FigureSeries(TrainingSettings.Name(scheme), line.Select(r => r.Rate).ToList(), line.Select(r => count(r.Last!) + 1.0).ToList()) { Scheme = TrainingSettings.Name(scheme) };
            })
            .ToList();
        return FigurePlot.Render(
            new FigureLayout(
                $"{char.ToUpperInvariant(name[0])}{name[1..]} over the run against the soft-error rate (runs that gave up are left out)",
                "eps per node per product and update (log scale)",
                $"{name} + 1 (log scale: 1 = none)")
            {
                LogX = true,
                LogY = true,
                XTicks = [.. rates],
            },
            series);
    }

    /// <summary>Simulated time of the whole run against eps, fault-free as the reference.</summary>
    public static byte[] Time(IReadOnlyList<SweepRun> runs, TrainingResult faultFree, IReadOnlyList<double> rates)
    {
        var series = new List<FigureSeries>
        {
            new("fault-free (no faults)", [.. rates], rates.Select(_ => faultFree.Rows[^1].SimulatedSeconds).ToList(), FigureStyle.DashedLine) { Scheme = "fault-free" },
        };
        foreach (var scheme in Schemes)
        {
            var line = runs.Where(r => r.Scheme == scheme && r.Result.Stopped is null).ToList();
            series.Add(new FigureSeries(TrainingSettings.Name(scheme), line.Select(r => r.Rate).ToList(), line.Select(r => r.Last!.SimulatedSeconds).ToList()) { Scheme = TrainingSettings.Name(scheme) });
        }

        return FigurePlot.Render(
            new FigureLayout("Simulated training time against the soft-error rate (runs that gave up are left out)", "eps per node per product and update (log scale)", "simulated seconds for the whole run (log scale)")
            {
                LogX = true,
                LogY = true,
                XTicks = [.. rates],
            },
            series);
    }

    /// <summary>sweep.csv: one row per run, its last finished round and whether it gave up.</summary>
    public static string Summary(IReadOnlyList<SweepRun> runs, TrainingResult faultFree)
    {
        var rows = new List<IReadOnlyList<string>>();
        void Add(string scheme, double rate, TrainingResult result)
        {
            var last = result.Rows.Count > 0 ? result.Rows[^1] : null;
            var draws = result.FaultDraws;
            rows.Add(
            [
                scheme, InvariantText.Number(rate), InvariantText.Whole(result.NodeCount), InvariantText.Whole(result.Rows.Count),
                last is null ? string.Empty : InvariantText.Number(last.TestAccuracy), last is null ? string.Empty : InvariantText.Number(last.TestLoss),
                InvariantText.Whole(draws.Sum(d => d.Opportunities)), InvariantText.Whole(draws.Sum(d => d.Strikes)),
                InvariantText.Whole(last?.Corrected ?? 0), InvariantText.Whole(last?.Detected ?? 0), InvariantText.Whole(last?.Miscorrected ?? 0),
                InvariantText.Whole(last?.Repairs ?? 0), InvariantText.Whole(last?.Rollbacks ?? 0), last is null ? string.Empty : InvariantText.Number(last.SimulatedSeconds),
                result.Stopped is null ? "no" : "yes",
            ]);
        }

        Add(TrainingSettings.Name(TrainingScheme.FaultFree), 0, faultFree);
        foreach (var run in runs)
        {
            Add(TrainingSettings.Name(run.Scheme), run.Rate, run.Result);
        }

        return CsvTable.Write(
            ["scheme", "error_rate", "nodes", "rounds_finished", "test_accuracy", "test_loss", "fault_draws", "faults", "corrected", "detected", "miscorrected", "repairs", "rollbacks", "simulated_seconds", "gave_up"],
            rows);
    }
}
