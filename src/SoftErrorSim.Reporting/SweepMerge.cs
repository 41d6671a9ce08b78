using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using SoftErrorSim.Core.MonteCarlo;

namespace SoftErrorSim.Reporting;

/// <summary>A sweep result folder as `merge` reads it: its manifest and its rows.</summary>
/// <param name="Folder">Where it was read from.</param>
/// <param name="Manifest">manifest.json.</param>
/// <param name="Rows">sweep.csv.</param>
/// <param name="Strata">strata.csv of a stratified sweep (null when absent).</param>
public sealed record SweepFolder(string Folder, JsonObject Manifest, IReadOnlyList<SweepCsvRow> Rows, IReadOnlyList<SweepStrataRow>? Strata = null)
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

        var strataPath = Path.Combine(folder, SweepStrataCsv.FileName);
        var rows = SweepCsv.Read(File.ReadAllText(csv));
        if (rows.Any(r => r.IsStratified) && !File.Exists(strataPath))
        {
            throw new InvalidDataException($"{folder}: a stratified sweep's folder needs {SweepStrataCsv.FileName} beside sweep.csv");
        }

        var result = new SweepFolder(folder, root, rows, File.Exists(strataPath) ? SweepStrataCsv.Read(File.ReadAllText(strataPath)) : null);
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

                if (row.IsStratified != first.Rows[i].IsStratified)
                {
                    throw new InvalidDataException($"{shard.Folder} row {i + 1} is {row.Estimator} but {first.Folder} row {i + 1} is {first.Rows[i].Estimator}");
                }

                // A stratified point runs its trials only inside its strata: every one of them, unless every stratum is exact.
                var expected = row.IsStratified ? StrataOf(shard, i).Sum(s => s.Trials) : to - from;
                if (row.Trials != expected || (row.IsStratified && expected != 0 && expected != to - from) || row.Clean + row.Corrected + row.Detected + row.Miscorrected != row.Trials)
                {
                    throw new InvalidDataException($"{shard.Folder} row {i + 1} counts {row.Trials} trials; shard {shard.Shard} of {trials} trials per point must count {(row.IsStratified && expected == 0 ? 0 : to - from)}");
                }
            }
        }

        var ordered = shards.OrderBy(s => s.Shard.Index).ToList();
        return Enumerable.Range(0, first.Rows.Count).Select(i =>
        {
            var counts = ordered.Aggregate(default(OutcomeCounts), (sum, s) => sum + new OutcomeCounts(s.Rows[i].Clean, s.Rows[i].Corrected, s.Rows[i].Detected, s.Rows[i].Miscorrected));
            var summed = first.Rows[i] with
            {
                Trials = counts.Trials,
                Clean = counts.Clean,
                Corrected = counts.Corrected,
                Detected = counts.Detected,
                Miscorrected = counts.Miscorrected,
            };
            if (!summed.IsStratified)
            {
                return SweepCsv.WithPlain(summed);
            }

            var (failure, silent) = SweepStrataCsv.Estimate(MergedStrata(ordered, i));
            return SweepCsv.WithStratified(summed, failure, silent);
        }).ToList();
    }

    /// <summary>
    /// The strata rows of the merged sweep: per point and stratum, the shards' counts added
    /// (weights, kinds and allocations must agree, as every shard derives them alike). Empty when
    /// the sweep is not stratified. Call after <see cref="Merge"/> has checked the shards.
    /// </summary>
    public static IReadOnlyList<SweepStrataRow> MergeStrata(IReadOnlyList<SweepFolder> shards)
    {
        ArgumentNullException.ThrowIfNull(shards);
        var ordered = shards.OrderBy(s => s.Shard.Index).ToList();
        return ordered.Count == 0 || ordered[0].Strata is null
            ? []
            : Enumerable.Range(0, ordered[0].Rows.Count).SelectMany(i => MergedStrata(ordered, i)).ToList();
    }

    private static List<SweepStrataRow> MergedStrata(List<SweepFolder> ordered, int point)
    {
        var first = StrataOf(ordered[0], point);
        var merged = new List<SweepStrataRow>();
        for (var s = 0; s < first.Count; s++)
        {
            var counts = default(OutcomeCounts);
            foreach (var shard in ordered)
            {
                var strata = StrataOf(shard, point);
                if (strata.Count != first.Count || StratumKey(strata[s]) != StratumKey(first[s]))
                {
                    throw new InvalidDataException($"{shard.Folder}: the strata of point {point + 1} differ from {ordered[0].Folder}'s (weights, kinds or allocations)");
                }

                counts += strata[s].Counts;
            }

            merged.Add(first[s] with { Trials = counts.Trials, Clean = counts.Clean, Corrected = counts.Corrected, Detected = counts.Detected, Miscorrected = counts.Miscorrected });
        }

        return merged;
    }

    private static List<SweepStrataRow> StrataOf(SweepFolder shard, int point) =>
        (shard.Strata ?? throw new InvalidDataException($"{shard.Folder}: a stratified sweep's folder needs {SweepStrataCsv.FileName}")).Where(s => s.Point == point).OrderBy(s => s.Errors).ToList();

    private static SweepStrataRow StratumKey(SweepStrataRow row) => row with { Trials = 0, Clean = 0, Corrected = 0, Detected = 0, Miscorrected = 0 };

    private static SweepCsvRow Key(SweepCsvRow row) =>
        row with
        {
            Trials = 0,
            Clean = 0,
            Corrected = 0,
            Detected = 0,
            Miscorrected = 0,
            SuccessRate = 0,
            CiLow = 0,
            CiHigh = 0,
            FailureRate = 0,
            FailureCiLow = 0,
            FailureCiHigh = 0,
            FailureStandardError = 0,
            SilentRate = 0,
            SilentCiLow = 0,
            SilentCiHigh = 0,
        };
}
