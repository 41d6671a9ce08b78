using System.Text.Json;

namespace SoftErrorSim.Cli.Tests;

public class CodesCommandTests
{
    [Fact]
    public void Codes_json_matches_the_golden_file()
    {
        var (exit, output, error) = CliRunner.Run("codes --scheme gpd --nodes 12 --m 2 --n 2 --d 2 --json");
        Assert.Equal(0, exit);
        Assert.Equal(string.Empty, error);
        var golden = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", "codes-gpd-p12-m2-n2-d2.json"));
        Assert.Equal(golden.ReplaceLineEndings("\n"), output.ReplaceLineEndings("\n"));
    }

    [Theory]
    [InlineData(12, 2, 2)]
    [InlineData(20, 3, 2)]
    [InlineData(9, 1, 4)]
    [InlineData(11, 5, 1)]
    public void Codes_json_thresholds_and_tolerances_follow_the_formulas(int p, int m, int n)
    {
        var (exit, output, _) = CliRunner.Run($"codes --nodes {p} --m {m} --n {n} --json");
        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        int Get(string key) => root.GetProperty(key).GetInt32();
        // Independent oracle: the closed forms of SPEC 2 and the decoding radii of SPEC 4.
        var kf = (m * n) + n - 1;
        var kb = (2 * m * n) - n;
        Assert.Equal(kf, Get("threshold_forward"));
        Assert.Equal(kb, Get("threshold_backward"));
        Assert.Equal(JsonValueKind.Null, root.GetProperty("threshold_matmat").ValueKind);
        Assert.Equal((p - kf) / 2, Get("tolerance_adversarial_forward"));
        Assert.Equal(p - kf - 1, Get("tolerance_probabilistic_forward"));
        Assert.Equal((p - kb) / 2, Get("tolerance_adversarial_backward"));
        Assert.Equal(Math.Max(p - kb - 1, 0), Get("tolerance_probabilistic_backward"));
        Assert.Equal(64 * 64, Get("storage_words_per_node"));
        Assert.Equal(64 * (p - 1), Get("words_sent_per_node_forward"));
        Assert.True(root.GetProperty("condition_number_forward").GetDouble() >= 1);
    }

    [Fact]
    public void Codes_for_CodeNet_implies_the_node_count_and_uses_grid_lines()
    {
        var (exit, output, _) = CliRunner.Run("codes --scheme mds --row-nodes 7 --m 5 --col-nodes 6 --n 4 --json");
        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(38, json.RootElement.GetProperty("nodes").GetInt32());
        Assert.Equal(5, json.RootElement.GetProperty("threshold_forward").GetInt32());
        Assert.Equal(1, json.RootElement.GetProperty("tolerance_adversarial_forward").GetInt32());
        Assert.Equal(1, json.RootElement.GetProperty("tolerance_probabilistic_forward").GetInt32());
        Assert.Equal("grid lines", json.RootElement.GetProperty("threshold_unit").GetString());
    }

    [Fact]
    public void Codes_for_replication_counts_copies()
    {
        var (exit, output, _) = CliRunner.Run("codes --scheme replication --nodes 17 --m 2 --n 2 --json");
        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(4, json.RootElement.GetProperty("copies_per_block").GetInt32());
        Assert.Equal(1, json.RootElement.GetProperty("tolerance_adversarial_forward").GetInt32());
        Assert.Equal(2, json.RootElement.GetProperty("tolerance_probabilistic_forward").GetInt32());
    }

    [Fact]
    public void Codes_table_is_readable_text()
    {
        var (exit, output, _) = CliRunner.Run("codes --nodes 40 --m 4 --n 5");
        Assert.Equal(0, exit);
        Assert.Contains("forward: recovery threshold K", output, StringComparison.Ordinal);
        Assert.Contains("24 nodes", output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_configuration_beyond_float64_on_real_points_says_so_and_the_unit_circle_decodes_it()
    {
        // P = 40, K_bwd = 2 * 4 * 5 - 5 = 35: the spec puts (40, 36) at 1.2e13 on Chebyshev points,
        // where the decoding contract refuses even a clean decode; on the circle it is exactly 1.
        var (exit, output, _) = CliRunner.Run("codes --nodes 40 --m 4 --n 5 --points chebyshev --json");
        Assert.Equal(0, exit);
        using (var json = JsonDocument.Parse(output))
        {
            Assert.True(json.RootElement.GetProperty("beyond_float64").GetBoolean());
            Assert.Equal(-1, json.RootElement.GetProperty("achieved_tolerance_probabilistic_backward").GetInt32());
        }

        (exit, output, _) = CliRunner.Run("codes --nodes 40 --m 4 --n 5 --json");
        Assert.Equal(0, exit);
        using (var json = JsonDocument.Parse(output))
        {
            var root = json.RootElement;
            Assert.False(root.GetProperty("beyond_float64").GetBoolean());
            Assert.Equal(1.0, root.GetProperty("condition_number_backward").GetDouble(), 3);
            foreach (var pass in new[] { "forward", "backward" })
            {
                // Achieved in float64 never exceeds the exact tolerance, and the circle achieves most of it.
                var exact = root.GetProperty($"tolerance_probabilistic_{pass}").GetInt32();
                var adjacent = root.GetProperty($"achieved_tolerance_probabilistic_{pass}").GetInt32();
                var random = root.GetProperty($"achieved_random_tolerance_probabilistic_{pass}").GetInt32();
                Assert.InRange(adjacent, 1, exact);
                Assert.InRange(random, adjacent, exact);
            }
        }
    }
}
