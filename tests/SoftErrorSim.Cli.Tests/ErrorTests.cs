using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using SoftErrorSim.Core.Coding;

namespace SoftErrorSim.Cli.Tests;

/// <summary>
/// Exit 2 is for the user's input only; an exception nobody expected is a bug (exit 70, one line,
/// the stack trace in error.log); and every refusal names its real cause in plain words.
/// </summary>
public class ErrorTests
{
    /// <summary>Adds a verb that claims --out, validates, then fails with <paramref name="failure"/> (before or after it starts working).</summary>
    private static Action<RootCommand, Invocation> Planted(Action failure, bool working = true) => (root, invocation) =>
    {
        var command = new Command("planted");
        var output = new Option<string?>("--out");
        command.Options.Add(output);
        command.SetAction(int (ParseResult result) =>
        {
            if (result.GetValue(output) is { } folder)
            {
                invocation.Claim(folder, [], force: false);
            }

            if (working)
            {
                invocation.StartWork();
            }

            failure();
            return ExitCodes.Success;
        });
        root.Subcommands.Add(command);
    };

    public static TheoryData<string> Bugs => new() { "null", "index", "operation", "argument", "range" };

    /// <summary>Real bugs, made by the runtime itself: a null dereference, an index past the end, an empty sequence, a duplicate key, a list index out of range.</summary>
    private static void Bug(string kind)
    {
        var empty = new List<int>();
        switch (kind)
        {
            case "null":
                _ = Nothing()!.Length;
                break;
            case "index":
                var values = new int[1];
                _ = values[values.Length];
                break;
            case "operation":
                _ = empty.First();
                break;
            case "argument":
                new Dictionary<int, int> { [3] = 1 }.Add(3, 2);
                break;
            default:
                _ = empty[0];
                break;
        }
    }

    private static string? Nothing() => null;

    [Theory]
    [MemberData(nameof(Bugs))]
    public void An_unexpected_exception_after_validation_exits_70_with_one_line_and_the_stack_in_error_log(string kind)
    {
        var folder = CliRunner.TempFolder();
        var (exit, output, error) = CliRunner.Run(["planted", "--out", folder], Planted(() => Bug(kind)));
        Assert.Equal(ExitCodes.Internal, exit);
        Assert.Equal(string.Empty, output);
        var line = Assert.Single(CliRunner.Lines(error));
        Assert.StartsWith("internal error: ", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        var log = Path.Combine(folder, "error.log");
        Assert.Contains($"(details in {log}", line, StringComparison.Ordinal);
        Assert.Contains("   at ", File.ReadAllText(log), StringComparison.Ordinal);
        Assert.Contains("planted --out", File.ReadAllText(log), StringComparison.Ordinal);
    }

    [Fact]
    public void Without_an_output_folder_the_stack_goes_to_a_temporary_file_whose_path_is_printed()
    {
        var (exit, _, error) = CliRunner.Run(["planted"], Planted(() => Bug("null")));
        Assert.Equal(ExitCodes.Internal, exit);
        var line = Assert.Single(CliRunner.Lines(error));
        var path = line[(line.IndexOf("(details in ", StringComparison.Ordinal) + "(details in ".Length)..line.IndexOf("; please report it)", StringComparison.Ordinal)];
        Assert.StartsWith(Path.GetTempPath(), path, StringComparison.Ordinal);
        Assert.Contains("NullReferenceException", File.ReadAllText(path), StringComparison.Ordinal);
        File.Delete(path);
    }

    public static TheoryData<string> UserErrors => new() { "usage", "configuration", "data", "argument-while-validating" };

    [Theory]
    [MemberData(nameof(UserErrors))]
    public void Input_errors_exit_2_with_one_line_and_leave_no_folder_behind(string kind)
    {
        var folder = CliRunner.TempFolder();
        var plant = kind switch
        {
            "usage" => Planted(() => throw new UsageException("--x must be positive (got -1)")),
            "configuration" => Planted(() => throw new InvalidConfigurationException("gpd needs at least 6 nodes")),
            "data" => Planted(() => throw new InvalidDataException("shard.csv is damaged")),
            _ => Planted(() => throw new ArgumentException("--learning-rate must be positive (got -1)"), working: false),
        };
        var (exit, _, error) = CliRunner.Run(["planted", "--out", folder], plant);
        Assert.Equal(ExitCodes.Usage, exit);
        Assert.StartsWith("error: ", Assert.Single(CliRunner.Lines(error)), StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public void A_plain_argument_exception_is_the_users_while_validating_and_a_bug_once_working()
    {
        var invocation = new Invocation(new CliConsole(TextWriter.Null, TextWriter.Null, false), []);
        Assert.True(CliApp.IsUserError(new ArgumentException("--trials must be positive"), invocation));
        Assert.False(CliApp.IsUserError(new ArgumentNullException(nameof(invocation)), invocation));
        Assert.False(CliApp.IsUserError(new ArgumentOutOfRangeException(nameof(invocation)), invocation));
        invocation.StartWork();
        Assert.False(CliApp.IsUserError(new ArgumentException("An item with the same key has already been added"), invocation));
        Assert.True(CliApp.IsUserError(new InvalidConfigurationException("gpd needs at least 6 nodes"), invocation));
        Assert.True(CliApp.IsUserError(new UsageException("no round finished"), invocation));
    }

    /// <summary>The cases of issue 14 whose error lines leaked internals or named the wrong cause.</summary>
    public static TheoryData<string[], string, string> Refusals => new()
    {
        { ["regress", "--seed", "abc", "--out", "{0}"], "--seed must be a whole number from 0 to 18446744073709551615 (got 'abc')", "System." },
        { ["regress", "--trials", "1.5", "--out", "{0}"], "--trials must be a whole number (got '1.5')", "System." },
        { ["decode", "--nodes", "1e3", "--out", "{0}"], "--nodes must be a whole number (got '1e3')", "System." },
        { ["decode", "--trials", "99999999999", "--out", "{0}"], "--trials must lie between", "System." },
        { ["decode", "--magnitude", "NaN", "--out", "{0}"], "--magnitude must be a finite number (got 'NaN')", "System." },
        { ["decode", "--out", string.Empty], "--out is empty: name an output folder", "Parameter" },
        { ["decode", "--out", " "], "--out is empty: name an output folder", "Parameter" },
        { ["plot", string.Empty], "CSV is empty: name a file", "error: :" },
        { ["reproduce", "--all", "--quick", "--trials", "5", "--out", "{0}"], "unknown option '--trials'", "give --all" },
        { ["merge", "{0}", "--frobnicate", "--out", "{0}"], "unknown option '--frobnicate'", "no such folder" },
        { ["sweep", "--q", "0", "--out", "{0}"], "--q: 0 is below 1", "skipped" },
        { ["sweep", "--nodes", "0,8", "--out", "{0}"], "--nodes: 0 is below 1", "skipped" },
        { ["decode", "--error-model", "bitflip", "--flips", "65", "--out", "{0}"], "--flips must lie between 1 and 64, the bits in --bits 0:63 (got 65)", "System." },
        { ["decode", "--error-model", "bitflip", "--flips", "1000000", "--out", "{0}"], "(got 1000000)", "System." },
        { ["decode", "--error-model", "bitflip", "--bits", "52:62", "--flips", "12", "--out", "{0}"], "between 1 and 11, the bits in --bits 52:62", "System." },
        { ["decode", "--error-model", "bitflip", "--flips", "0", "--out", "{0}"], "(got 0)", "System." },
        { ["train", "--fault", "cosmic", "--out", "{0}"], "--fault: 'cosmic' is not one of sparse-weight, gaussian, bitflip", "System." },
        { ["decode", "--error-model", "cosmic", "--out", "{0}"], "--error-model: 'cosmic' is not one of gaussian, bitflip, adversarial", "System." },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void Refusals_name_their_real_cause_in_plain_words(string[] template, string expected, string leak)
    {
        var folder = CliRunner.TempFolder();
        var args = template.Select(a => a.Replace("{0}", folder, StringComparison.Ordinal)).ToArray();
        var (exit, output, error) = CliRunner.Run(args);
        Assert.Equal(2, exit);
        Assert.Equal(string.Empty, output);
        var line = Assert.Single(CliRunner.Lines(error));
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.DoesNotContain(leak, line, StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder));
    }

    [Theory]
    [InlineData("decode", "--error-model", "bit-flip")]
    [InlineData("train", "--fault", "bit-flip")]
    public void Bitflip_is_one_value_everywhere_and_bit_flip_an_alias_of_it(string verb, string option, string alias)
    {
        string Run(string value)
        {
            var folder = CliRunner.TempFolder();
            var line = verb == "decode"
                ? $"decode --nodes 9 --errors 0:2 --trials 30 --block-rows 4 --block-cols 4 --seed 2 {option} {value} --out {folder}"
                : $"train --dataset synthetic --layers 12,8,3 --train-samples 40 --test-samples 20 --rounds 2 --error-rate 0.01 --fault-steps product,decode {option} {value} --out {folder}";
            var (exit, _, error) = CliRunner.Run(line);
            Assert.True(exit == 0, error);
            return File.ReadAllText(Path.Combine(folder, verb + ".csv"));
        }

        Assert.Equal(Run("bitflip"), Run(alias));
    }

    [Fact]
    public void The_train_manifest_spells_the_fault_as_decode_spells_the_model()
    {
        var folder = CliRunner.TempFolder();
        var (exit, _, error) = CliRunner.Run($"train --dataset synthetic --layers 12,8,3 --train-samples 40 --test-samples 20 --rounds 2 --fault bit-flip --out {folder}");
        Assert.True(exit == 0, error);
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "manifest.json")));
        Assert.Equal("bitflip", manifest.RootElement.GetProperty("configuration").GetProperty("fault").GetString());
    }

    [Fact]
    public void A_training_whose_loss_goes_non_finite_is_said_to_diverge_at_its_step_not_blamed_on_the_error_rate()
    {
        var folder = CliRunner.TempFolder();
        var (exit, output, error) = CliRunner.Run($"train --dataset synthetic --layers 12,8,8,3 --train-samples 200 --test-samples 100 --rounds 4 --learning-rate 1e308 --out {folder}");
        Assert.Equal(2, exit);
        Assert.Equal(string.Empty, output);
        var line = Assert.Single(CliRunner.Lines(error));
        Assert.Equal("error: the training diverged: the loss became NaN at step 2 (after 2 samples) even without faults; lower --learning-rate (got 1e+308)", line);
        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public void A_fault_free_run_that_diverges_mid_way_keeps_its_rows_and_says_where()
    {
        var folder = CliRunner.TempFolder();
        var (exit, output, error) = CliRunner.Run($"train --scheme fault-free --dataset synthetic --layers 12,8,8,3 --train-samples 200 --test-samples 100 --rounds 4 --learning-rate 1e308 --out {folder}");
        Assert.True(exit == 0, error);
        Assert.Contains("fault-free diverged: the training diverged: the loss became NaN at step 2", output, StringComparison.Ordinal);
        Assert.Contains("\"diverged\": \"the training diverged", File.ReadAllText(Path.Combine(folder, "manifest.json")), StringComparison.Ordinal);
    }

    [Fact]
    public void A_run_that_gives_up_under_too_many_faults_still_blames_the_error_rate()
    {
        var folder = CliRunner.TempFolder();
        var (exit, _, error) = CliRunner.Run($"train --dataset synthetic --layers 12,8,8,3 --train-samples 200 --test-samples 100 --rounds 4 --learning-rate 0.05 --error-rate 0.9 --fault gaussian --fault-steps product,decode --out {folder}");
        Assert.Equal(2, exit);
        var line = Assert.Single(CliRunner.Lines(error));
        Assert.Contains("no round finished", line, StringComparison.Ordinal);
        Assert.Contains("error rate", line, StringComparison.Ordinal);
        Assert.DoesNotContain("diverged", line, StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public void Merge_names_rows_whose_outcomes_do_not_add_up_to_their_trials()
    {
        var shards = new[] { CliRunner.TempFolder(), CliRunner.TempFolder() };
        const string sweep = "sweep --schemes gpd --nodes 9 --error-rate 0.1 --trials 1332 --block-rows 4 --block-cols 4 --seed 5";
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(0, CliRunner.Run(string.Create(CultureInfo.InvariantCulture, $"{sweep} --shard {i}/2 --out {shards[i]}")).Exit);
        }

        // Damage one count: the row still claims its 666 trials, but its outcomes no longer add up to them.
        var csv = Path.Combine(shards[1], "sweep.csv");
        var lines = File.ReadAllLines(csv);
        var header = lines[0].Split(',').ToList();
        var fields = lines[1].Split(',');
        var clean = header.IndexOf("clean");
        fields[clean] = (long.Parse(fields[clean], CultureInfo.InvariantCulture) + 1).ToString(CultureInfo.InvariantCulture);
        lines[1] = string.Join(',', fields);
        File.WriteAllLines(csv, lines);
        var target = CliRunner.TempFolder();
        var (exit, _, error) = CliRunner.Run($"merge {shards[0]} {shards[1]} --out {target}");
        Assert.Equal(2, exit);
        var line = Assert.Single(CliRunner.Lines(error));
        Assert.Contains("row 1: clean + corrected + detected + miscorrected", line, StringComparison.Ordinal);
        Assert.Contains("not its 666 trials", line, StringComparison.Ordinal);
        Assert.DoesNotContain("must count 666", line, StringComparison.Ordinal);
        Assert.False(Directory.Exists(target));
    }

    [Fact]
    public void Help_cites_the_readme_or_experiments_never_the_spec()
    {
        foreach (var verb in new[] { string.Empty, "codes", "decode", "sweep", "train", "reproduce", "regress", "merge", "plot" })
        {
            var (exit, output, _) = CliRunner.Run($"{verb} --help");
            Assert.Equal(0, exit);
            Assert.DoesNotContain("SPEC", output, StringComparison.Ordinal);
        }

        Assert.Contains("experiments/README.md", CliRunner.Run("reproduce --help").Out, StringComparison.Ordinal);
    }
}
