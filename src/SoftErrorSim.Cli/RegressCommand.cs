using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using SoftErrorSim.Experiments.Regress;
using SoftErrorSim.Reporting;

namespace SoftErrorSim.Cli;

/// <summary>`softerrorsim regress`: the nightly gate; exit 0 when every point holds, 1 on regression.</summary>
public static class RegressCommand
{
    /// <summary>Builds the verb.</summary>
    public static Command Create(Invocation invocation)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        var console = invocation.Console;
        var command = new Command("regress", $"Reruns the nightly suite with a fresh seed and checks every success rate against the analytic oracle and the committed baseline (exact binomial regions, Bonferroni, family-wise false-alarm rate {RegressSuite.FamilyAlpha}). Writes regress.csv and regress.md; exit 1 on regression.");
        var suite = new Option<string>("--suite") { Description = "The suite to run.", DefaultValueFactory = _ => "nightly" };
        suite.AcceptOnlyFromAmong("nightly");
        var seed = new Option<ulong?>("--seed") { Description = "Root seed. Default: a fresh one (printed and recorded)." };
        var trials = new Option<int?>("--trials") { Description = "Trials per point. Default: 2000 per exact-count point, 20,000 per rate point." };
        var threads = new Option<int>("--threads") { Description = "Worker threads.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var baseline = new Option<string?>("--baseline") { Description = "Baseline report to compare with. Default: the committed experiments/regress/nightly-baseline.csv (built into the tool)." };
        var output = new Option<string>("--out") { Description = "Output folder.", Required = true };
        var force = CommonOptions.Force();
        var progressMode = CommonOptions.Progress();
        foreach (var option in new Option[] { suite, seed, trials, threads, baseline, output, force, progressMode })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (result, cancellationToken) =>
        {
            var started = DateTimeOffset.UtcNow;
            var clock = System.Diagnostics.Stopwatch.StartNew();
            if (result.GetValue(trials) is < 1)
            {
                throw new UsageException($"--trials must be a positive integer (got {result.GetValue(trials)})");
            }

            if (result.GetValue(threads) < 1)
            {
                throw new UsageException($"--threads must be a positive integer (got {result.GetValue(threads)})");
            }

            var baselineText = result.GetValue(baseline) is { } path
                ? File.Exists(path) ? await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false) : throw new UsageException($"--baseline {path}: no such file")
                : RegressSuite.EmbeddedBaseline();
            var reference = RegressSuite.ReadBaseline(baselineText);
            var rootSeed = result.GetValue(seed) ?? BitConverter.ToUInt64(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));
            var folder = invocation.Claim(result.GetValue(output)!, ["regress.csv", "regress.md", "manifest.json"], result.GetValue(force));
            invocation.StartWork();

            // The suite reports no progress of its own: a line when it starts and one when it ends.
            using var progress = ProgressLine.Lines(console, result.GetValue(progressMode)!, "regress", "points");
            progress?.Report(0, RegressSuite.Nightly.Count, string.Create(CultureInfo.InvariantCulture, $"seed {rootSeed}"));
            var rows = await Task.Run(() => RegressSuite.Run(RegressSuite.Nightly, rootSeed, result.GetValue(trials), result.GetValue(threads), reference, null, cancellationToken), cancellationToken).ConfigureAwait(false);
            progress?.Report(rows.Count, RegressSuite.Nightly.Count, string.Create(CultureInfo.InvariantCulture, $"seed {rootSeed}"));
            progress?.Finish();
            var report = Summary(rows, rootSeed, reference.Count);
            var files = new Dictionary<string, byte[]>
            {
                ["regress.csv"] = Encoding.UTF8.GetBytes(RegressSuite.Write(rows)),
                ["regress.md"] = Encoding.UTF8.GetBytes(report),
                ["manifest.json"] = Manifest.Create(
                    "regress",
                    invocation.Arguments,
                    new { suite = "nightly", trials = result.GetValue(trials), family_alpha = RegressSuite.FamilyAlpha },
                    rootSeed,
                    clock.Elapsed,
                    started,
                    new Dictionary<string, JsonNode?> { ["points"] = rows.Count, ["failed"] = rows.Count(r => !r.Passed) }),
            };
            invocation.Commit(() => OutputFolder.Write(folder, files), cancellationToken);
            await console.Out.WriteAsync(report).ConfigureAwait(false);
            return rows.All(r => r.Passed) ? ExitCodes.Success : ExitCodes.CheckFailed;
        });
        return command;
    }

    /// <summary>The Markdown summary: seed, the statistical guarantee, and every point that failed.</summary>
    public static string Summary(IReadOnlyList<RegressRow> rows, ulong seed, int baselinePoints)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var tests = rows.Count(r => r.OracleHolds is not null) + rows.Count(r => r.BaselineHolds is not null) + rows.Count(r => r.MiscorrectionHolds is not null);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"# Regression run, seed {seed}\n\n");
        text.Append(CultureInfo.InvariantCulture, $"{rows.Count} points, {tests} tests ({rows.Count(r => r.OracleHolds is not null)} against the analytic oracle, {rows.Count(r => r.BaselineHolds is not null)} against the baseline of {baselinePoints} points, {rows.Count(r => r.MiscorrectionHolds is not null)} on miscorrections: none allowed for continuous errors on coded schemes, otherwise as many as the baseline), each at level {RegressSuite.FamilyAlpha}/{tests}: the chance of any false alarm in a healthy run is at most {RegressSuite.FamilyAlpha} (Bonferroni).\n\n");
        var failed = rows.Where(r => !r.Passed).ToList();
        if (failed.Count == 0)
        {
            text.Append("All points hold.\n");
        }
        else
        {
            text.Append(CultureInfo.InvariantCulture, $"**{failed.Count} points failed:**\n\n| point | observed | expected (oracle) | baseline | miscorrected |\n| --- | --- | --- | --- | --- |\n");
            foreach (var r in failed)
            {
                var expected = r.Expected is { } p ? p.ToString("0.######", CultureInfo.InvariantCulture) + (r.OracleHolds == false ? " (outside)" : string.Empty) : "-";
                var baseline = r.BaselineTrials is { } t ? string.Create(CultureInfo.InvariantCulture, $"{r.BaselineSuccesses}/{t}{(r.BaselineHolds == false ? " (disagrees)" : string.Empty)}") : "-";
                var miscorrected = string.Create(CultureInfo.InvariantCulture, $"{r.Miscorrected}{(r.BaselineMiscorrected is { } bm ? $" (baseline {bm})" : string.Empty)}{(r.MiscorrectionHolds == false ? " (fails)" : string.Empty)}");
                text.Append(CultureInfo.InvariantCulture, $"| {r.Point.Id} | {r.Successes}/{r.Trials} = {(double)r.Successes / r.Trials:0.######} | {expected} | {baseline} | {miscorrected} |\n");
            }
        }

        return text.ToString();
    }
}
