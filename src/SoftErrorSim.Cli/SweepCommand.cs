using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using SoftErrorSim.Core.Coding;
using SoftErrorSim.Core.MonteCarlo;
using SoftErrorSim.Reporting;

namespace SoftErrorSim.Cli;

/// <summary>`softerrorsim sweep`: Monte Carlo over schemes x nodes x code parameters x per-node error rate, beside the analytic oracle.</summary>
public static class SweepCommand
{
    /// <summary>Builds the verb.</summary>
    public static Command Create(Invocation invocation)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        var console = invocation.Console;
        var command = new Command("sweep", "Monte Carlo over the cross product of schemes, nodes, splits and per-node error rates, with the analytic success rate in every row; writes sweep.csv, sweep.png and manifest.json.");
        var schemes = new Option<string>("--schemes") { Description = "Comma list of gpd, mds, replication, uncoded.", DefaultValueFactory = _ => "gpd,replication,uncoded" };
        var nodes = new Option<string>("--nodes") { Description = "LIST of node counts P (integers, ranges FROM:TO:STEP).", DefaultValueFactory = _ => "12" };
        var m = new Option<string>("--m") { Description = "LIST of row splits m.", DefaultValueFactory = _ => "2" };
        var n = new Option<string>("--n") { Description = "LIST of column splits n.", DefaultValueFactory = _ => "2" };
        var d = new Option<string?>("--d") { Description = "LIST of batch splits d (gpd matmat)." };
        var q = new Option<string?>("--q") { Description = "LIST of Q: plain real (P, Q) MDS codes, run as gpd with m = Q, n = 1." };
        var rowNodes = new Option<string?>("--row-nodes") { Description = "LIST of CodeNet grid rows Pr (mds)." };
        var colNodes = new Option<string?>("--col-nodes") { Description = "LIST of CodeNet grid columns Pc (mds)." };
        var pointKind = Names.Option("--points", "Evaluation points of gpd and --q codes: unit-circle (default), or the real chebyshev, equispaced or random.", EvaluationPointKind.UnitCircle, Names.Kebab);
        var parity = Names.Option("--parity", "CodeNet parity rows: gaussian or chebyshev.", ParityKind.Gaussian, Names.Kebab);
        var rates = new Option<string>("--error-rate") { Description = "LIST of per-node error rates in [0, 1] (numbers, LO:HI:logK, LO:HI:linK).", DefaultValueFactory = _ => "1e-3:0.3:log10" };
        var blockRows = new Option<int>("--block-rows") { Description = "R, rows of each weight block (forward output length, words).", DefaultValueFactory = _ => 16 };
        var blockCols = new Option<int>("--block-cols") { Description = "C, columns of each weight block (backward output length, words).", DefaultValueFactory = _ => 16 };
        var shard = new Option<string?>("--shard") { Description = "I/N: run shard I (0-based) of N; each shard runs its share of every point's trials. Merge the shard folders with `merge`." };
        var shardFromEnv = new Option<string?>("--shard-from-env") { Description = "VAR: read the shard index I from environment variable VAR (SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX); needs --shard-count." };
        var shardCount = new Option<int?>("--shard-count") { Description = "N, the number of shards, with --shard-from-env." };
        var estimator = Names.Option("--estimator", "How each point's failure rate is estimated: plain (every trial strikes each node at the rate) or stratified (exact binomial, or with unequal node rates Poisson-binomial, weights of the number of erring nodes, exact-count trials in the strata that can fail, a conservative 95% interval; reaches failure rates of 1e-9 and below; writes strata.csv too).", SweepEstimator.Plain, Names.Kebab);
        var checkpoint = new Option<int>("--checkpoint-every") { Description = "Trials per journal block: an interrupted sweep (Ctrl-C, a crash, a pre-empted job) keeps every finished block and reruns only the rest. Does not change results.", DefaultValueFactory = _ => Sweep.DefaultBlockTrials };
        var campaign = new CampaignOptions(defaultTrials: 2000);
        var faults = new FaultOptions(bursts: true);
        foreach (var option in new Option[] { schemes, nodes, m, n, d, q, rowNodes, colNodes, pointKind, parity, rates, blockRows, blockCols, shard, shardFromEnv, shardCount, estimator, checkpoint })
        {
            command.Options.Add(option);
        }

        campaign.AddTo(command);
        faults.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            var started = DateTimeOffset.UtcNow;
            var clock = Stopwatch.StartNew();
            IReadOnlyList<int> Optional(Option<string?> option) =>
                result.GetValue(option) is { } text ? ListSyntax.Integers(text, option.Name) : [];
            var axes = new SweepAxes
            {
                Schemes = result.GetValue(schemes)!.Split(',', StringSplitOptions.TrimEntries).Select(s =>
                    Enum.GetValues<SchemeKind>().Any(k => CodeConfiguration.Name(k) == s)
                        ? Names.Parse<SchemeKind>(s, CodeConfiguration.Name)
                        : throw new UsageException($"--schemes: unknown scheme '{s}' (gpd, mds, replication, uncoded)")).Distinct().ToList(),
                Nodes = ListSyntax.Integers(result.GetValue(nodes)!, "--nodes"),
                RowSplits = ListSyntax.Integers(result.GetValue(m)!, "--m"),
                ColumnSplits = ListSyntax.Integers(result.GetValue(n)!, "--n"),
                BatchSplits = Optional(d),
                Q = Optional(q),
                RowNodes = Optional(rowNodes),
                ColumnNodes = Optional(colNodes),
                Points = Names.Parse<EvaluationPointKind>(result.GetValue(pointKind), Names.Kebab),
                Parity = Names.Parse<ParityKind>(result.GetValue(parity), Names.Kebab),
            };
            var pass = campaign.Pass(result);
            var template = new RateCampaignSettings
            {
                Code = new CodeConfiguration { Scheme = SchemeKind.Uncoded, NodeCount = 1 },
                Pass = pass,
                Shape = new PassShape(result.GetValue(blockRows), result.GetValue(blockCols)).Validate(),
                Model = campaign.Model(result),
                Decoder = campaign.Decoder(result),
                ErrorRates = ListSyntax.Reals(result.GetValue(rates)!, "--error-rate"),
                Trials = campaign.Trials(result),
                Seed = campaign.Seed(result),
                Threads = campaign.Threads(result),
                Environment = faults.Environment(result),
                Estimator = Names.Parse<SweepEstimator>(result.GetValue(estimator), Names.Kebab),
            };
            var plan = SweepPlan.Expand(axes, pass);
            if (plan.Configurations.Count == 0)
            {
                throw new UsageException($"no combination can run: {(plan.Skipped.Count > 0 ? plan.Skipped[0].Reason : "empty lists")}");
            }

            foreach (var code in plan.Configurations)
            {
                RateCampaign.Validate(template with { Code = code });
            }

            var shardSpec = Shard(result.GetValue(shard), result.GetValue(shardFromEnv), result.GetValue(shardCount)).Validate(template.Trials);
            var fingerprint = Sweep.Fingerprint(plan, template);
            var blockTrials = result.GetValue(checkpoint);
            if (blockTrials < 1)
            {
                throw new UsageException($"--checkpoint-every must be a positive integer (got {blockTrials})");
            }

            // Planned lazily: a sweep of 10^15 trials has more blocks than memory holds.
            var blocks = Sweep.Plan(plan, template, shardSpec, blockTrials);
            var stratified = template.Estimator == SweepEstimator.Stratified;
            var folder = invocation.Claim(campaign.Output(result), stratified ? ["sweep.csv", SweepStrataCsv.FileName, "sweep.png", "manifest.json"] : ["sweep.csv", "sweep.png", "manifest.json"], campaign.Force(result));
            if (campaign.Force(result))
            {
                DiscardForeignJournal(folder, SweepJournal.Header(fingerprint, shardSpec, blockTrials));
            }

            using var journal = SweepJournal.Open(folder, fingerprint, shardSpec, blockTrials, JournalCandidates(folder, blocks));
            invocation.StartWork();
            var resumed = journal.Finished.Count;
            var trialsToRun = blocks.Trials - journal.Finished.Values.Sum(r => (long)r.Block.Trials);
            invocation.KeptOnCancel(() => journal.Finished.Count == 0
                ? "cancelled: no block had finished; nothing was written"
                : string.Create(
                    CultureInfo.InvariantCulture,
                    $"cancelled: {journal.Finished.Count} of {blocks.Count} blocks are kept in {journal.Path}; rerun the same command to resume (no result file was written)"));
            var running = Stopwatch.StartNew();
            using var progress = ProgressLine.For(console, campaign.Progress(result), "sweep", "trials");
            var finished = journal.Finished.ToDictionary();
            IReadOnlyList<SweepPoint> points;
            IReadOnlyList<SweepCsvRow> rows;
            Task<byte[]> figure;
            IReadOnlyList<PointInjectorCheck> injectorChecks;
            double checkSeconds;
            try
            {
                points = await Task.Run(() => Sweep.Run(plan, template, blocks, finished, journal.Append, progress?.Campaign(), cancellationToken), cancellationToken).ConfigureAwait(false);

                // The figure does not depend on the injector's check: it is drawn while the check
                // runs and the CSV and manifest are formatted (drawing the first figure of a
                // process takes about 0.3 s, most of it loading and compiling the plotting code).
                rows = SweepCsv.Rows(points, template);
                figure = Task.Run(() => SweepPlot.Render(rows), cancellationToken);

                // If the check fails or is cancelled the figure is given up; its own failure, if
                // any, is then of no interest (on the normal path awaiting it rethrows).
                _ = figure.ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);

                // The injector's check of itself: the trials' own injection redrawn without their decodes (all the shard's trials, resumed blocks included).
                var checking = Stopwatch.StartNew();
                injectorChecks = await Task.Run(() => CampaignInjectorCheck.Run(plan, template, shardSpec, cancellationToken), cancellationToken).ConfigureAwait(false);
                checkSeconds = checking.Elapsed.TotalSeconds;
            }
            catch (OperationCanceledException) when (journal.Finished.Count == 0)
            {
                journal.Complete(); // a journal of no block keeps nothing: the folder goes too if it was new
                throw;
            }
            progress?.Finish();
            var runSeconds = running.Elapsed.TotalSeconds - checkSeconds;
            var configuration = new
            {
                axes,
                pass = CodeConfiguration.Name(pass),
                shape = template.Shape,
                model = template.Model,
                decoder = Names.Kebab(template.EffectiveDecoder),
                error_rates = template.ErrorRates,
                trials = template.Trials,
                estimator = Names.Kebab(template.Estimator),
            };
            var files = new Dictionary<string, byte[]>
            {
                ["sweep.csv"] = Encoding.UTF8.GetBytes(SweepCsv.Write(rows)),
                ["manifest.json"] = Manifest.Create(
                    "sweep",
                    invocation.Arguments,
                    configuration,
                    template.Seed,
                    clock.Elapsed,
                    started,
                    new Dictionary<string, JsonNode?>
                    {
                        ["fingerprint"] = fingerprint,
                        ["shard"] = new JsonObject { ["index"] = shardSpec.Index, ["count"] = shardSpec.Count },
                        ["trials_per_point"] = template.Trials,
                        ["threads"] = template.Threads,
                        ["trials_run"] = trialsToRun,
                        ["run_seconds"] = Math.Round(runSeconds, 3),
                        ["trials_per_second"] = Math.Round(trialsToRun / Math.Max(runSeconds, 1e-9)),
                        ["resumed_blocks"] = resumed,
                        ["injector_check_seconds"] = Math.Round(checkSeconds, 3),
                        ["configurations"] = plan.Configurations.Count,
                        ["fault_environment"] = FaultReport.Campaign(plan, template, injectorChecks),
                        ["skipped"] = new JsonArray(plan.Skipped.Select(s => (JsonNode?)new JsonObject { ["combination"] = s.Description, ["reason"] = CliApp.SpellFlags(s.Reason) }).ToArray()),
                    }),
            };
            files["sweep.png"] = await figure.ConfigureAwait(false);
            if (stratified)
            {
                files[SweepStrataCsv.FileName] = Encoding.UTF8.GetBytes(SweepStrataCsv.Write(SweepStrataCsv.Rows(points)));
            }

            invocation.Commit(() =>
            {
                OutputFolder.Write(folder, files);
                journal.Complete();
            }, cancellationToken);
            foreach (var warning in FaultReport.Warnings(plan, injectorChecks))
            {
                await console.Error.WriteLineAsync(warning).ConfigureAwait(false);
            }

            var summary = new StringBuilder();
            summary.Append(CultureInfo.InvariantCulture, $"{plan.Configurations.Count} configurations x {template.ErrorRates.Count} error rates x {template.Trials} trials; {plan.Skipped.Count} combinations skipped (listed in manifest.json)\n");
            if (shardSpec.Count > 1)
            {
                summary.Append(CultureInfo.InvariantCulture, $"shard {shardSpec}: trials {shardSpec.TrialRange(template.Trials).First} to {shardSpec.TrialRange(template.Trials).End - 1} of every point; combine the shard folders with `softerrorsim merge`\n");
            }

            summary.Append(CultureInfo.InvariantCulture, $"{trialsToRun} trials in {runSeconds:0.00} s ({trialsToRun / Math.Max(runSeconds, 1e-9):0} trials/s on {template.Threads} threads)\n");
            if (resumed > 0)
            {
                summary.Append(CultureInfo.InvariantCulture, $"resumed: {resumed} of {blocks.Count} blocks were kept from the interrupted run\n");
            }

            summary.Append(CultureInfo.InvariantCulture, $"wrote {Path.Combine(folder, "sweep.csv")}, {(stratified ? SweepStrataCsv.FileName + ", " : string.Empty)}sweep.png, manifest.json\n");
            await console.Out.WriteAsync(summary.ToString()).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>
    /// The blocks the journal in <paramref name="folder"/> names that belong to this sweep: what
    /// <see cref="SweepJournal.Open"/> checks each kept line against. Passing these rather than every
    /// block keeps a resume of a huge sweep from listing all of its blocks; a line naming any other
    /// block is still refused by the journal. Reads the first three fields of each line (point,
    /// first trial, end trial), the journal's line format.
    /// </summary>
    public static IReadOnlyCollection<SweepBlock> JournalCandidates(string folder, SweepBlocks blocks)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        var path = Path.Combine(folder, SweepJournal.FileName);
        var candidates = new HashSet<SweepBlock>();
        if (!File.Exists(path))
        {
            return candidates;
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        reader.ReadLine();
        while (reader.ReadLine() is { } line)
        {
            var fields = line.Split(',', 4);
            if (fields.Length == 4
                && int.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var point)
                && int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var first)
                && int.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var end)
                && new SweepBlock(point, first, end) is var block
                && blocks.Contains(block))
            {
                candidates.Add(block);
            }
        }

        return candidates;
    }

    /// <summary>With --force: removes a journal of another sweep (other arguments, shard or block size) so this one starts afresh.</summary>
    private static void DiscardForeignJournal(string folder, string header)
    {
        var path = Path.Combine(folder, SweepJournal.FileName);
        if (File.Exists(path) && File.ReadLines(path).FirstOrDefault() != header)
        {
            File.Delete(path);
        }
    }

    /// <summary>The shard from --shard I/N, or from --shard-from-env VAR with --shard-count N; the whole run when neither is given.</summary>
    public static ShardSpec Shard(string? shard, string? fromEnvironment, int? count)
    {
        if (shard is not null && fromEnvironment is not null)
        {
            throw new UsageException("--shard and --shard-from-env exclude each other");
        }

        if (shard is not null)
        {
            if (count is not null)
            {
                throw new UsageException("--shard-count goes with --shard-from-env; --shard already names the count (I/N)");
            }

            var parts = shard.Split('/');
            return parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var index)
                && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var total)
                ? new ShardSpec(index, total)
                : throw new UsageException($"--shard must be I/N with whole numbers 0 <= I < N (got '{shard}')");
        }

        if (fromEnvironment is not null)
        {
            if (count is null)
            {
                throw new UsageException("--shard-from-env needs --shard-count N");
            }

            var value = Environment.GetEnvironmentVariable(fromEnvironment);
            return string.IsNullOrWhiteSpace(value)
                ? throw new UsageException($"--shard-from-env: environment variable {fromEnvironment} is not set")
                : int.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var index)
                    ? new ShardSpec(index, count.Value)
                    : throw new UsageException($"--shard-from-env: {fromEnvironment}='{value}' is not a whole number");
        }

        return count is null ? ShardSpec.Whole : throw new UsageException("--shard-count needs --shard-from-env");
    }
}
