using System.Globalization;
using System.Text.Json.Nodes;

namespace SoftErrorSim.Cli.Tests;

public class FaultEnvironmentCommandTests
{
    private const string Small = "--dataset synthetic --layers 20,16,16,4 --train-samples 200 --test-samples 50 --rounds 4 --threads 1 --progress never";

    public static TheoryData<string, string, string> Replays => new()
    {
        { "gpd", "--nodes 12", "gaussian" },
        { "mds", "--row-nodes 4 --col-nodes 4", "gaussian" },
        { "replication", "--nodes 12", "gaussian" },
        { "uncoded", "--nodes 12", "gaussian" },
        { "gpd", "--nodes 12", "sparse-weight" },
        { "mds", "--row-nodes 4 --col-nodes 4", "bitflip" },
        { "replication", "--nodes 12", "bitflip" },
        { "uncoded", "--nodes 12", "sparse-weight" },
    };

    [Theory]
    [MemberData(nameof(Replays))]
    public void Replaying_the_fault_log_reproduces_train_csv_byte_for_byte(string scheme, string nodes, string fault)
    {
        var recorded = CliRunner.TempFolder();
        var replayed = CliRunner.TempFolder();
        var command = $"train --scheme {scheme} {nodes} {Small} --fault {fault} --error-rate 0.002 --fault-steps encode,product,decode,activation,hadamard,update --node-rates outlier:2:5";
        var (exit, _, error) = CliRunner.Run($"{command} --fault-log --out {recorded}");
        Assert.True(exit == 0, error);
        var log = File.ReadAllLines(Path.Combine(recorded, "faults.csv")).Skip(1).ToArray();
        var train = File.ReadAllLines(Path.Combine(recorded, "train.csv"));
        var header = train[0].Split(',');
        var faultsInjected = long.Parse(train[^1].Split(',')[Array.IndexOf(header, "faults_injected")], CultureInfo.InvariantCulture);
        Assert.Equal(faultsInjected, log.Length);

        // Faults in every step kind, so that every injection site is replayed.
        var kinds = log.Select(l => l.Split(',')[6]).Distinct().Order().ToArray();
        Assert.Equal(["activation", "decode", "encode", "hadamard", "product", "update"], kinds);

        (exit, _, error) = CliRunner.Run($"{command} --replay-faults {Path.Combine(recorded, "faults.csv")} --out {replayed}");
        Assert.True(exit == 0, error);
        Assert.Equal(File.ReadAllBytes(Path.Combine(recorded, "train.csv")), File.ReadAllBytes(Path.Combine(replayed, "train.csv")));
    }

    public static TheoryData<string, string, string> BurstReplays => new()
    {
        { "gpd", "--nodes 12", "--burst-rate 0.05 --burst-size 3" },
        { "mds", "--row-nodes 4 --col-nodes 4", "--burst-rate 0.02 --burst-size 2" },
        { "replication", "--nodes 12", "--burst-rate 0.05 --burst-size 3" },
        { "uncoded", "--nodes 12", "--burst-rate 0.05 --burst-size 2" },
    };

    [Theory]
    [MemberData(nameof(BurstReplays))]
    public void Replaying_a_fault_log_with_bursts_reproduces_train_csv_byte_for_byte(string scheme, string nodes, string bursts)
    {
        var recorded = CliRunner.TempFolder();
        var replayed = CliRunner.TempFolder();
        var command = $"train --scheme {scheme} {nodes} {Small} --fault gaussian --error-rate 0.002 --fault-steps encode,product,decode,activation,hadamard,update {bursts}";
        var (exit, _, error) = CliRunner.Run($"{command} --fault-log --out {recorded}");
        Assert.True(exit == 0, error);
        var log = File.ReadAllLines(Path.Combine(recorded, "faults.csv"));
        var cause = Array.IndexOf(log[0].Split(','), "cause");
        var rows = log.Skip(1).Select(l => l.Split(',')).ToArray();
        var train = File.ReadAllLines(Path.Combine(recorded, "train.csv"));
        var header = train[0].Split(',');
        Assert.Equal(long.Parse(train[^1].Split(',')[Array.IndexOf(header, "faults_injected")], CultureInfo.InvariantCulture), rows.Length);
        Assert.Contains(rows, r => r[cause] == "burst");
        Assert.Contains(rows, r => r[cause] == "independent");

        // The manifest records the bursts and their check.
        var environment = JsonNode.Parse(File.ReadAllText(Path.Combine(recorded, "manifest.json")))!["runs"]![0]!["fault_environment"]!;
        Assert.Equal(bursts, string.Create(CultureInfo.InvariantCulture, $"--burst-rate {environment["burst_rate"]!.GetValue<double>()} --burst-size {environment["burst_size"]!.GetValue<int>()}"));
        var check = environment["injector_check"]!.AsArray().Single(c => c!["step_kind"]!.GetValue<string>() == "burst")!;
        Assert.Equal(long.Parse(train[^1].Split(',')[Array.IndexOf(header, "decodes")], CultureInfo.InvariantCulture), check["opportunities"]!.GetValue<long>());

        (exit, _, error) = CliRunner.Run($"{command} --replay-faults {Path.Combine(recorded, "faults.csv")} --fault-log --out {replayed}");
        Assert.True(exit == 0, error);
        Assert.Equal(File.ReadAllBytes(Path.Combine(recorded, "train.csv")), File.ReadAllBytes(Path.Combine(replayed, "train.csv")));

        // The replay strikes the same faults with the same verdicts and causes.
        Assert.Equal(File.ReadAllBytes(Path.Combine(recorded, "faults.csv")), File.ReadAllBytes(Path.Combine(replayed, "faults.csv")));
    }

    [Fact]
    public void Bursts_in_training_give_the_same_bytes_on_one_thread_and_two()
    {
        var one = CliRunner.TempFolder();
        var two = CliRunner.TempFolder();
        var command = $"train --scheme gpd --nodes 12 {Small.Replace("--threads 1", string.Empty, StringComparison.Ordinal)} --fault bitflip --error-rate 0.002 --burst-rate 0.05 --burst-size 4 --fault-log";
        Assert.Equal(0, CliRunner.Run($"{command} --threads 1 --out {one}").Exit);
        Assert.Equal(0, CliRunner.Run($"{command} --threads 2 --out {two}").Exit);
        foreach (var file in new[] { "train.csv", "faults.csv" })
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(one, file)), File.ReadAllBytes(Path.Combine(two, file)));
        }
    }

    [Fact]
    public void A_fault_log_written_before_the_cause_column_still_replays()
    {
        var recorded = CliRunner.TempFolder();
        var replayed = CliRunner.TempFolder();
        var command = $"train --scheme gpd --nodes 12 {Small} --fault gaussian --error-rate 0.005";
        Assert.Equal(0, CliRunner.Run($"{command} --fault-log --out {recorded}").Exit);
        var old = Path.Combine(Path.GetTempPath(), $"softerrorsim-old-log-{Guid.NewGuid():N}.csv");
        File.WriteAllLines(old, File.ReadAllLines(Path.Combine(recorded, "faults.csv")).Select(l => string.Join(",", l.Split(',').Where((_, i) => i != 10))));
        var (exit, _, error) = CliRunner.Run($"{command} --replay-faults {old} --out {replayed}");
        File.Delete(old);
        Assert.True(exit == 0, error);
        Assert.Equal(File.ReadAllBytes(Path.Combine(recorded, "train.csv")), File.ReadAllBytes(Path.Combine(replayed, "train.csv")));
    }

    [Fact]
    public void A_replay_of_an_empty_log_is_the_golden_run()
    {
        var golden = CliRunner.TempFolder();
        var replayed = CliRunner.TempFolder();
        var empty = Path.Combine(Path.GetTempPath(), $"softerrorsim-empty-{Guid.NewGuid():N}.csv");
        File.WriteAllText(empty, "scheme,step,sample,layer,pass,node,step_kind,fault_kind,detail,verdict,stream_state\n");
        Assert.Equal(0, CliRunner.Run($"train --scheme gpd {Small} --error-rate 0 --out {golden}").Exit);
        Assert.Equal(0, CliRunner.Run($"train --scheme gpd {Small} --error-rate 0.01 --replay-faults {empty} --out {replayed}").Exit);

        // Every column but error_rate (the configured rate, which the replay ignores) is the golden run's.
        static string[] WithoutRate(string path) => File.ReadAllLines(path).Select(l => string.Join(",", l.Split(',')[..^2]) + "," + l.Split(',')[^1]).ToArray();
        Assert.Equal(WithoutRate(Path.Combine(golden, "train.csv")), WithoutRate(Path.Combine(replayed, "train.csv")));
        File.Delete(empty);
    }

    [Fact]
    public void The_manifest_records_every_nodes_rate_and_the_injectors_check_of_itself()
    {
        var folder = CliRunner.TempFolder();
        var (exit, _, error) = CliRunner.Run($"train --scheme gpd --nodes 12 {Small} --fault gaussian --error-rate 0.01 --step-rates update=0.001 --node-rates outlier:1:10 --out {folder}");
        Assert.True(exit == 0, error);
        var environment = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "manifest.json")))!["runs"]![0]!["fault_environment"]!;
        var product = environment["rates"]!["product"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
        var update = environment["rates"]!["update"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
        Assert.Equal(12, product.Length);
        Assert.Equal(11, product.Count(r => r == 0.01));
        Assert.Equal(1, product.Count(r => r == 0.1));
        Assert.Equal(Array.IndexOf(product, 0.1), Array.IndexOf(update, 0.01));
        foreach (var check in environment["injector_check"]!.AsArray())
        {
            Assert.True(check!["opportunities"]!.GetValue<long>() > 0);
            Assert.True(check["in_acceptance_region"]!.GetValue<bool>(), check.ToJsonString());
        }
    }

    [Fact]
    public void A_sweep_manifest_states_the_injectors_check_per_point_kind_and_rate_group_and_a_faithful_run_warns_nothing()
    {
        var folder = CliRunner.TempFolder();
        var (exit, _, error) = CliRunner.Run($"sweep --schemes gpd,replication --nodes 12 --node-rates outlier:2:10 --error-rate 0.01,0.05 --burst-rate 0.05 --burst-size 3 --trials 5000 --threads 2 --progress never --out {folder}");
        Assert.True(exit == 0, error);
        Assert.Equal(string.Empty, error);
        var environment = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "manifest.json")))!["fault_environment"]!;
        var points = environment["configurations"]!.AsArray().SelectMany(c => c!["rates"]!.AsArray()).ToList();
        Assert.Equal(4, points.Count);
        foreach (var point in points)
        {
            var checks = point!["injector_check"]!.AsArray();
            Assert.Equal(["product", "burst"], checks.Select(c => c!["step_kind"]!.GetValue<string>()));
            var product = checks[0]!;
            Assert.Equal(5000L * 12, product["opportunities"]!.GetValue<long>());
            Assert.Equal(2, product["rate_groups"]!.AsArray().Count);
            Assert.All(checks, c => Assert.True(c!["in_acceptance_region"]!.GetValue<bool>(), c.ToJsonString()));
        }
    }

    [Fact]
    public void A_sweep_prints_one_warning_line_per_failed_injector_check()
    {
        // The counts of a faithful injector at rate 0.01, checked against a mis-stated rate of 0.013 (and bursts at their own rate).
        var plan = Core.MonteCarlo.SweepPlan.Expand(new Core.MonteCarlo.SweepAxes { Schemes = [Core.Coding.SchemeKind.Gpd], Nodes = [12] }, Core.Coding.PassKind.Forward);
        var checks = Core.Faults.InjectorCheck.Of([("product", 0.013, 12, 1_200_000, 12_000), ("burst", 0.05, 3, 100_000, 5_000)], Core.Faults.InjectorCheck.FalseAlarm);
        var warnings = FaultReport.Warnings(plan, [new Core.MonteCarlo.PointInjectorCheck(0, 0.01, checks)]).ToList();
        var warning = Assert.Single(warnings);
        Assert.StartsWith("warning: gpd P=12 m=2 n=2 error rate 0.01 product faults: 12000 faults in 1200000 draws at rate 0.013", warning, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', warning);
    }

    public static TheoryData<string> BadInputs => new()
    {
        "train --nodes 12 --node-rates 0.1,0.2,0.3",
        "train --node-rates -0.1,0.1,0.1,0.1,0.1,0.1,0.1,0.1",
        "train --node-rates 0.1,0.1,0.1,0.1,0.1,0.1,0.1,1.5",
        "train --step-rates forward=0.1",
        "train --step-rates product=2",
        "train --step-rates product",
        "train --node-rates outlier:2",
        "train --node-rates outlier:x:5",
        "train --node-rates lognormal:-1",
        "train --node-rates gamma:2",
        "train --node-rates @/nonexistent/rates.csv",
        "train --node-rates @MALFORMED",
        "train --replay-faults /nonexistent/faults.csv",
        "train --replay-faults MALFORMED",
        "sweep --nodes 12 --node-rates 0.1,0.2",
        "sweep --step-rates update=0.1",
        "sweep --node-rates outlier:20:2 --nodes 12",
        "sweep --burst-rate 0.1",
        "decode --nodes 12 --node-rates 0.1,0.2",
        "decode --nodes 12 --errors 3 --node-rates 0,0,0,0,0,0,0,0,0,0,0.1,0.1",
        "decode --nodes 12 --error-model adversarial --node-rates outlier:1:5",
        "train --node-flops 1e9,2e9",
        "train --node-flops 1e9,0,1e9,1e9,1e9,1e9,1e9,1e9",
        "train --node-flops outlier:1",
        "train --node-flops @speeds.csv",
        "sweep --burst-rate 1.5 --burst-size 2",
        "sweep --burst-rate 0.1 --burst-size 40 --nodes 12",
        "train --burst-rate 0.1 --burst-size 9",
        "train --nodes 12 --burst-rate 0.1 --burst-size 13",
        "train --burst-rate 0.1",
        "train --burst-size 2",
        "train --burst-rate -0.1 --burst-size 2",
        "train --burst-rate 0.1 --burst-size -2",
        "train --burst-rate 0.1 --burst-size 0",
        "train --burst-rate 1.5 --burst-size 2",
        "train --burst-rate 0,1 --burst-size 2",
        "sweep --burst-rate 0.1 --burst-size 4 --nodes 12 --estimator stratified",
        "sweep --node-rates 0.1,0.2 --nodes 12 --estimator stratified",
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void Bad_fault_environments_exit_2_with_one_line_and_write_nothing(string commandLine)
    {
        var folder = CliRunner.TempFolder();
        var malformed = Path.Combine(Path.GetTempPath(), $"softerrorsim-malformed-{Guid.NewGuid():N}.csv");
        File.WriteAllText(malformed, "node,rate\n0,0.1\nzero,0.2\n");
        var args = commandLine.Replace("MALFORMED", malformed, StringComparison.Ordinal) + $" {(commandLine.StartsWith("train", StringComparison.Ordinal) ? Small : "--trials 10")} --out {folder}";
        var (exit, output, error) = CliRunner.Run(args);
        File.Delete(malformed);
        Assert.Equal(2, exit);
        Assert.Equal(string.Empty, output);
        Assert.Single(CliRunner.Lines(error));
        Assert.False(Directory.Exists(folder), $"{commandLine} left {folder} behind");
    }
}
