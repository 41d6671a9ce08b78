using System.Globalization;
using System.Text.Json;

namespace SoftErrorSim.Cli.Tests;

public class ShardMergeTests
{
    private const string Sweep = "sweep --schemes gpd,replication,uncoded --nodes 9,12 --error-rate 0.02:0.3:log3 --trials 400 --block-rows 4 --block-cols 4 --seed 5";

    private static string Csv(string folder) => File.ReadAllText(Path.Combine(folder, "sweep.csv"));

    [Fact]
    [Trait("Category", "Process")]
    public void Three_shards_in_separate_processes_merge_to_the_unsharded_csv_byte_for_byte()
    {
        var whole = CliRunner.TempFolder();
        var shards = Enumerable.Range(0, 3).Select(_ => CliRunner.TempFolder()).ToArray();
        var merged = CliRunner.TempFolder();
        Assert.Equal(0, CliRunner.Run($"{Sweep} --threads 2 --out {whole}").Exit);

        // One process per shard, running at the same time, as on a cluster; shard 1 takes its index from the environment.
        var processes = shards.Select((folder, i) => i == 1
            ? ProcessRunner.Start($"{Sweep} --threads 1 --shard-from-env TEST_ARRAY_INDEX --shard-count 3 --out {folder}", new Dictionary<string, string> { ["TEST_ARRAY_INDEX"] = "1" })
            : ProcessRunner.Start($"{Sweep} --threads 1 --shard {i}/3 --out {folder}")).ToList();
        foreach (var process in processes)
        {
            var (exit, _, error) = ProcessRunner.Finish(process);
            Assert.True(exit == 0, error);
            process.Dispose();
        }

        // Each shard counted its own share: 133, 133 and 134 of the 400 trials of every point.
        Assert.All(SoftErrorSim.Reporting.SweepCsv.Read(Csv(shards[2])), r => Assert.Equal(134, r.Trials));
        var (mergeExit, _, mergeError) = ProcessRunner.Run($"merge {shards[2]} {shards[0]} {shards[1]} --out {merged}");
        Assert.True(mergeExit == 0, mergeError);
        Assert.Equal(Csv(whole), Csv(merged));
        Assert.Equal(File.ReadAllBytes(Path.Combine(whole, "sweep.png")), File.ReadAllBytes(Path.Combine(merged, "sweep.png")));
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(merged, "manifest.json")));
        Assert.Equal(3, manifest.RootElement.GetProperty("merged_from").GetArrayLength());
    }

    [Fact]
    [Trait("Category", "Process")]
    public void A_terminated_sweep_keeps_its_finished_blocks_and_the_rerun_equals_a_straight_run()
    {
        const string slow = "sweep --schemes gpd --nodes 12 --error-rate 0.05,0.2 --trials 40000 --checkpoint-every 1000 --block-rows 16 --block-cols 4 --seed 3 --threads 1";
        var straight = CliRunner.TempFolder();
        var interrupted = CliRunner.TempFolder();
        Assert.Equal(0, CliRunner.Run($"{slow} --out {straight}").Exit);

        using (var process = ProcessRunner.Start($"{slow} --out {interrupted}"))
        {
            var journal = Path.Combine(interrupted, "sweep.journal");
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (!(File.Exists(journal) && File.ReadAllLines(journal).Length > 3) && clock.Elapsed < TimeSpan.FromMinutes(2))
            {
                Thread.Sleep(20);
            }

            ProcessRunner.Terminate(process);
            var (exit, output, error) = ProcessRunner.Finish(process);
            Assert.True(exit == 130, $"exit {exit}: {error}");
            Assert.Equal(string.Empty, output);
            Assert.Contains("rerun the same command to resume", error, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(interrupted, "sweep.csv")));
            Assert.True(File.ReadAllLines(journal).Length > 3);
        }

        var (rerun, rerunOutput, rerunError) = CliRunner.Run($"{slow} --out {interrupted}");
        Assert.True(rerun == 0, rerunError);
        Assert.Matches(@"resumed: \d+ of 80 blocks", rerunOutput);
        Assert.Equal(Csv(straight), Csv(interrupted));
        Assert.False(File.Exists(Path.Combine(interrupted, "sweep.journal")));
    }

    [Theory]
    [InlineData("--node-rates lognormal:1")]
    [InlineData("--node-rates 0.001,0.1,0.002,0.05,0.003,0.03,0.005,0.02,0.02,0.005,0.03,0.003 --step-rates encode=0.01")]
    public void Stratified_shards_with_unequal_rates_merge_to_the_unsharded_files_byte_for_byte(string rates)
    {
        var sweep = $"sweep --schemes gpd,replication --nodes 12 {rates} --error-rate 0.02,0.1 --estimator stratified --trials 900 --block-rows 16 --block-cols 4 --checkpoint-every 200 --seed 5";
        var whole = CliRunner.TempFolder();
        var merged = CliRunner.TempFolder();
        var shards = Enumerable.Range(0, 3).Select(_ => CliRunner.TempFolder()).ToArray();
        var (exit, _, error) = CliRunner.Run($"{sweep} --threads 2 --out {whole}");
        Assert.True(exit == 0, error);
        for (var i = 0; i < shards.Length; i++)
        {
            (exit, _, error) = CliRunner.Run($"{sweep} --threads {1 + (i % 2)} --shard {i}/3 --out {shards[i]}");
            Assert.True(exit == 0, error);
        }

        (exit, _, error) = CliRunner.Run($"merge {shards[1]} {shards[2]} {shards[0]} --out {merged}");
        Assert.True(exit == 0, error);
        foreach (var file in new[] { "sweep.csv", "strata.csv", "sweep.png" })
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(whole, file)), File.ReadAllBytes(Path.Combine(merged, file)));
        }

        Assert.All(SoftErrorSim.Reporting.SweepCsv.Read(Csv(whole)), r => Assert.Equal("stratified", r.Estimator));
    }

    [Fact]
    public async Task An_interrupted_stratified_sweep_with_unequal_rates_resumes_to_the_bytes_of_a_straight_run()
    {
        string[] run = ["sweep", "--schemes", "replication", "--nodes", "12", "--node-rates", "outlier:2:50", "--error-rate", "0.05,0.2", "--estimator", "stratified", "--trials", "40000", "--checkpoint-every", "500", "--block-rows", "16", "--block-cols", "4", "--seed", "3", "--threads", "1", "--out"];
        var straight = CliRunner.TempFolder();
        var interrupted = CliRunner.TempFolder();
        Assert.Equal(0, CliRunner.Run([.. run, straight]).Exit);

        using var interrupt = new CancellationTokenSource();
        var journal = Path.Combine(interrupted, "sweep.journal");
        var first = Task.Run(() => CliRunner.Run([.. run, interrupted], cancellationToken: interrupt.Token));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!first.IsCompleted && !(File.Exists(journal) && File.ReadAllLines(journal).Length > 3) && clock.Elapsed < TimeSpan.FromMinutes(1))
        {
            await Task.Delay(5);
        }

        await interrupt.CancelAsync();
        var (exit, _, error) = await first;
        Assert.True(exit == 130, $"exit {exit}: {error}");
        Assert.False(File.Exists(Path.Combine(interrupted, "sweep.csv")));

        var (rerun, output, rerunError) = CliRunner.Run([.. run, interrupted]);
        Assert.True(rerun == 0, rerunError);
        Assert.Matches(@"resumed: \d+ of 160 blocks", output);
        Assert.Equal(Csv(straight), Csv(interrupted));
        Assert.Equal(File.ReadAllBytes(Path.Combine(straight, "strata.csv")), File.ReadAllBytes(Path.Combine(interrupted, "strata.csv")));
    }

    [Fact]
    public void A_journal_torn_mid_line_is_resumed_from_its_complete_lines()
    {
        const string run = "sweep --schemes gpd --nodes 9 --error-rate 0.1,0.3 --trials 300 --checkpoint-every 100 --block-rows 4 --block-cols 4 --seed 9";
        var straight = CliRunner.TempFolder();
        Assert.Equal(0, CliRunner.Run($"{run} --out {straight}").Exit);
        var folder = CliRunner.TempFolder();
        Directory.CreateDirectory(folder);
        // A journal as a crash would leave it: one whole line, then half a line.
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(straight, "manifest.json")));
        var fingerprint = manifest.RootElement.GetProperty("fingerprint").GetString();
        var rows = SoftErrorSim.Reporting.SweepCsv.Read(Csv(straight));
        var journal = string.Create(CultureInfo.InvariantCulture, $"softerrorsim sweep journal v1 fingerprint={fingerprint} shard=0/1 block=100\n0,0,100,100,0,0,0,1\n0,10");
        File.WriteAllText(Path.Combine(folder, "sweep.journal"), journal);
        var (exit, output, error) = CliRunner.Run($"{run} --out {folder}");
        Assert.True(exit == 0, error);
        Assert.Contains("resumed: 1 of 6 blocks", output, StringComparison.Ordinal);
        var resumed = SoftErrorSim.Reporting.SweepCsv.Read(Csv(folder));
        Assert.Equal(rows[1], resumed[1]);
        Assert.Equal(300, resumed[0].Trials);
        // The kept line claimed 100 clean decodes where the straight run also corrected some, so
        // point 0 differs: the journal's line was used and the torn half-line was not.
        Assert.True(rows[0].Corrected > 0);
        Assert.NotEqual(rows[0], resumed[0]);
    }

    [Theory]
    [InlineData("--shard 3/3")]
    [InlineData("--shard -1/3")]
    [InlineData("--shard 1/0")]
    [InlineData("--shard a/b")]
    [InlineData("--shard 1")]
    [InlineData("--shard 1/2/3")]
    [InlineData("--shard 0/401")]
    [InlineData("--shard 0/2 --shard-count 2")]
    [InlineData("--shard 0/2 --shard-from-env SOFTERRORSIM_TEST_INDEX --shard-count 2")]
    [InlineData("--shard-from-env SOFTERRORSIM_TEST_INDEX")]
    [InlineData("--shard-from-env SOFTERRORSIM_TEST_UNSET --shard-count 2")]
    [InlineData("--shard-from-env SOFTERRORSIM_TEST_BAD --shard-count 2")]
    [InlineData("--shard-from-env SOFTERRORSIM_TEST_INDEX --shard-count 2")]
    [InlineData("--shard-count 2")]
    [InlineData("--checkpoint-every 0")]
    public void Bad_shard_input_exits_2_with_one_line_and_writes_nothing(string options)
    {
        Environment.SetEnvironmentVariable("SOFTERRORSIM_TEST_INDEX", "2");
        Environment.SetEnvironmentVariable("SOFTERRORSIM_TEST_BAD", "one");
        var folder = CliRunner.TempFolder();
        var (exit, output, error) = CliRunner.Run($"{Sweep} {options} --out {folder}");
        Assert.Equal(2, exit);
        Assert.Equal(string.Empty, output);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any());
    }

    [Fact]
    public void Merge_refuses_mismatched_missing_duplicated_or_unfinished_shards_and_writes_nothing()
    {
        var a = CliRunner.TempFolder();
        var b = CliRunner.TempFolder();
        var other = CliRunner.TempFolder();
        var unfinished = CliRunner.TempFolder();
        Assert.Equal(0, CliRunner.Run($"{Sweep} --shard 0/2 --out {a}").Exit);
        Assert.Equal(0, CliRunner.Run($"{Sweep} --shard 1/2 --out {b}").Exit);
        Assert.Equal(0, CliRunner.Run($"{Sweep.Replace("--seed 5", "--seed 6", StringComparison.Ordinal)} --shard 1/2 --out {other}").Exit);
        Directory.CreateDirectory(unfinished);
        File.WriteAllText(Path.Combine(unfinished, "sweep.journal"), "softerrorsim sweep journal v1 fingerprint=0 shard=1/2 block=65536\n");
        foreach (var (folders, reason) in new[]
        {
            ($"{a} {other}", "different sweep"),
            ($"{a}", "shard 1/2 is missing"),
            ($"{a} {a} {b}", "appears twice"),
            ($"{a} {unfinished}", "unfinished shard"),
            ($"{a} {CliRunner.TempFolder()}", "no such folder"),
            ($"{a} {b} --out {a}", "is one of the shard folders"),
        })
        {
            var target = CliRunner.TempFolder();
            var line = folders.Contains("--out", StringComparison.Ordinal) ? $"merge {folders}" : $"merge {folders} --out {target}";
            var (exit, output, error) = CliRunner.Run(line);
            Assert.Equal(2, exit);
            Assert.Equal(string.Empty, output);
            Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains(reason, error, StringComparison.Ordinal);
            Assert.False(Directory.Exists(target));
        }
    }

    [Fact]
    public void Plot_redraws_sweep_and_decode_figures_from_their_csv_alone()
    {
        var sweep = CliRunner.TempFolder();
        var decode = CliRunner.TempFolder();
        Assert.Equal(0, CliRunner.Run($"{Sweep} --out {sweep}").Exit);
        Assert.Equal(0, CliRunner.Run($"decode --nodes 9 --errors 0:4 --trials 50 --block-rows 4 --block-cols 4 --out {decode}").Exit);
        foreach (var (folder, name) in new[] { (sweep, "sweep"), (decode, "decode") })
        {
            var redrawn = Path.Combine(CliRunner.TempFolder(), "figure.png");
            var (exit, _, error) = CliRunner.Run($"plot {Path.Combine(folder, name + ".csv")} --out {redrawn}");
            Assert.True(exit == 0, error);
            Assert.Equal(File.ReadAllBytes(Path.Combine(folder, name + ".png")), File.ReadAllBytes(redrawn));
        }

        // Without --out, the figure goes beside the CSV.
        File.Delete(Path.Combine(sweep, "sweep.png"));
        Assert.Equal(0, CliRunner.Run($"plot {Path.Combine(sweep, "sweep.csv")}").Exit);
        Assert.True(File.Exists(Path.Combine(sweep, "sweep.png")));
    }

    [Fact]
    public void Plot_refuses_what_is_not_a_figure_csv()
    {
        var folder = CliRunner.TempFolder();
        Directory.CreateDirectory(folder);
        var bogus = Path.Combine(folder, "other.csv");
        File.WriteAllText(bogus, "a,b\n1,2\n");
        foreach (var line in new[] { $"plot {bogus}", $"plot {Path.Combine(folder, "missing.csv")}", $"plot {bogus} --out {Path.Combine(folder, "x.txt")}" })
        {
            var (exit, _, error) = CliRunner.Run(line);
            Assert.Equal(2, exit);
            Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }

        Assert.Equal(["other.csv"], Directory.EnumerateFiles(folder).Select(Path.GetFileName));
    }
}
