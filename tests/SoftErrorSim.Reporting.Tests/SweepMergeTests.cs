using System.Text.Json.Nodes;
using SoftErrorSim.Core.MonteCarlo;

namespace SoftErrorSim.Reporting.Tests;

public class SweepMergeTests
{
    private const int TrialsPerPoint = 10;

    private static SweepCsvRow Row(double rate, long clean, long detected) =>
        new("gpd", 12, 2, 2, null, "forward", "gaussian", rate, clean + detected, clean, 0, detected, 0, 0, 0, 0, 0.9, 1, "probability-one", null, null, 0.1);

    private static SweepFolder Shard(int index, int count, string fingerprint = "f", params SweepCsvRow[] rows) => new(
        $"shard-{index}",
        new JsonObject
        {
            ["command"] = "sweep",
            ["fingerprint"] = fingerprint,
            ["shard"] = new JsonObject { ["index"] = index, ["count"] = count },
            ["trials_per_point"] = TrialsPerPoint,
        },
        rows);

    // Shard i of 3 over 10 trials runs 3, 3 and 4 trials.
    private static SweepFolder[] Three() =>
    [
        Shard(0, 3, "f", Row(0.1, 3, 0), Row(0.3, 1, 2)),
        Shard(1, 3, "f", Row(0.1, 2, 1), Row(0.3, 0, 3)),
        Shard(2, 3, "f", Row(0.1, 4, 0), Row(0.3, 2, 2)),
    ];

    [Fact]
    public void Counts_add_and_rates_and_intervals_are_recomputed_from_the_sums()
    {
        var shards = Three();
        var merged = SweepMerge.Merge([shards[2], shards[0], shards[1]]);
        Assert.Equal(2, merged.Count);
        Assert.Equal((10L, 9L, 1L), (merged[0].Trials, merged[0].Clean, merged[0].Detected));
        Assert.Equal((10L, 3L, 7L), (merged[1].Trials, merged[1].Clean, merged[1].Detected));
        Assert.Equal(0.3, merged[1].SuccessRate, 15);
        var wilson = Core.Statistics.BinomialInterval.Wilson(3, 10);
        Assert.Equal((wilson.Low, wilson.High), (merged[1].CiLow, merged[1].CiHigh));
        Assert.Equal(0.9, merged[1].AnalyticSuccessRate);
    }

    public static TheoryData<string, string> Mismatches => new()
    {
        { "fingerprint", "different sweep" },
        { "count", "different sizes" },
        { "duplicate", "appears twice" },
        { "missing", "is missing" },
        { "point", "not the same point" },
        { "trials", "must count 4" },
        { "rows", "rows" },
    };

    [Theory]
    [MemberData(nameof(Mismatches))]
    public void Folders_that_are_not_exactly_the_shards_of_one_sweep_are_refused(string mismatch, string reason)
    {
        var shards = Three().ToList();
        switch (mismatch)
        {
            case "fingerprint": shards[2] = Shard(2, 3, "g", shards[2].Rows.ToArray()); break;
            case "count": shards[2] = Shard(2, 4, "f", shards[2].Rows.ToArray()); break;
            case "duplicate": shards[2] = shards[1]; break;
            case "missing": shards.RemoveAt(1); break;
            case "point": shards[2] = Shard(2, 3, "f", Row(0.1, 4, 0), Row(0.35, 2, 2)); break;
            case "trials": shards[2] = Shard(2, 3, "f", Row(0.1, 4, 0), Row(0.3, 2, 1)); break;
            default: shards[2] = Shard(2, 3, "f", Row(0.1, 4, 0)); break;
        }

        var error = Assert.Throws<InvalidDataException>(() => SweepMerge.Merge(shards));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Shard_ranges_used_by_merge_are_those_of_the_sweep() =>
        Assert.Equal([(0, 3), (3, 6), (6, 10)], Enumerable.Range(0, 3).Select(i => new ShardSpec(i, 3).TrialRange(TrialsPerPoint)));
}
