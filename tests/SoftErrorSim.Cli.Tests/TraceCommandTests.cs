using System.Globalization;
using System.Text.Json.Nodes;

namespace SoftErrorSim.Cli.Tests;

/// <summary>train --trace: the timeline as Chrome trace event JSON (SPEC 5; issue 12, acceptance).</summary>
public class TraceCommandTests
{
    /// <summary>50 steps of batch 1 on 8 nodes, faults in every step kind (rollbacks re-execute steps, so the window reaches past 50).</summary>
    private const string FiftySteps = $"{Run} --error-rate 0.01";

    private const string Run = "train --scheme gpd --nodes 8 --dataset synthetic --layers 20,16,16,4 --train-samples 50 --test-samples 20 --rounds 5 --threads 1 --progress never --fault gaussian --fault-steps encode,product,decode,activation,hadamard,update";

    [Theory]
    [InlineData("")]
    [InlineData("--burst-rate 0.1 --burst-size 2")]
    public void A_trace_of_a_50_step_run_is_valid_json_with_one_track_per_node_and_every_fault_of_faults_csv_as_an_instant(string bursts)
    {
        var folder = CliRunner.TempFolder();
        var (exit, _, error) = CliRunner.Run($"{FiftySteps} {bursts} --fault-log --trace trace.json --trace-steps 0:100000 --out {folder}");
        Assert.True(exit == 0, error);
        var events = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "trace.json")))!["traceEvents"]!.AsArray().Select(e => e!.AsObject()).ToList();

        // One thread per node, each named, and every span and instant on one of them.
        var names = events.Where(e => (string)e["ph"]! == "M" && (string)e["name"]! == "thread_name").ToDictionary(e => (int)e["tid"]!, e => (string)e["args"]!["name"]!);
        Assert.Equal(Enumerable.Range(0, 8), names.Keys.Order());
        Assert.All(names, n => Assert.Equal($"node {n.Key}", n.Value));
        var spans = events.Where(e => (string)e["ph"]! == "X").ToList();
        Assert.Equal(Enumerable.Range(0, 8), spans.Select(e => (int)e["tid"]!).Distinct().Order());
        Assert.Superset(new HashSet<string> { "compute", "all-gather", "decode", "update", "checkpoint" }, spans.Select(e => (string)e["name"]!).ToHashSet());
        Assert.All(spans, e => Assert.True((double)e["dur"]! > 0 && (double)e["ts"]! >= 0));

        // Every row of faults.csv is an instant with the same facts, and nothing else is.
        var rows = File.ReadAllLines(Path.Combine(folder, "faults.csv")).Skip(1).Select(l => l.Split(',')).ToList();
        Assert.True(rows.Count >= 10, $"only {rows.Count} faults: the test needs faults to compare");
        Assert.Equal(6, rows.Select(r => r[6]).Distinct().Count());
        static string Facts(params object[] fields) => string.Join(",", fields.Select(f => Convert.ToString(f, CultureInfo.InvariantCulture)));
        var instants = events.Where(e => (string)e["ph"]! == "i").Select(e =>
        {
            var a = e["args"]!;
            Assert.Equal((int)a["node"]!, (int)e["tid"]!);
            return Facts((long)a["step"]!, (int)a["sample"]!, (int)a["layer"]!, (string)a["pass"]!, (int)a["node"]!, (string)a["step_kind"]!, (string)a["fault_kind"]!, ((string)a["detail"]!).Replace(',', ';'), (string)a["verdict"]!, (string)a["cause"]!);
        }).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(rows.Select(r => string.Join(",", r[1..11])).Order(StringComparer.Ordinal), instants);

        // With bursts, their faults are instants too (the comparison above includes the cause).
        Assert.Equal(bursts.Length > 0, rows.Any(r => r[10] == "burst"));
    }

    [Fact]
    public void The_spans_end_where_train_csv_says_the_simulated_time_ends_and_the_default_window_is_the_first_100_steps()
    {
        var all = CliRunner.TempFolder();
        Assert.Equal(0, CliRunner.Run($"{FiftySteps} --trace t.json --trace-steps 0:100000 --out {all}").Exit);
        var events = JsonNode.Parse(File.ReadAllText(Path.Combine(all, "t.json")))!["traceEvents"]!.AsArray().Select(e => e!.AsObject()).ToList();
        var end = events.Where(e => (string)e["ph"]! == "X").Max(e => (double)e["ts"]! + (double)e["dur"]!);
        var train = File.ReadAllLines(Path.Combine(all, "train.csv"));
        var seconds = double.Parse(train[^1].Split(',')[Array.IndexOf(train[0].Split(','), "simulated_seconds")], CultureInfo.InvariantCulture);

        // Both sum the same charges in the same order; the trace multiplies by 1e6 and rounds to 1e-6 us.
        Assert.Equal(seconds * 1e6, end, 1e-9 * seconds * 1e6);

        var first = CliRunner.TempFolder();
        Assert.Equal(0, CliRunner.Run($"{Run} --error-rate 0.02 --trace t.json --fault-log --out {first}").Exit);
        var steps = JsonNode.Parse(File.ReadAllText(Path.Combine(first, "t.json")))!["traceEvents"]!.AsArray()
            .Where(e => (string)e!["ph"]! != "M").Select(e => (long)e!["args"]!["step"]!).ToList();
        var logged = File.ReadAllLines(Path.Combine(first, "faults.csv")).Skip(1).Select(l => long.Parse(l.Split(',')[1], CultureInfo.InvariantCulture)).ToList();
        Assert.True(logged.Max() > 99, "the run must execute more than 100 steps for the window to cut");
        Assert.Equal(0, steps.Min());
        Assert.Equal(99, steps.Max());
    }

    [Theory]
    [InlineData("--trace t.json --trace-steps 5:2")]
    [InlineData("--trace t.json --trace-steps x:9")]
    [InlineData("--trace t.json --trace-steps 3")]
    [InlineData("--trace t.json --trace-steps -1:5")]
    [InlineData("--trace t.json --trace-steps 1:2:3")]
    [InlineData("--trace t.json --trace-steps 1.5:3")]
    [InlineData("--trace-steps 0:9")]
    [InlineData("--trace sub/t.json")]
    [InlineData("--trace train.csv")]
    public void Bad_trace_options_exit_2_with_one_line_and_write_nothing(string options)
    {
        var folder = CliRunner.TempFolder();
        var (exit, output, error) = CliRunner.Run($"{FiftySteps} {options} --out {folder}");
        Assert.Equal(2, exit);
        Assert.Equal(string.Empty, output);
        Assert.Single(CliRunner.Lines(error));
        Assert.False(Directory.Exists(folder), $"{options} left {folder} behind");
    }
}
