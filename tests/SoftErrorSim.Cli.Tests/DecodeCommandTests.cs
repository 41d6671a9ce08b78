using System.Text.Json;
using SoftErrorSim.Reporting;

namespace SoftErrorSim.Cli.Tests;

public class DecodeCommandTests
{
    [Fact]
    public void Decode_writes_csv_png_and_manifest_with_the_cliff_at_P_minus_K()
    {
        var folder = CliRunner.TempFolder();
        var (exit, output, error) = CliRunner.Run($"decode --nodes 10 --m 2 --n 2 --errors 0:6 --trials 60 --block-rows 8 --block-cols 8 --seed 5 --threads 2 --out {folder}");
        Assert.True(exit == 0, error);
        Assert.Contains("K = 5", output, StringComparison.Ordinal);
        var rows = DecodeCsv.Read(File.ReadAllText(Path.Combine(folder, "decode.csv")));
        Assert.Equal(7, rows.Count);
        Assert.All(rows, r => Assert.Equal(60, r.Trials));
        // P - K - 1 = 4: probability one corrects through 4 errors and flags 5 and 6.
        Assert.All(rows.Where(r => r.Errors <= 4), r => Assert.Equal(1.0, r.SuccessRate));
        Assert.All(rows.Where(r => r.Errors >= 5), r => Assert.Equal(60, r.Detected));
        Assert.True(new FileInfo(Path.Combine(folder, "decode.png")).Length > 10_000);
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "manifest.json")));
        Assert.Equal(5UL, manifest.RootElement.GetProperty("seed").GetUInt64());
        Assert.Equal("decode", manifest.RootElement.GetProperty("command").GetString());
        Assert.Equal(5, manifest.RootElement.GetProperty("recovery_threshold").GetInt32());
        Assert.Empty(Directory.GetFiles(folder, ".*"));
    }

    [Fact]
    public void Same_seed_gives_the_same_csv_bytes_for_any_thread_count()
    {
        var a = CliRunner.TempFolder();
        var b = CliRunner.TempFolder();
        const string common = "decode --scheme gpd --nodes 11 --m 2 --n 2 --error-model bitflip --errors 0:5 --trials 80 --block-rows 8 --block-cols 8 --seed 9";
        Assert.Equal(0, CliRunner.Run($"{common} --threads 1 --out {a}").Exit);
        Assert.Equal(0, CliRunner.Run($"{common} --threads 2 --out {b}").Exit);
        Assert.Equal(File.ReadAllBytes(Path.Combine(a, "decode.csv")), File.ReadAllBytes(Path.Combine(b, "decode.csv")));
    }

    [Theory]
    [InlineData("mds --row-nodes 5 --m 3 --col-nodes 4 --n 2", "forward", "gaussian")]
    [InlineData("replication --nodes 9 --m 2 --n 2", "backward", "adversarial")]
    [InlineData("uncoded --nodes 4 --m 2 --n 2", "forward", "bitflip")]
    [InlineData("gpd --nodes 9 --m 2 --n 1 --d 2", "matmat", "gaussian")]
    public void Every_scheme_and_pass_runs(string scheme, string pass, string model)
    {
        var folder = CliRunner.TempFolder();
        var (exit, _, error) = CliRunner.Run($"decode --scheme {scheme} --pass {pass} --error-model {model} --errors 0:2 --trials 20 --block-rows 4 --block-cols 4 --out {folder}");
        Assert.True(exit == 0, error);
        Assert.Equal(3, DecodeCsv.Read(File.ReadAllText(Path.Combine(folder, "decode.csv"))).Count);
    }

    [Theory]
    [InlineData("decode --scheme foo --out {0}")]
    [InlineData("decode --nodes 3 --m 2 --n 2 --out {0}")]
    [InlineData("decode --m 0 --out {0}")]
    [InlineData("decode --nodes 12 --errors 0:13 --out {0}")]
    [InlineData("decode --errors 5:2 --out {0}")]
    [InlineData("decode --errors x --out {0}")]
    [InlineData("decode --error-model cosmic --out {0}")]
    [InlineData("decode --error-model bitflip --bits 60:70 --out {0}")]
    [InlineData("decode --pass matmat --out {0}")]
    [InlineData("decode --trials 0 --out {0}")]
    [InlineData("decode --threads 0 --out {0}")]
    [InlineData("decode --block-rows -4 --out {0}")]
    [InlineData("decode --scheme mds --m 2 --n 2 --out {0}")]
    [InlineData("decode --scheme mds --row-nodes 4 --col-nodes 3 --m 2 --n 2 --nodes 9 --out {0}")]
    [InlineData("decode --row-nodes 4 --out {0}")]
    [InlineData("decode --magnitude -1 --out {0}")]
    [InlineData("decode --nodes abc --out {0}")]
    [InlineData("decode --frobnicate --out {0}")]
    [InlineData("decode")]
    [InlineData("codes --nodes 2 --m 2 --n 2")]
    [InlineData("codes --points golden")]
    [InlineData("")]
    public void Bad_input_exits_2_with_one_line_and_writes_nothing(string template)
    {
        var folder = CliRunner.TempFolder();
        var (exit, output, error) = CliRunner.Run(string.Format(System.Globalization.CultureInfo.InvariantCulture, template, folder));
        Assert.Equal(2, exit);
        Assert.Equal(string.Empty, output);
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("error: ", lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any());
    }

    [Fact]
    public void An_unwritable_output_folder_exits_2_before_any_work()
    {
        var file = Path.GetTempFileName();
        var (exit, _, error) = CliRunner.Run($"decode --trials 10 --out {Path.Combine(file, "sub")}");
        Assert.Equal(2, exit);
        Assert.Contains("not writable", error, StringComparison.Ordinal);
        File.Delete(file);
    }

    [Fact]
    public void Help_exits_0()
    {
        var (exit, output, _) = CliRunner.Run("decode --help");
        Assert.Equal(0, exit);
        Assert.Contains("--error-model", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancellation_writes_nothing()
    {
        var folder = CliRunner.TempFolder();
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var error = new StringWriter();
        var exit = await CliApp.RunAsync(
            $"decode --trials 1000 --out {folder}".Split(' '),
            new CliConsole(new StringWriter(), error, false),
            cancelled.Token);
        Assert.Equal(ExitCodes.Cancelled, exit);
        Assert.False(File.Exists(Path.Combine(folder, "decode.csv")));
    }
}
