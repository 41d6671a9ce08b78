using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using SoftErrorSim.Reporting;

namespace SoftErrorSim.Cli;

/// <summary>`softerrorsim merge DIR... --out DIR`: combines the shard folders of one sweep exactly.</summary>
public static class MergeCommand
{
    /// <summary>Builds the verb.</summary>
    public static Command Create(Invocation invocation)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        var console = invocation.Console;
        var command = new Command("merge", "Combines the shard folders of one sweep (counts add, intervals recomputed): the merged sweep.csv is byte for byte the unsharded run's. Refuses folders of different sweeps or an incomplete set of shards.");
        var folders = new Argument<string[]>("DIR") { Description = "Shard folders written by `sweep --shard`.", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--out") { Description = "Output folder of the merged sweep (created if missing).", Required = true };
        var force = CommonOptions.Force();
        command.Arguments.Add(folders);
        command.Options.Add(output);
        command.Options.Add(force);
        command.SetAction(async (result, cancellationToken) =>
        {
            var started = DateTimeOffset.UtcNow;
            var clock = Stopwatch.StartNew();
            var shards = result.GetValue(folders)!.Select(SweepFolder.Read).ToList();
            foreach (var shard in shards)
            {
                CheckCounts(shard);
            }

            var rows = SweepMerge.Merge(shards);
            var strata = SweepMerge.MergeStrata(shards);
            var first = shards.OrderBy(s => s.Shard.Index).First();
            var folder = result.GetValue(output)!;
            if (shards.Any(s => Path.GetFullPath(s.Folder).TrimEnd(Path.DirectorySeparatorChar) == Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar)))
            {
                throw new UsageException($"--out {folder} is one of the shard folders; merge into a new folder");
            }

            var seed = first.Manifest["seed"] is JsonValue value && value.TryGetValue<ulong>(out var root)
                ? root
                : throw new InvalidDataException($"{first.Folder}: manifest.json has no seed");
            invocation.Claim(folder, strata.Count > 0 ? ["sweep.csv", SweepStrataCsv.FileName, "sweep.png", "manifest.json"] : ["sweep.csv", "sweep.png", "manifest.json"], result.GetValue(force));
            invocation.StartWork();
            var files = new Dictionary<string, byte[]>
            {
                ["sweep.csv"] = Encoding.UTF8.GetBytes(SweepCsv.Write(rows)),
                ["sweep.png"] = SweepPlot.Render(rows),
                ["manifest.json"] = Manifest.Create(
                    "merge",
                    invocation.Arguments,
                    first.Manifest["configuration"]?.DeepClone() ?? new JsonObject(),
                    seed,
                    clock.Elapsed,
                    started,
                    new Dictionary<string, JsonNode?>
                    {
                        ["fingerprint"] = first.Fingerprint,
                        ["shard"] = new JsonObject { ["index"] = 0, ["count"] = 1 },
                        ["trials_per_point"] = first.TrialsPerPoint,
                        ["merged_from"] = new JsonArray(shards.OrderBy(s => s.Shard.Index).Select(s => (JsonNode?)new JsonObject
                        {
                            ["folder"] = Path.GetFullPath(s.Folder),
                            ["shard"] = s.Shard.ToString(),
                            ["host"] = s.Manifest["machine"]?["host"]?.DeepClone(),
                            ["wall_seconds"] = s.Manifest["wall_seconds"]?.DeepClone(),
                        }).ToArray()),
                        ["configurations"] = first.Manifest["configurations"]?.DeepClone(),
                        ["skipped"] = first.Manifest["skipped"]?.DeepClone(),
                    }),
            };
            if (strata.Count > 0)
            {
                files[SweepStrataCsv.FileName] = Encoding.UTF8.GetBytes(SweepStrataCsv.Write(strata));
            }

            invocation.Commit(() => OutputFolder.Write(folder, files), cancellationToken);
            await console.Out.WriteAsync(string.Create(
                CultureInfo.InvariantCulture,
                $"merged {shards.Count} shards: {rows.Count} points, {rows.Sum(r => r.Trials)} trials\nwrote {Path.Combine(folder, "sweep.csv")}, sweep.png, manifest.json\n")).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Refuses a shard whose rows do not add up: outcomes that do not sum to the row's trials mean the file was changed or damaged.</summary>
    private static void CheckCounts(SweepFolder shard)
    {
        for (var i = 0; i < shard.Rows.Count; i++)
        {
            var row = shard.Rows[i];
            var sum = row.Clean + row.Corrected + row.Detected + row.Miscorrected;
            if (sum != row.Trials || row.Clean < 0 || row.Corrected < 0 || row.Detected < 0 || row.Miscorrected < 0)
            {
                throw new InvalidDataException(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{Path.Combine(shard.Folder, "sweep.csv")} row {i + 1}: clean + corrected + detected + miscorrected = {row.Clean} + {row.Corrected} + {row.Detected} + {row.Miscorrected} = {sum}, not its {row.Trials} trials; the file was changed or damaged"));
            }
        }
    }
}
