using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using SoftErrorSim.Core.MonteCarlo;

namespace SoftErrorSim.Reporting;

/// <summary>A sweep result folder as `merge` reads it: its manifest and its rows.</summary>
/// <param name="Folder">Where it was read from.</param>
/// <param name="Manifest">manifest.json.</param>
/// <param name="Rows">sweep.csv.</param>
public sealed record SweepFolder(string Folder, JsonObject Manifest, IReadOnlyList<SweepCsvRow> Rows)
{
    /// <summary>The fingerprint of the sweep the folder holds results of.</summary>
    public string Fingerprint => Text("fingerprint");

    /// <summary>Which shard the folder holds.</summary>
    public ShardSpec Shard => Manifest["shard"] is JsonObject shard
        ? new ShardSpec(Integer(shard, "index"), Integer(shard, "count"))
        : throw new InvalidDataException($"{Folder}: manifest.json has no shard");

    /// <summary>Trials per point of the whole sweep.</summary>
    public int TrialsPerPoint => Integer(Manifest, "trials_per_point");

    /// <summary>Reads a folder written by `sweep`; throws <see cref="InvalidDataException"/> with a one-line reason when it is not one.</summary>
    public static SweepFolder Read(string folder)
    {
        var csv = Path.Combine(folder, "sweep.csv");
        var manifest = Path.Combine(folder, "manifest.json");
        if (!Directory.Exists(folder))
        {
            throw new InvalidDataException($"{folder}: no such folder");
        }

        if (!File.Exists(csv) || !File.Exists(manifest))
        {
            throw new InvalidDataException(File.Exists(Path.Combine(folder, SweepJournal.FileName))
                ? $"{folder}: unfinished shard (a sweep.journal but no sweep.csv); rerun its command to finish it"
                : $"{folder}: not a sweep folder (needs sweep.csv and manifest.json)");
        }

        JsonObject root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(manifest)) as JsonObject ?? throw new InvalidDataException($"{manifest}: not a JSON object");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{manifest}: malformed JSON ({e.Message})", e);
        }

        var result = new SweepFolder(folder, root, SweepCsv.Read(File.ReadAllText(csv)));
        if (result.Text("command") != "sweep")
        {
            throw new InvalidDataException($"{folder}: manifest.json is from '{result.Text("command")}', not from a sweep shard");
        }

        return result;
    }

    private string Text(string key) => Manifest[key] is JsonValue value && value.TryGetValue<string>(out var text)
        ? text
        : throw new InvalidDataException($"{Folder}: manifest.json has no '{key}'");

    private int Integer(JsonObject node, string key) => node[key] is JsonValue value && value.TryGetValue<int>(out var number)
        ? number
        : throw new InvalidDataException($"{Folder}: manifest.json has no integer '{key}'");
}

/// <summary>
/// Combines the shard folders of one sweep exactly: counts add, rates and Wilson intervals are
/// recomputed from the sums, so the merged CSV is byte for byte the CSV of the unsharded run.
/// </summary>
public static class SweepMerge
{
    /// <summary>Merges; throws <see cref="InvalidDataException"/> with a one-line reason when the folders are not exactly the shards of one sweep.</summary>
    public static IReadOnlyList<SweepCsvRow> Merge(IReadOnlyList<SweepFolder> shards)
    {
        ArgumentNullException.ThrowIfNull(shards);
        if (shards.Count == 0)
        {
            throw new InvalidDataException("merge needs at least one shard folder");
        }

        var first = shards[0];
        var count = first.Shard.Count;
        var seen = new Dictionary<int, string>();
        foreach (var shard in shards)
        {
            if (shard.Fingerprint != first.Fingerprint)
            {
                throw new InvalidDataException($"{shard.Folder} is a shard of a different sweep than {first.Folder} (fingerprint {shard.Fingerprint} vs {first.Fingerprint})");
            }

            if (shard.Shard.Count != count)
            {
                throw new InvalidDataException($"{shard.Folder} is shard {shard.Shard} but {first.Folder} is shard {first.Shard}: splits of different sizes");
            }

            if (!seen.TryAdd(shard.Shard.Index, shard.Folder))
            {
                throw new InvalidDataException($"shard {shard.Shard} appears twice ({seen[shard.Shard.Index]} and {shard.Folder})");
            }
        }

        var missing = Enumerable.Range(0, count).Where(i => !seen.ContainsKey(i)).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidDataException($"{(missing.Count == 1 ? "shard" : "shards")} {string.Join(", ", missing.Select(i => new ShardSpec(i, count).ToString()))} {(missing.Count == 1 ? "is" : "are")} missing");
        }

        var trials = first.TrialsPerPoint;
        foreach (var shard in shards)
        {
            if (shard.TrialsPerPoint != trials)
            {
                throw new InvalidDataException($"{shard.Folder} has {shard.TrialsPerPoint} trials per point, {first.Folder} {trials}");
            }

            if (shard.Rows.Count != first.Rows.Count)
            {
                throw new InvalidDataException($"{shard.Folder} has {shard.Rows.Count} rows, {first.Folder} {first.Rows.Count}");
            }

            var (from, to) = shard.Shard.TrialRange(trials);
            for (var i = 0; i < shard.Rows.Count; i++)
            {
                var row = shard.Rows[i];
                if (Key(row) != Key(first.Rows[i]))
                {
                    throw new InvalidDataException($"{shard.Folder} row {i + 1} ({row.SeriesLabel}, eps {row.ErrorRate.ToString("R", CultureInfo.InvariantCulture)}) is not the same point as in {first.Folder}");
                }

                if (row.Trials != to - from || row.Clean + row.Corrected + row.Detected + row.Miscorrected != row.Trials)
                {
                    throw new InvalidDataException($"{shard.Folder} row {i + 1} counts {row.Trials} trials; shard {shard.Shard} of {trials} trials per point must count {to - from}");
                }
            }
        }

        var ordered = shards.OrderBy(s => s.Shard.Index).ToList();
        return Enumerable.Range(0, first.Rows.Count).Select(i =>
        {
            var counts = ordered.Aggregate(default(OutcomeCounts), (sum, s) => sum + new OutcomeCounts(s.Rows[i].Clean, s.Rows[i].Corrected, s.Rows[i].Detected, s.Rows[i].Miscorrected));
            var interval = counts.Wilson;
            return first.Rows[i] with
            {
                Trials = counts.Trials,
                Clean = counts.Clean,
                Corrected = counts.Corrected,
                Detected = counts.Detected,
                Miscorrected = counts.Miscorrected,
                SuccessRate = counts.SuccessRate,
                CiLow = interval.Low,
                CiHigh = interval.High,
            };
        }).ToList();
    }

    private static SweepCsvRow Key(SweepCsvRow row) =>
        row with { Trials = 0, Clean = 0, Corrected = 0, Detected = 0, Miscorrected = 0, SuccessRate = 0, CiLow = 0, CiHigh = 0 };
}
