using System.Text.Json;
using SoftErrorSim.Reporting;

namespace SoftErrorSim.Cli.Tests;

public class SweepCommandTests
{
    [Fact]
    public void Sweep_runs_the_cross_product_beside_the_oracle_and_lists_skipped_combinations()
    {
        var folder = CliRunner.TempFolder();
        var (exit, output, error) = CliRunner.Run(
            $"sweep --schemes gpd,mds,replication,uncoded --nodes 6,12 --m 2 --n 2 --q 3 --row-nodes 5 --col-nodes 3 --error-rate 0,0.1,0.3 --trials 300 --block-rows 4 --block-cols 4 --out {folder}");
        Assert.True(exit == 0, error);
        Assert.Contains("combinations skipped", output, StringComparison.Ordinal);
        var rows = SweepCsv.Read(File.ReadAllText(Path.Combine(folder, "sweep.csv")));
        // Three rates per configuration that ran.
        var series = rows.Select(r => r.SeriesLabel).Distinct().ToList();
        Assert.Equal(series.Count * 3, rows.Count);
        Assert.Contains(rows, r => r.Scheme == "gpd" && r.M == 3 && r.N == 1);
        Assert.Contains(rows, r => r.Scheme == "mds" && r.RowNodes == 5);
        // Every Monte Carlo rate sits within 5 standard errors of its oracle (300 trials).
        foreach (var row in rows)
        {
            var p = row.AnalyticSuccessRate!.Value;
            Assert.True(Math.Abs(row.SuccessRate - p) <= (5 * Math.Sqrt(p * (1 - p) / row.Trials)) + 1e-12, row.SeriesLabel + " " + row.ErrorRate);
            Assert.Equal(1 - p, row.AnalyticFailureRate!.Value, 9);
        }

        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "manifest.json")));
        Assert.Equal(JsonValueKind.Array, manifest.RootElement.GetProperty("skipped").ValueKind);
        Assert.True(new FileInfo(Path.Combine(folder, "sweep.png")).Length > 20_000);
    }

    [Fact]
    public void Combinations_a_scheme_cannot_run_are_skipped_and_named()
    {
        var folder = CliRunner.TempFolder();
        var (exit, _, error) = CliRunner.Run($"sweep --schemes gpd --nodes 5,12 --m 2 --n 2 --error-rate 0.1 --trials 20 --block-rows 4 --block-cols 4 --out {folder}");
        Assert.True(exit == 0, error);
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "manifest.json")));
        var skipped = manifest.RootElement.GetProperty("skipped");
        Assert.Equal(1, skipped.GetArrayLength());
        Assert.Contains("needs at least 6 nodes", skipped[0].GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Same_seed_gives_the_same_sweep_csv_for_any_thread_count()
    {
        var a = CliRunner.TempFolder();
        var b = CliRunner.TempFolder();
        const string common = "sweep --schemes gpd,replication --nodes 9 --error-rate 0.05:0.3:log3 --trials 150 --block-rows 4 --block-cols 4 --seed 4";
        Assert.Equal(0, CliRunner.Run($"{common} --threads 1 --out {a}").Exit);
        Assert.Equal(0, CliRunner.Run($"{common} --threads 2 --out {b}").Exit);
        Assert.Equal(File.ReadAllBytes(Path.Combine(a, "sweep.csv")), File.ReadAllBytes(Path.Combine(b, "sweep.csv")));
    }

    [Theory]
    [InlineData("sweep --error-rate 1.5 --out {0}")]
    [InlineData("sweep --error-rate -0.1 --out {0}")]
    [InlineData("sweep --error-rate 0.1,,0.2 --out {0}")]
    [InlineData("sweep --error-rate 1e-4:1e-1:logx --out {0}")]
    [InlineData("sweep --error-rate 0:1e-1:log5 --out {0}")]
    [InlineData("sweep --nodes 8:4:2 --out {0}")]
    [InlineData("sweep --nodes 8:16 --out {0}")]
    [InlineData("sweep --nodes a,b --out {0}")]
    [InlineData("sweep --schemes gpd,bogus --out {0}")]
    [InlineData("sweep --schemes gpd --nodes 3 --out {0}")]
    [InlineData("sweep --schemes mds --out {0}")]
    [InlineData("sweep --trials 0 --out {0}")]
    public void Bad_sweep_input_exits_2_with_one_line_and_writes_nothing(string template)
    {
        var folder = CliRunner.TempFolder();
        var (exit, output, error) = CliRunner.Run(string.Format(System.Globalization.CultureInfo.InvariantCulture, template, folder));
        Assert.Equal(2, exit);
        Assert.Equal(string.Empty, output);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.False(Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any());
    }

    [Fact]
    public void List_syntax_expands_ranges()
    {
        Assert.Equal([8, 16, 24, 32], ListSyntax.Integers("8:32:8", "--nodes"));
        Assert.Equal([3, 5, 7], ListSyntax.Integers("3,5,7,5", "--nodes"));
        var decades = ListSyntax.Reals("1e-4:1e-1:log4", "--error-rate");
        Assert.Equal(4, decades.Count);
        Assert.Equal(1e-4, decades[0], 15);
        Assert.Equal(1e-3, decades[1], 15);
        Assert.Equal(1e-1, decades[3], 15);
        Assert.Equal([0.0, 0.25, 0.5], ListSyntax.Reals("0:0.5:lin3", "--error-rate"));
    }
}
