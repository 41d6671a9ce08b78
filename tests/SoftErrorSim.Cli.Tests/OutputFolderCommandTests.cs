using System.Text.Json.Nodes;
using SoftErrorSim.Reporting;

namespace SoftErrorSim.Cli.Tests;

/// <summary>
/// An output folder belongs to one run at a time, is never left behind empty by a run that wrote
/// nothing, and never has another run's results overwritten without --force.
/// </summary>
public class OutputFolderCommandTests
{
    private const string Decode = "decode --nodes 9 --errors 0:2 --trials 30 --block-rows 4 --block-cols 4";
    private const string Train = "train --dataset synthetic --layers 12,8,3 --train-samples 40 --test-samples 20 --rounds 2";

    [Theory]
    [InlineData(Decode)]
    [InlineData(Train)]
    [InlineData("regress --seed 5 --trials 100")]
    [InlineData("sweep --schemes gpd --nodes 9 --error-rate 0.1 --trials 100 --block-rows 4 --block-cols 4")]
    [InlineData("reproduce decode-cliff --quick")]
    public void A_run_cancelled_before_it_wrote_anything_leaves_no_folder_and_says_so(string line)
    {
        var folder = Path.Combine(CliRunner.TempFolder(), "new", "out");
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var (exit, output, error) = CliRunner.Run($"{line} --out {folder}".Split(' '), cancellationToken: cancelled.Token);
        Assert.Equal(ExitCodes.Cancelled, exit);
        Assert.Equal(string.Empty, output);
        var said = Assert.Single(CliRunner.Lines(error));
        Assert.StartsWith("cancelled", said, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.GetDirectoryName(Path.GetDirectoryName(folder))) && Directory.EnumerateFileSystemEntries(Path.GetDirectoryName(Path.GetDirectoryName(folder))!).Any(),
            "a folder created for a run that wrote nothing must be removed again");
    }

    [Fact]
    public void A_merge_refused_for_a_seedless_shard_leaves_no_folder()
    {
        var shard = CliRunner.TempFolder();
        Assert.Equal(0, CliRunner.Run($"sweep --schemes gpd --nodes 9 --error-rate 0.1 --trials 100 --block-rows 4 --block-cols 4 --out {shard}").Exit);
        var path = Path.Combine(shard, "manifest.json");
        var manifest = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        manifest.Remove("seed");
        File.WriteAllText(path, manifest.ToJsonString());
        var target = CliRunner.TempFolder();
        var (exit, _, error) = CliRunner.Run($"merge {shard} --out {target}");
        Assert.Equal(2, exit);
        Assert.Contains("has no seed", Assert.Single(CliRunner.Lines(error)), StringComparison.Ordinal);
        Assert.False(Directory.Exists(target));
    }

    [Theory]
    [InlineData(Decode, "decode.csv")]
    [InlineData(Train, "train.csv")]
    [InlineData("regress --trials 100", "regress.csv")]
    [InlineData("sweep --schemes gpd --nodes 9 --error-rate 0.1 --trials 100 --block-rows 4 --block-cols 4", "sweep.csv")]
    public void Results_of_an_earlier_run_are_refused_and_kept_unless_force(string line, string file)
    {
        var folder = CliRunner.TempFolder();
        Assert.Equal(0, CliRunner.Run($"{line} --seed 1 --out {folder}").Exit);
        var before = File.ReadAllBytes(Path.Combine(folder, file));
        var (exit, output, error) = CliRunner.Run($"{line} --seed 2 --out {folder}");
        Assert.Equal(2, exit);
        Assert.Equal(string.Empty, output);
        Assert.Contains("already holds results of another run", Assert.Single(CliRunner.Lines(error)), StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(Path.Combine(folder, file)));
        Assert.False(File.Exists(Path.Combine(folder, OutputFolder.LockFileName)));

        var (forced, _, forcedError) = CliRunner.Run($"{line} --seed 2 --force --out {folder}");
        Assert.True(forced is 0 or 1, forcedError);
        Assert.False(File.Exists(Path.Combine(folder, OutputFolder.LockFileName)));
    }

    [Fact]
    public void Reproduce_quick_over_full_results_is_refused_and_they_stay_byte_for_byte()
    {
        // A copy of the committed full-size results of two experiments.
        var committed = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "results");
        var folder = CliRunner.TempFolder();
        foreach (var id in new[] { "decode-cliff", "rate-curves" })
        {
            Directory.CreateDirectory(Path.Combine(folder, id));
            foreach (var file in Directory.GetFiles(Path.Combine(committed, id)))
            {
                File.Copy(file, Path.Combine(folder, id, Path.GetFileName(file)));
            }
        }

        var snapshot = Directory.GetFiles(folder, "*", SearchOption.AllDirectories).ToDictionary(f => f, File.ReadAllBytes);
        var (exit, _, error) = CliRunner.Run($"reproduce decode-cliff --quick --out {folder}");
        Assert.Equal(2, exit);
        Assert.Contains("decode-cliff", Assert.Single(CliRunner.Lines(error)), StringComparison.Ordinal);
        Assert.All(snapshot, f => Assert.Equal(f.Value, File.ReadAllBytes(f.Key)));
        Assert.Equal(snapshot.Keys.Order(), Directory.GetFiles(folder, "*", SearchOption.AllDirectories).Order());

        // An experiment whose folder holds nothing yet may be added beside the others.
        Assert.Equal(0, CliRunner.Run($"reproduce tolerance-vs-p --quick --out {folder}").Exit);
    }

    [Fact]
    public void Plot_redraws_over_an_existing_figure_only_with_force()
    {
        var folder = CliRunner.TempFolder();
        Assert.Equal(0, CliRunner.Run($"{Decode} --out {folder}").Exit);
        var figure = Path.Combine(folder, "decode.png");
        File.WriteAllBytes(figure, [1, 2, 3]);
        var (exit, _, error) = CliRunner.Run($"plot {Path.Combine(folder, "decode.csv")}");
        Assert.Equal(2, exit);
        Assert.Contains("exists; add --force", Assert.Single(CliRunner.Lines(error)), StringComparison.Ordinal);
        Assert.Equal(new byte[] { 1, 2, 3 }, File.ReadAllBytes(figure));
        Assert.Equal(0, CliRunner.Run($"plot {Path.Combine(folder, "decode.csv")} --force").Exit);
        Assert.True(new FileInfo(figure).Length > 10_000);
    }

    [Fact]
    public void A_folder_another_run_holds_is_refused_with_one_line()
    {
        var folder = CliRunner.TempFolder();
        using (OutputFolder.Claim(folder, [], overwrite: false))
        {
            var (exit, output, error) = CliRunner.Run($"{Decode} --out {folder}");
            Assert.Equal(2, exit);
            Assert.Equal(string.Empty, output);
            Assert.Contains("is in use by another softerrorsim run", Assert.Single(CliRunner.Lines(error)), StringComparison.Ordinal);
        }

        Assert.Equal(0, CliRunner.Run($"{Decode} --out {folder}").Exit);
    }

    [Fact]
    [Trait("Category", "Process")]
    public void A_second_sweep_on_the_folder_of_a_running_one_is_refused_instead_of_resuming_it()
    {
        const string slow = "sweep --schemes gpd --nodes 12 --error-rate 0.05,0.2 --trials 40000 --checkpoint-every 1000 --block-rows 16 --block-cols 4 --seed 3 --threads 1";
        var folder = CliRunner.TempFolder();
        using var first = ProcessRunner.Start($"{slow} --out {folder}");
        var journal = Path.Combine(folder, "sweep.journal");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!(File.Exists(journal) && File.ReadAllLines(journal).Length > 1) && clock.Elapsed < TimeSpan.FromMinutes(2))
        {
            Thread.Sleep(20);
        }

        var (exit, output, error) = ProcessRunner.Run($"{slow} --out {folder}");
        Assert.Equal(2, exit);
        Assert.Equal(string.Empty, output);
        Assert.Contains("is in use by another softerrorsim run", Assert.Single(CliRunner.Lines(error)), StringComparison.Ordinal);
        Assert.DoesNotContain("resum", error, StringComparison.Ordinal);
        ProcessRunner.Terminate(first);
        Assert.Equal(ExitCodes.Cancelled, ProcessRunner.Finish(first).Exit);
    }

    [Fact]
    public void Force_starts_a_sweep_afresh_over_the_journal_of_another_sweep()
    {
        const string run = "sweep --schemes gpd --nodes 9 --error-rate 0.1,0.3 --trials 300 --checkpoint-every 100 --block-rows 4 --block-cols 4 --seed 9";
        var folder = CliRunner.TempFolder();
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, SweepJournal.FileName), "softerrorsim sweep journal v1 fingerprint=0 shard=0/1 block=100\n0,0,100,100,0,0,0,1\n");
        var (refused, _, error) = CliRunner.Run($"{run} --out {folder}");
        Assert.Equal(2, refused);
        Assert.Contains("other arguments", error, StringComparison.Ordinal);
        var (exit, output, forcedError) = CliRunner.Run($"{run} --force --out {folder}");
        Assert.True(exit == 0, forcedError);
        Assert.DoesNotContain("resumed", output, StringComparison.Ordinal);
    }
}
