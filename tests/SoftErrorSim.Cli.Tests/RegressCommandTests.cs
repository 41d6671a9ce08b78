using System.Globalization;
using SoftErrorSim.Experiments.Regress;

namespace SoftErrorSim.Cli.Tests;

public class RegressCommandTests
{
    private static string Baseline() => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "experiments", "regress", "nightly-baseline.csv"));

    [Fact]
    public void A_healthy_run_holds_against_the_oracle_and_the_committed_baseline()
    {
        var folder = CliRunner.TempFolder();
        var (exit, output, error) = CliRunner.Run($"regress --seed 5 --out {folder}");
        Assert.True(exit == 0, output + error);
        Assert.Contains("All points hold.", output, StringComparison.Ordinal);
        Assert.Contains("16 against the baseline", output, StringComparison.Ordinal);
        var csv = File.ReadAllLines(Path.Combine(folder, "regress.csv"));
        Assert.Equal(RegressSuite.Nightly.Count + 1, csv.Length);
        Assert.True(File.Exists(Path.Combine(folder, "regress.md")));
    }

    [Fact]
    public void The_summary_names_every_point_that_failed()
    {
        var reference = RegressSuite.ReadBaseline(Baseline());
        var broken = RegressSuite.Run(RegressSuite.Nightly, 5, null, 2, reference, s => RegressSuite.SpareNode(s, 0));
        var summary = RegressCommand.Summary(broken, 5, reference.Count);
        Assert.Contains("uncoded-forward-eps0.05", summary, StringComparison.Ordinal);
        Assert.Contains("points failed", summary, StringComparison.Ordinal);
    }

    [Fact]
    public void A_shifted_baseline_makes_the_command_exit_1_and_name_the_point()
    {
        // The baseline claims the replicated decode at eps = 0.1 succeeded far more often than it does.
        var lines = Baseline().Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
        var index = lines.FindIndex(l => l.StartsWith("replication-forward-eps0.1,", StringComparison.Ordinal));
        var fields = lines[index].Split(',');
        fields[10] = fields[9];
        lines[index] = string.Join(',', fields);
        var folder = CliRunner.TempFolder();
        Directory.CreateDirectory(folder);
        var tampered = Path.Combine(folder, "baseline.csv");
        File.WriteAllText(tampered, string.Join('\n', lines) + "\n");
        var (exit, output, _) = CliRunner.Run($"regress --seed 5 --baseline {tampered} --out {Path.Combine(folder, "out")}");
        Assert.Equal(1, exit);
        Assert.Contains("replication-forward-eps0.1", File.ReadAllText(Path.Combine(folder, "out", "regress.md")), StringComparison.Ordinal);
        Assert.Contains("(disagrees)", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("regress --trials 0 --out {0}", "--trials")]
    [InlineData("regress --baseline /no/such/file.csv --out {0}", "no such file")]
    [InlineData("regress --suite weekly --out {0}", "weekly")]
    public void Bad_regress_input_exits_2_with_one_line_and_writes_nothing(string template, string reason)
    {
        var folder = CliRunner.TempFolder();
        var (exit, output, error) = CliRunner.Run(string.Format(CultureInfo.InvariantCulture, template, folder));
        Assert.Equal(2, exit);
        Assert.Equal(string.Empty, output);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(reason, error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder));
    }
}
