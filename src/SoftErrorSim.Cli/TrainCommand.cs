// Over 300 lines: one verb, its options, manifest and summary in one place; the fault environment's parts live in FaultOptions, FaultReport and FaultFiles.
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using SoftErrorSim.Core.Coding;
using SoftErrorSim.Core.Training;
using SoftErrorSim.Reporting;

namespace SoftErrorSim.Cli;

/// <summary>`softerrorsim train`: one full decentralised coded training run (or several on the same data with --compare).</summary>
public static class TrainCommand
{
    /// <summary>Builds the verb.</summary>
    public static Command Create(Invocation invocation)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        var console = invocation.Console;
        var command = new Command("train", "Trains an MLP on P simulated unreliable nodes with no master (README, \"softerrorsim train\"): every node encodes, multiplies, decodes and updates itself; soft errors strike any step. Writes train.csv, train.png and manifest.json.");
        var scheme = Names.Option("--scheme", "Strategy: gpd, mds, replication, uncoded or fault-free (the reference run).", TrainingScheme.Gpd, TrainingSettings.Name);
        var compare = new Option<string?>("--compare") { Description = "Comma list of schemes to run on the same data, weights and seed into one CSV (overrides --scheme)." };
        var layers = new Option<string>("--layers") { Description = "Layer widths, input first, classes last.", DefaultValueFactory = _ => "784,1000,1000,10" };
        var dataset = new Option<string>("--dataset") { Description = "mnist (10,000 digits shipped with the tool) or synthetic.", DefaultValueFactory = _ => "mnist" };
        dataset.AcceptOnlyFromAmong("mnist", "synthetic");
        var trainSamples = new Option<int>("--train-samples") { Description = "Training samples, each seen once.", DefaultValueFactory = _ => 2000 };
        var testSamples = new Option<int>("--test-samples") { Description = "Test samples, evaluated after every round.", DefaultValueFactory = _ => 500 };
        var rounds = new Option<int>("--rounds") { Description = "Rounds the training samples are split into.", DefaultValueFactory = _ => 10 };
        var batch = new Option<int>("--batch") { Description = "Samples per SGD step, B (1: matrix-vector codes; above 1 gpd codes the batch with the matrix-matrix code).", DefaultValueFactory = _ => 1 };
        var batchSplit = new Option<int>("--d") { Description = "Batch split d of gpd's matrix-matrix code (B > 1): K = mnd + n - 1.", DefaultValueFactory = _ => 1 };
        var learningRate = new Option<double>("--learning-rate") { Description = "SGD step size.", DefaultValueFactory = _ => 0.005 };
        var nodes = new Option<int>("--nodes") { Description = "P, the number of nodes.", DefaultValueFactory = _ => 8 };
        var m = new Option<int>("--m") { Description = "Row split m of every weight matrix.", DefaultValueFactory = _ => 2 };
        var n = new Option<int>("--n") { Description = "Column split n of every weight matrix.", DefaultValueFactory = _ => 2 };
        var preset = new Option<string?>("--preset") { Description = "codenet: CodeNet's own setting for every scheme (784-10000-10000-10 with biases, Glorot-normal weights, pixels / 128, lr 0.005, 2000/500 samples in 10 rounds, sparse-weight faults at 3e-4 in every product and update; its grid (7, 5, 6, 4) for mds, 2 x (5 x 4) replication and uncoded over 40 nodes, gpd 2 x 10 on 40 unit-circle nodes). Options typed beside it override it." };
        var points = Names.Option("--points", "Evaluation points of gpd: unit-circle (the default: condition number 1, decodable at CodeNet's storage 1/20) or the paper's literal real chebyshev, equispaced or random points.", EvaluationPointKind.UnitCircle, Names.Kebab);
        var rowNodes = new Option<int?>("--row-nodes") { Description = "CodeNet grid rows Pr (mds)." };
        var colNodes = new Option<int?>("--col-nodes") { Description = "CodeNet grid columns Pc (mds)." };
        var errorRate = new Option<double>("--error-rate") { Description = "Per-node probability that a struck step errs, per step.", DefaultValueFactory = _ => 3e-4 };
        var fault = Names.Option("--fault", "What an error does: sparse-weight (CodeNet), gaussian or bitflip (also spelt bit-flip).", FaultKind.SparseWeight, FaultName);
        var steps = new Option<string>("--fault-steps") { Description = "Comma list of steps errors strike: encode, product, decode, activation, hadamard, update.", DefaultValueFactory = _ => "product,update" };
        var checkpoint = new Option<int>("--checkpoint-every") { Description = "Samples between verified checkpoints (a detected decode rolls back to the last one).", DefaultValueFactory = _ => 50 };
        var seed = new Option<ulong>("--seed") { Description = "Root seed: data split, initial weights, faults.", DefaultValueFactory = _ => 1UL };
        var threads = new Option<int>("--threads") { Description = "Worker threads for the nodes' products (results do not depend on it).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var output = new Option<string>("--out") { Description = "Output folder (created if missing).", Required = true };
        var force = CommonOptions.Force();
        var progressMode = CommonOptions.Progress();
        var faultOptions = new FaultOptions(bursts: true, training: true);
        var faultLog = new Option<bool>("--fault-log") { Description = "Also write faults.csv: one row per injected fault (step, sample, layer, pass, node, step kind, fault kind, bits or size, the decoder's verdict: corrected, repaired, detected, rolled-back, masked or absorbed; the cause: independent, burst or independent+burst; the stream state a replay needs)." };
        var nodeFlops = new Option<string?>("--node-flops") { Description = "Per-node speeds: a comma list of P flops rates, outlier:K:F (K nodes, chosen by the seed, at F times the 1e9 default) or lognormal:SIGMA; a step's arithmetic waits for the slowest node." };
        var replayFaults = new Option<string?>("--replay-faults") { Description = "FILE: rerun exactly the faults of a faults.csv (no others) with the same options; train.csv comes out byte for byte the same." };
        var trace = new Option<string?>("--trace") { Description = "FILE: also write a timeline of the run into the --out folder as Chrome trace event JSON (open it in ui.perfetto.dev or chrome://tracing): one track per node, spans of simulated time for compute, all-gather, decode, repair, storage-check, update, checkpoint and rollback, each injected fault an instant with its faults.csv facts." };
        var traceSteps = new Option<string?>("--trace-steps") { Description = "FROM:TO: the steps the trace covers, inclusive, numbered from 0 as faults.csv numbers them (re-executed steps counted again); default 0:99, the first 100 steps." };
        foreach (var option in new Option[] { scheme, compare, preset, layers, dataset, trainSamples, testSamples, rounds, batch, batchSplit, learningRate, nodes, m, n, points, rowNodes, colNodes, errorRate, fault, steps, checkpoint, seed, threads, output, force, progressMode })
        {
            command.Options.Add(option);
        }

        faultOptions.AddTo(command);
        command.Options.Add(faultLog);
        command.Options.Add(replayFaults);
        command.Options.Add(nodeFlops);
        command.Options.Add(trace);
        command.Options.Add(traceSteps);
        command.SetAction(async (result, cancellationToken) =>
        {
            var started = DateTimeOffset.UtcNow;
            var clock = Stopwatch.StartNew();
            var schemes = result.GetValue(compare) is { } list
                ? list.Split(',', StringSplitOptions.TrimEntries).Select(s => Enum.GetValues<TrainingScheme>().Any(k => TrainingSettings.Name(k) == s)
                    ? Names.Parse<TrainingScheme>(s, TrainingSettings.Name)
                    : throw new UsageException($"--compare: unknown scheme '{s}' (gpd, mds, replication, uncoded, fault-free)")).Distinct().ToList()
                : [Names.Parse<TrainingScheme>(result.GetValue(scheme), TrainingSettings.Name)];
            // Without a preset every option gives its value (its default when not typed); with
            // --preset codenet the preset gives each scheme CodeNet's setting and only the options
            // actually typed override it.
            var presetName = result.GetValue(preset);
            if (presetName is not null && presetName != "codenet")
            {
                throw new UsageException($"--preset: unknown preset '{presetName}' (codenet)");
            }

            bool Given(Option option) => presetName is null || result.GetResult(option) is { Implicit: false };
            var environment = faultOptions.Environment(result);
            var replay = result.GetValue(replayFaults) is { } replayPath ? FaultFiles.ReadLog(replayPath) : null;
            var traceFile = result.GetValue(trace);
            var traceWindow = TraceWindowOf(traceFile, result.GetValue(traceSteps));
            T Pick<T>(Option<T> option, T presetValue) => Given(option) ? result.GetValue(option)! : presetValue;
            TrainingSettings Settings(TrainingScheme kind)
            {
                var basis = presetName is null ? new TrainingSettings { Scheme = kind } : TrainingSettings.CodeNet(kind);
                var settings = basis with
                {
                    Scheme = kind,
                    Layers = Given(layers) ? ListSyntax.Integers(result.GetValue(layers)!, "--layers", distinct: false) : basis.Layers,
                    LearningRate = Pick(learningRate, basis.LearningRate),
                    TrainSamples = Pick(trainSamples, basis.TrainSamples),
                    TestSamples = Pick(testSamples, basis.TestSamples),
                    Rounds = Pick(rounds, basis.Rounds),
                    Batch = Pick(batch, basis.Batch),
                    BatchSplit = Pick(batchSplit, basis.BatchSplit),
                    NodeCount = Pick(nodes, basis.NodeCount),
                    RowSplit = Pick(m, basis.RowSplit),
                    ColumnSplit = Pick(n, basis.ColumnSplit),
                    Points = Given(points) ? Names.Parse<EvaluationPointKind>(result.GetValue(points), Names.Kebab) : basis.Points,
                    RowNodes = Given(rowNodes) ? result.GetValue(rowNodes) : basis.RowNodes,
                    ColumnNodes = Given(colNodes) ? result.GetValue(colNodes) : basis.ColumnNodes,
                    ErrorRate = Pick(errorRate, basis.ErrorRate),
                    Fault = Given(fault) ? Names.Parse<FaultKind>(result.GetValue(fault), FaultName) : basis.Fault,
                    Steps = Given(steps) ? ParseSteps(result.GetValue(steps)!) : basis.Steps,
                    CheckpointEvery = Pick(checkpoint, basis.CheckpointEvery),
                    Seed = Pick(seed, basis.Seed),
                    Threads = result.GetValue(threads),
                    Environment = environment,
                    ReplayFaults = replay is null ? null : replay.GetValueOrDefault(TrainingSettings.Name(kind)) ?? [],
                    Trace = traceWindow,
                };
                return result.GetValue(nodeFlops) is { } speeds
                    ? settings with { Cost = settings.Cost with { NodeFlopsPerSecond = FaultOptions.NodeFlops(speeds, FaultRates.NodeCount(settings), settings.Cost.FlopsPerSecond, settings.Seed) } }
                    : settings;
            }

            var template = Settings(schemes[0]);
            var runs = schemes.Select(s => Settings(s).Validate()).ToList();
            var name = result.GetValue(dataset)!;
            RefuseWhatCannotFit(runs, (name == "mnist" ? MnistSamples : (long)template.TrainSamples + template.TestSamples) * template.Layers[0]);
            var data = name == "mnist"
                ? MnistDataset.Load()
                : SyntheticDataset.Generate(template.TrainSamples + template.TestSamples, template.Layers[0], template.Layers[^1], template.Seed);
            if (data.Features != template.Layers[0] || data.Classes != template.Layers[^1])
            {
                throw new UsageException($"--layers must start with {name}'s {data.Features} features and end with its {data.Classes} classes (got {string.Join(",", template.Layers)})");
            }

            var (train, test) = data.Split(template.TrainSamples, template.TestSamples, template.Seed);
            var writeLog = result.GetValue(faultLog);
            var outputs = new List<string> { "train.csv", "train.png", "manifest.json" };
            outputs.AddRange(writeLog ? ["faults.csv"] : []);
            outputs.AddRange(traceFile is null ? [] : [traceFile]);
            var folder = invocation.Claim(result.GetValue(output)!, outputs, result.GetValue(force));
            invocation.StartWork();
            var results = new List<TrainingResult>();
            var runSeconds = new List<double>();
            using var progress = ProgressLine.For(console, result.GetValue(progressMode)!, "train", "samples");
            foreach (var run in runs)
            {
                var before = results.Count * (long)run.TrainSamples;
                var label = runs.Count > 1 ? $"{TrainingSettings.Name(run.Scheme)} ({results.Count + 1} of {runs.Count})" : TrainingSettings.Name(run.Scheme);
                var relay = progress is null ? null : new Relay(p => progress.Report(before + p.SamplesDone, runs.Count * (long)run.TrainSamples, label));
                relay?.Report(new TrainingProgress(0, run.TrainSamples, 0)); // at once: building a large model's codes takes a while
                var running = Stopwatch.StartNew();
                results.Add(await Task.Run(() => CodedTraining.Run(run, train, test, relay, cancellationToken), cancellationToken).ConfigureAwait(false));
                runSeconds.Add(running.Elapsed.TotalSeconds);
            }

            progress?.Finish();
            var diverged = Divergence(results, train, test, cancellationToken);
            var rows = results.SelectMany(TrainCsv.Rows).ToList();
            if (rows.Count == 0)
            {
                throw new UsageException(diverged ?? $"no round finished: {results[0].Stopped}");
            }

            var files = new Dictionary<string, byte[]>
            {
                ["train.csv"] = Encoding.UTF8.GetBytes(TrainCsv.Write(rows)),
                ["train.png"] = TrainPlot.Render(rows),
                ["manifest.json"] = Manifest.Create(
                    "train",
                    invocation.Arguments,
                    new
                    {
                        schemes = schemes.Select(TrainingSettings.Name).ToArray(),
                        dataset = name,
                        layers = template.Layers,
                        template.LearningRate,
                        template.TrainSamples,
                        template.TestSamples,
                        template.Rounds,
                        template.Batch,
                        d = template.BatchSplit,
                        nodes = template.NodeCount,
                        m = template.RowSplit,
                        n = template.ColumnSplit,
                        template.ErrorRate,
                        fault = FaultName(template.Fault),
                        fault_steps = template.Steps.ToString(),
                        template.CheckpointEvery,
                        cost = template.Cost,
                    },
                    template.Seed,
                    clock.Elapsed,
                    started,
                    new Dictionary<string, JsonNode?>
                    {
                        ["runs"] = new JsonArray(results.Select((r, i) => (JsonNode?)new JsonObject
                        {
                            ["scheme"] = TrainingSettings.Name(r.Settings.Scheme),
                            ["steps"] = Steps(r),
                            ["run_seconds"] = Math.Round(runSeconds[i], 3),
                            ["run_seconds_per_step"] = Steps(r) == 0 ? null : Math.Round(runSeconds[i] / Steps(r), 4),
                            ["preset"] = presetName,
                            ["nodes"] = r.NodeCount,
                            ["m"] = r.Settings.RowSplit,
                            ["n"] = r.Settings.ColumnSplit,
                            ["row_nodes"] = r.Settings.RowNodes,
                            ["col_nodes"] = r.Settings.ColumnNodes,
                            ["points"] = r.Settings.Scheme == TrainingScheme.Gpd ? EvaluationPoints.Name(r.Settings.Points) : null,
                            ["biases"] = r.Settings.Biases,
                            ["initialization"] = r.Settings.Initialization == WeightInitialization.GlorotNormal ? "glorot-normal" : "he-normal",
                            ["input_scale"] = r.Settings.InputScale,
                            ["backward_first_layer"] = r.Settings.BackwardFirstLayer,
                            ["forward_threshold"] = r.ForwardThreshold,
                            ["backward_threshold"] = r.BackwardThreshold,
                            ["stopped"] = r.Stopped,
                            ["diverged"] = r.Stopped is not null || r.Rows.Any(row => !double.IsFinite(row.Loss)) ? diverged : null,
                            ["notes"] = new JsonArray(r.Notes.Select(x => (JsonNode?)JsonValue.Create(x)).ToArray()),
                            ["fault_environment"] = FaultReport.Training(r),
                        }).ToArray()),
                        ["replayed_faults"] = replay is null ? null : result.GetValue(replayFaults),
                    }),
            };
            if (writeLog)
            {
                files["faults.csv"] = Encoding.UTF8.GetBytes(FaultLogCsv.Write(results.Select(r => (TrainingSettings.Name(r.Settings.Scheme), r.FaultLog))));
            }

            if (traceFile is not null)
            {
                files[traceFile] = TraceJson.Write(results.Where(r => r.Timeline is not null).Select(r => (TrainingSettings.Name(r.Settings.Scheme), r.Timeline!)));
            }

            invocation.Commit(() => OutputFolder.Write(folder, files), cancellationToken);
            foreach (var warning in results.SelectMany(FaultReport.Warnings))
            {
                await console.Error.WriteLineAsync(warning).ConfigureAwait(false);
            }

            var summary = new StringBuilder();
            summary.Append(CultureInfo.InvariantCulture, $"{"scheme",-12} {"nodes",5} {"K_fwd",5} {"K_bwd",5} {"accuracy",8} {"loss",8} {"decodes",8} {"corrected",9} {"detected",8} {"miscorr",7} {"repairs",7} {"rollbacks",9} {"sim_s",8}\n");
            foreach (var r in results)
            {
                if (r.Rows.Count > 0)
                {
                    var last = r.Rows[^1];
                    summary.Append(CultureInfo.InvariantCulture, $"{last.Scheme,-12} {r.NodeCount,5} {r.ForwardThreshold,5} {r.BackwardThreshold,5} {last.TestAccuracy,8:0.000} {last.Loss,8:0.0000} {last.Decodes,8} {last.Corrected,9} {last.Detected,8} {last.Miscorrected,7} {last.Repairs,7} {last.Rollbacks,9} {last.SimulatedSeconds,8:0.00}\n");
                }

                foreach (var note in r.Notes)
                {
                    summary.Append(CultureInfo.InvariantCulture, $"  note ({TrainingSettings.Name(r.Settings.Scheme)}): {note}\n");
                }

                if (diverged is not null && (r.Stopped is not null || r.Rows.Any(row => !double.IsFinite(row.Loss))))
                {
                    summary.Append(CultureInfo.InvariantCulture, $"  {TrainingSettings.Name(r.Settings.Scheme)} {(r.Stopped is null ? "diverged" : "stopped")}: {diverged}\n");
                }
                else if (r.Stopped is { } stopped)
                {
                    summary.Append(CultureInfo.InvariantCulture, $"  {TrainingSettings.Name(r.Settings.Scheme)} stopped: {stopped}\n");
                }
            }

            for (var i = 0; i < results.Count; i++)
            {
                if (Steps(results[i]) > 0)
                {
                    summary.Append(CultureInfo.InvariantCulture, $"{TrainingSettings.Name(results[i].Settings.Scheme)}: {Steps(results[i])} SGD steps in {runSeconds[i]:0.0} s wall, {runSeconds[i] / Steps(results[i]):0.000} s per step (encoding, rollbacks and evaluation included)\n");
                }
            }

            summary.Append(CultureInfo.InvariantCulture, $"wrote {Path.Combine(folder, "train.csv")}, train.png, manifest.json{(writeLog ? ", faults.csv" : string.Empty)}{(traceFile is null ? string.Empty : $", {traceFile} (steps {traceWindow!.Value.FirstStep}-{traceWindow.Value.LastStep})")}\n");
            await console.Out.WriteAsync(summary.ToString()).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Digits in the MNIST file shipped with the tool (the --dataset help says so).</summary>
    private const long MnistSamples = 10_000;

    /// <summary>The command-line name of a fault kind: bitflip as in `decode --error-model` (bit-flip is accepted too).</summary>
    public static string FaultName(FaultKind kind) => kind == FaultKind.BitFlip ? "bitflip" : Names.Kebab(kind);

    /// <summary>
    /// Refuses, with the memory it would need against this machine's, a run that cannot fit (the
    /// largest of the runs of a comparison, which run one after another).
    /// </summary>
    public static void RefuseWhatCannotFit(IReadOnlyList<TrainingSettings> runs, long dataValues)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var largest = runs.Select(r => TrainingMemory.Estimate(r, dataValues)).MaxBy(e => e.PeakBytes)!;
        var available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        if (largest.PeakBytes > available)
        {
            throw new UsageException(string.Create(
                CultureInfo.InvariantCulture,
                $"train needs about {Bytes(largest.PeakBytes)} of memory for these --layers (stored blocks {Bytes(largest.Stored)}, checkpoint {Bytes(largest.Checkpoint)}, evaluation {Bytes(largest.Evaluation)}); this machine has {Bytes(available)}: use narrower --layers or fewer --nodes"));
        }
    }

    /// <summary>A size for people: MB under a gigabyte, GB with one decimal under ten, whole GB above.</summary>
    public static string Bytes(long bytes) => bytes switch
    {
        < 1L << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):0} MB"),
        < 10L << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):0.0} GB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):0} GB"),
    };

    /// <summary>
    /// When a run gave up or its loss went non-finite, whether the training itself diverged: the
    /// fault-free reference of the same data, weights and seed is rerun one step per round up to
    /// that point, and the first step whose loss is not finite is named. Null when the reference
    /// stays finite (then the faults are to blame, and the run's own reason stands).
    /// </summary>
    public static string? Divergence(IReadOnlyList<TrainingResult> results, Dataset train, Dataset test, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(results);
        var suspects = results.Where(r => r.Stopped is not null || r.Rows.Any(row => !double.IsFinite(row.Loss))).ToList();
        if (suspects.Count == 0)
        {
            return null;
        }

        var settings = suspects[0].Settings;
        var rounds = suspects.Max(r => r.Rows.FirstOrDefault(row => !double.IsFinite(row.Loss))?.Round ?? Math.Min(r.Rows.Count + 1, settings.Rounds));
        var samples = rounds * settings.SamplesPerRound;
        var steps = samples / settings.Batch;
        TrainingResult reference;
        try
        {
            reference = CodedTraining.Run(
                settings with { Scheme = TrainingScheme.FaultFree, TrainSamples = samples, Rounds = steps, TestSamples = 1, CheckpointEvery = settings.Batch },
                train,
                test,
                null,
                cancellationToken);
        }
        catch (ArgumentException)
        {
            return null; // the reference cannot be run with these settings: no diagnosis
        }

        var first = reference.Rows.FirstOrDefault(row => !double.IsFinite(row.Loss));
        return first is null
            ? null
            : string.Create(
                CultureInfo.InvariantCulture,
                $"the training diverged: the loss became {(double.IsNaN(first.Loss) ? "NaN" : "infinite")} at step {first.Round} (after {first.SamplesSeen} samples) even without faults; lower --learning-rate (got {settings.LearningRate:g6})");
    }

    /// <summary>
    /// The trace's window: null without --trace; --trace-steps FROM:TO (whole numbers, FROM &lt;= TO)
    /// or the default first window. The file must be a plain name (it goes into the --out folder).
    /// </summary>
    public static TraceWindow? TraceWindowOf(string? file, string? steps)
    {
        if (file is null)
        {
            return steps is null ? null : throw new UsageException("--trace-steps needs --trace FILE");
        }

        if (file.Length == 0 || file.IndexOfAny(['/', '\\']) >= 0 || file is "." or ".." || file.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
        {
            throw new UsageException($"--trace: '{file}' must be a file name (the trace is written into the --out folder)");
        }

        if (file is "train.csv" or "train.png" or "manifest.json" or "faults.csv")
        {
            throw new UsageException($"--trace: '{file}' is one of train's own outputs; choose another name such as trace.json");
        }

        if (steps is null)
        {
            return TraceWindow.Default;
        }

        var parts = steps.Split(':');
        return parts.Length == 2
            && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var first)
            && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var last)
            && first <= last
            ? new TraceWindow(first, last)
            : throw new UsageException($"--trace-steps: expected FROM:TO, two whole numbers with FROM <= TO (got '{steps}')");
    }

    /// <summary>The SGD steps of the samples a run saw (its last row's samples over the batch; steps re-executed after a rollback are not counted again).</summary>
    private static long Steps(TrainingResult result) => result.Rows.Count == 0 ? 0 : result.Rows[^1].SamplesSeen / result.Settings.Batch;

    /// <summary>The steps named in a comma list.</summary>
    public static FaultSteps ParseSteps(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var steps = FaultSteps.None;
        foreach (var name in text.Split(',', StringSplitOptions.TrimEntries))
        {
            steps |= Enum.GetValues<FaultSteps>().Where(s => s != FaultSteps.None).FirstOrDefault(s => Names.Kebab(s) == name, FaultSteps.None) is var step and not FaultSteps.None
                ? step
                : throw new UsageException($"--fault-steps: unknown step '{name}' (encode, product, decode, activation, hadamard, update)");
        }

        return steps;
    }

    private sealed class Relay(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
