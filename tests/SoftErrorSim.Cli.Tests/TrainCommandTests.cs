using System.Globalization;
using System.Text.Json;
using SoftErrorSim.Reporting;

namespace SoftErrorSim.Cli.Tests;

public class TrainCommandTests
{
    private const string Small = "train --dataset synthetic --layers 12,8,8,3 --train-samples 200 --test-samples 100 --rounds 4 --learning-rate 0.05";

    [Fact]
    public void Compare_runs_every_scheme_on_the_same_data_into_one_csv_and_figure()
    {
        var folder = CliRunner.TempFolder();
        var (exit, output, error) = CliRunner.Run($"{Small} --compare fault-free,gpd,replication,uncoded --error-rate 0 --out {folder}");
        Assert.True(exit == 0, error);
        var rows = TrainCsv.Read(File.ReadAllText(Path.Combine(folder, "train.csv")));
        Assert.Equal(16, rows.Count);
        Assert.Equal(["fault-free", "gpd", "replication", "uncoded"], rows.Select(r => r.Scheme).Distinct());
        // At error rate 0 every scheme follows the fault-free trajectory (to rounding).
        foreach (var round in rows.GroupBy(r => r.Round))
        {
            var reference = round.Single(r => r.Scheme == "fault-free");
            Assert.All(round, r => Assert.Equal(reference.Loss, r.Loss, 1e-8));
        }

        var gpd = rows.Last(r => r.Scheme == "gpd");
        Assert.Equal((8, 5, 6), (gpd.Nodes, gpd.ForwardThreshold, gpd.BackwardThreshold));
        Assert.Contains("gpd", output, StringComparison.Ordinal);
        Assert.True(new FileInfo(Path.Combine(folder, "train.png")).Length > 20_000);
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "manifest.json")));
        Assert.Equal(4, manifest.RootElement.GetProperty("runs").GetArrayLength());

        // Each run's wall time per SGD step: 200 samples one at a time are 200 steps.
        foreach (var run in manifest.RootElement.GetProperty("runs").EnumerateArray())
        {
            var (steps, seconds, perStep) = (run.GetProperty("steps").GetInt64(), run.GetProperty("run_seconds").GetDouble(), run.GetProperty("run_seconds_per_step").GetDouble());
            Assert.Equal(200, steps);
            Assert.True(seconds > 0 && seconds < manifest.RootElement.GetProperty("wall_seconds").GetDouble(), $"{seconds} s");
            // The manifest rounds the run's seconds to 1e-3 and the time per step to 1e-4, each from the unrounded time.
            Assert.InRange(perStep, (seconds / steps) - 5e-5 - (5e-4 / steps), (seconds / steps) + 5e-5 + (5e-4 / steps));
            Assert.Contains($"{run.GetProperty("scheme").GetString()}: 200 SGD steps in ", output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Same_seed_gives_the_same_train_csv_for_any_thread_count()
    {
        var a = CliRunner.TempFolder();
        var b = CliRunner.TempFolder();
        var common = $"{Small} --scheme gpd --error-rate 0.01 --fault gaussian --fault-steps product,update,decode";
        Assert.Equal(0, CliRunner.Run($"{common} --threads 1 --out {a}").Exit);
        Assert.Equal(0, CliRunner.Run($"{common} --threads 2 --out {b}").Exit);
        Assert.Equal(File.ReadAllBytes(Path.Combine(a, "train.csv")), File.ReadAllBytes(Path.Combine(b, "train.csv")));
        Assert.Contains(TrainCsv.Read(File.ReadAllText(Path.Combine(a, "train.csv"))), r => r.Corrected > 0);
    }

    [Fact]
    public void A_batch_is_coded_with_the_matrix_matrix_code_whose_threshold_is_reported()
    {
        var folder = CliRunner.TempFolder();
        var (exit, _, error) = CliRunner.Run($"{Small} --scheme gpd --batch 5 --d 5 --nodes 24 --error-rate 0 --checkpoint-every 25 --out {folder}");
        Assert.True(exit == 0, error);
        var rows = TrainCsv.Read(File.ReadAllText(Path.Combine(folder, "train.csv")));
        Assert.All(rows, r => Assert.Equal(2 * 2 * 5 + 2 - 1, r.ForwardThreshold));

        // 200 samples in batches of 5 are 40 SGD steps.
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "manifest.json")));
        Assert.Equal(40, manifest.RootElement.GetProperty("runs")[0].GetProperty("steps").GetInt64());
    }

    [Fact]
    public void Layer_widths_the_split_does_not_divide_are_padded_and_said_so()
    {
        var folder = CliRunner.TempFolder();
        var (exit, output, error) = CliRunner.Run($"train --dataset synthetic --layers 13,9,3 --train-samples 100 --test-samples 50 --rounds 2 --error-rate 0 --out {folder}");
        Assert.True(exit == 0, error);
        Assert.Contains("padded with zeros", output, StringComparison.Ordinal);
        Assert.Contains("padded with zeros", File.ReadAllText(Path.Combine(folder, "manifest.json")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--dataset imagenet --layers 12,8,3", "'imagenet' not recognized")]
    [InlineData("--dataset mnist --layers 700,10", "784 features")]
    [InlineData("--dataset mnist --layers 784,10 --train-samples 9000 --test-samples 1001", "10000 samples")]
    [InlineData("--layers 12", "at least two")]
    [InlineData("--layers 12,8,1", "at least two classes")]
    [InlineData("--layers 12,x,3", "--layers")]
    [InlineData("--scheme gpd --nodes 6", "P > max(K_fwd, K_bwd) = 6")]
    [InlineData("--scheme replication --nodes 3", "at least mn = 4")]
    [InlineData("--scheme gpd --nodes 40 --m 4 --n 4 --points chebyshev", "--points unit-circle")]
    [InlineData("--compare gpd,bogus", "unknown scheme 'bogus'")]
    [InlineData("--fault-steps product,teleport", "unknown step 'teleport'")]
    [InlineData("--error-rate 1.5", "[0, 1]")]
    [InlineData("--train-samples 201", "multiple of --rounds")]
    [InlineData("--batch 4", "must be positive and divide the samples per round (50)")]
    [InlineData("--batch 5 --d 2", "--d (2) must be positive and divide --batch (5)")]
    [InlineData("--batch 10 --d 2 --checkpoint-every 50 --nodes 9", "with d = 2")]
    [InlineData("--scheme mds", "--row-nodes and --col-nodes")]
    [InlineData("--learning-rate -1", "--learning-rate")]
    [InlineData("--checkpoint-every 0", "--checkpoint-every")]
    public void Bad_training_input_exits_2_with_one_clear_line_and_writes_nothing(string options, string reason)
    {
        // Every case sets its own options once (a repeated option would fail for the wrong reason).
        var defaults = new Dictionary<string, string>
        {
            ["--dataset"] = "synthetic",
            ["--layers"] = "12,8,8,3",
            ["--train-samples"] = "200",
            ["--test-samples"] = "100",
            ["--rounds"] = "4",
        };
        var given = options.Split(' ').Where(o => o.StartsWith("--", StringComparison.Ordinal)).ToHashSet();
        var line = "train " + string.Join(' ', defaults.Where(d => !given.Contains(d.Key)).Select(d => $"{d.Key} {d.Value}")) + " " + options;
        var folder = CliRunner.TempFolder();
        var (exit, output, error) = CliRunner.Run(string.Create(CultureInfo.InvariantCulture, $"{line} --out {folder}"));
        Assert.Equal(2, exit);
        Assert.Equal(string.Empty, output);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(reason, error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any());
    }
}
