using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using SoftErrorSim.Experiments;
using SoftErrorSim.Reporting;

namespace SoftErrorSim.Cli;

/// <summary>`softerrorsim reproduce [ID...|--all] [--quick] --out DIR`: regenerates the paper's figures and checks each against its theory.</summary>
public static class ReproduceCommand
{
    /// <summary>Builds the verb.</summary>
    public static Command Create(Invocation invocation)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        var console = invocation.Console;
        var command = new Command("reproduce", "Regenerates the paper's figures (listed in experiments/README.md): DIR/<id>/data.csv, figure.png, manifest.json, each checked against its theory. Exit 1 when a check fails.");
        var ids = new Argument<string[]>("ID") { Description = $"Experiments to run: {string.Join(", ", Experiment.All.Select(e => e.Id))}.", Arity = ArgumentArity.ZeroOrMore };
        var all = new Option<bool>("--all") { Description = "Run every experiment." };
        var quick = new Option<bool>("--quick") { Description = "Smoke run: tiny sizes, structural checks only." };
        var seed = new Option<ulong>("--seed") { Description = "Root seed of every experiment.", DefaultValueFactory = _ => 1UL };
        var threads = new Option<int>("--threads") { Description = "Worker threads (results do not depend on it). Default: all cores.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var output = new Option<string>("--out") { Description = "Output folder; each experiment writes its own subfolder.", Required = true };
        var force = CommonOptions.Force();
        var progressMode = CommonOptions.Progress();
        command.Arguments.Add(ids);
        foreach (var option in new Option[] { all, quick, seed, threads, output, force, progressMode })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (result, cancellationToken) =>
        {
            var names = result.GetValue(ids) ?? [];
            if (names.Length > 0 == result.GetValue(all))
            {
                throw new UsageException("name the experiments to run or give --all (not both)");
            }

            var chosen = result.GetValue(all)
                ? Experiment.All
                : names.Distinct().Select(id => Experiment.All.FirstOrDefault(e => e.Id == id)
                    ?? throw new UsageException($"unknown experiment '{id}' ({string.Join(", ", Experiment.All.Select(e => e.Id))})")).ToList();
            if (result.GetValue(threads) < 1)
            {
                throw new UsageException($"--threads must be a positive integer (got {result.GetValue(threads)})");
            }

            var folder = invocation.Claim(
                result.GetValue(output)!,
                chosen.SelectMany(e => new[] { Path.Combine(e.Id, "data.csv"), Path.Combine(e.Id, "manifest.json") }),
                result.GetValue(force));
            invocation.StartWork();
            var context = new ExperimentContext(result.GetValue(quick), result.GetValue(seed), result.GetValue(threads), cancellationToken);
            var failed = 0;
            var finished = 0;
            var current = chosen[0].Id;
            invocation.KeptOnCancel(() => string.Create(
                CultureInfo.InvariantCulture,
                $"cancelled during {current}: {finished} finished experiments are in {folder}, the rest were not written"));
            using var progress = ProgressLine.Lines(console, result.GetValue(progressMode)!, "reproduce", "experiments");
            foreach (var experiment in chosen)
            {
                var started = DateTimeOffset.UtcNow;
                var clock = Stopwatch.StartNew();
                current = experiment.Id;
                progress?.Report(finished, chosen.Count, experiment.Id);
                var outcome = await Task.Run(() => experiment.Run(context), cancellationToken).ConfigureAwait(false);
                var files = outcome.Figures.ToDictionary(f => f.Key, f => f.Value);
                files["data.csv"] = Encoding.UTF8.GetBytes(outcome.Csv);
                files["manifest.json"] = Manifest.Create(
                    "reproduce",
                    invocation.Arguments,
                    outcome.Parameters,
                    context.Seed,
                    clock.Elapsed,
                    started,
                    new Dictionary<string, JsonNode?>
                    {
                        ["experiment"] = experiment.Id,
                        ["question"] = experiment.Question,
                        ["theory"] = experiment.Theory,
                        ["quick"] = context.Quick,
                        ["checks"] = new JsonArray(outcome.Checks.Select(c => (JsonNode?)new JsonObject { ["check"] = c.Name, ["passed"] = c.Passed, ["detail"] = c.Detail }).ToArray()),
                    });
                invocation.Commit(() => OutputFolder.Write(Path.Combine(folder, experiment.Id), files), cancellationToken);
                finished++;
                var report = new StringBuilder();
                report.Append(CultureInfo.InvariantCulture, $"{experiment.Id} ({clock.Elapsed.TotalSeconds:0.0} s): {outcome.Checks.Count(c => c.Passed)}/{outcome.Checks.Count} checks passed\n");
                foreach (var check in outcome.Checks)
                {
                    report.Append(CultureInfo.InvariantCulture, $"  [{(check.Passed ? "pass" : "FAIL")}] {check.Name}: {check.Detail}\n");
                }

                failed += outcome.Checks.Count(c => !c.Passed);
                await console.Out.WriteAsync(report.ToString()).ConfigureAwait(false);
            }

            progress?.Report(finished, chosen.Count);
            progress?.Finish();
            await console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"wrote {chosen.Count} experiments to {folder}; {failed} checks failed")).ConfigureAwait(false);
            return failed == 0 ? ExitCodes.Success : ExitCodes.CheckFailed;
        });
        return command;
    }
}
