using System.Text.Json;
using SoftErrorSim.Experiments;

namespace SoftErrorSim.Cli.Tests;

public class ReproduceCommandTests
{
    [Fact]
    public void Every_experiment_smoke_runs_and_writes_its_data_figure_and_checked_manifest()
    {
        var folder = CliRunner.TempFolder();
        var (exit, output, error) = CliRunner.Run($"reproduce --all --quick --threads 2 --out {folder}");
        Assert.True(exit == 0, output + error);
        Assert.Equal(9, Experiment.All.Count);
        foreach (var experiment in Experiment.All)
        {
            var directory = Path.Combine(folder, experiment.Id);
            var csv = File.ReadAllLines(Path.Combine(directory, "data.csv"));
            Assert.True(csv.Length > 1, experiment.Id);
            Assert.True(new FileInfo(Path.Combine(directory, "figure.png")).Length > 20_000, experiment.Id);
            using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "manifest.json")));
            Assert.Equal(experiment.Id, manifest.RootElement.GetProperty("experiment").GetString());
            var checks = manifest.RootElement.GetProperty("checks");
            Assert.True(checks.GetArrayLength() > 0, experiment.Id);
            Assert.All(checks.EnumerateArray(), c => Assert.True(c.GetProperty("passed").GetBoolean(), c.GetProperty("check").GetString()));
            Assert.Contains($"{experiment.Id} (", output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_same_seed_reproduces_the_same_data()
    {
        var a = CliRunner.TempFolder();
        var b = CliRunner.TempFolder();
        Assert.Equal(0, CliRunner.Run($"reproduce decode-cliff rate-curves --quick --threads 1 --out {a}").Exit);
        Assert.Equal(0, CliRunner.Run($"reproduce decode-cliff rate-curves --quick --threads 2 --out {b}").Exit);
        foreach (var id in new[] { "decode-cliff", "rate-curves" })
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(a, id, "data.csv")), File.ReadAllBytes(Path.Combine(b, id, "data.csv")));
        }
    }

    [Fact]
    public async Task Cancelling_keeps_the_finished_experiments_whole_and_says_so()
    {
        var folder = CliRunner.TempFolder();
        var output = new StringWriter();
        var error = new StringWriter();
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        var exit = await CliApp.RunAsync(["reproduce", "--all", "--quick", "--threads", "1", "--out", folder], new CliConsole(output, error, false), cancel.Token);
        Assert.Equal(130, exit);
        Assert.StartsWith("cancelled during ", error.ToString(), StringComparison.Ordinal);
        var written = Directory.Exists(folder) ? Directory.GetDirectories(folder) : [];
        Assert.True(written.Length < Experiment.All.Count);
        Assert.All(written, d => Assert.True(File.Exists(Path.Combine(d, "manifest.json")) && File.Exists(Path.Combine(d, "data.csv")), d));
    }

    [Theory]
    [InlineData("reproduce --out {0}", "or give --all")]
    [InlineData("reproduce decode-cliff --all --out {0}", "not both")]
    [InlineData("reproduce no-such-figure --out {0}", "unknown experiment 'no-such-figure'")]
    [InlineData("reproduce --all --threads 0 --out {0}", "--threads")]
    public void Bad_reproduce_input_exits_2_with_one_line_and_writes_nothing(string template, string reason)
    {
        var folder = CliRunner.TempFolder();
        var (exit, output, error) = CliRunner.Run(string.Format(System.Globalization.CultureInfo.InvariantCulture, template, folder));
        Assert.Equal(2, exit);
        Assert.Equal(string.Empty, output);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(reason, error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder));
    }
}
