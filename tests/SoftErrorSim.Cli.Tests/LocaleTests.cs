using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace SoftErrorSim.Cli.Tests;

/// <summary>
/// Every verb reads and writes numbers the same way whatever the machine's language: the same
/// command lines run under de-DE and fr-FR (decimal comma), ar-SA (Arabic decimal separator) and
/// the invariant culture give the same bytes (CSV, PNG, JSON without its clock and paths) and the
/// same printed text.
/// </summary>
public partial class LocaleTests
{
    /// <summary>One run of every verb into <paramref name="folder"/>; returns what each printed, by command line.</summary>
    private static List<string> EveryVerb(string folder)
    {
        string F(string name) => Path.Combine(folder, name);
        string[][] lines =
        [
            ["codes", "--nodes", "12", "--m", "2", "--n", "2", "--d", "2", "--json"],
            ["codes", "--nodes", "40", "--m", "4", "--n", "5"],
            ["train", "--help"],
            ["decode", "--nodes", "9", "--errors", "0:3", "--trials", "40", "--block-rows", "4", "--block-cols", "4", "--magnitude", "0.5", "--fraction", "0.25", "--seed", "3", "--out", F("decode")],
            ["sweep", "--schemes", "gpd,replication", "--nodes", "9", "--error-rate", "0.05:0.3:log3", "--trials", "100", "--block-rows", "4", "--block-cols", "4", "--magnitude", "0.25", "--shard", "0/2", "--out", F("shard0")],
            ["sweep", "--schemes", "gpd,replication", "--nodes", "9", "--error-rate", "0.05:0.3:log3", "--trials", "100", "--block-rows", "4", "--block-cols", "4", "--magnitude", "0.25", "--shard", "1/2", "--out", F("shard1")],
            ["merge", F("shard0"), F("shard1"), "--out", F("merged")],
            ["sweep", "--schemes", "replication", "--nodes", "12", "--node-rates", "outlier:1:2.5", "--error-rate", "0.05,0.1", "--estimator", "stratified", "--trials", "200", "--block-rows", "4", "--block-cols", "4", "--out", F("stratified")],
            ["plot", Path.Combine(F("merged"), "sweep.csv"), "--out", F("replot.png")],
            ["train", "--dataset", "synthetic", "--layers", "12,8,3", "--train-samples", "40", "--test-samples", "20", "--rounds", "2", "--learning-rate", "0.05", "--error-rate", "0.0003", "--fault", "gaussian", "--trace", "trace.json", "--out", F("train")],
            ["reproduce", "decode-cliff", "--quick", "--threads", "2", "--out", F("reproduce")],
            ["regress", "--seed", "5", "--trials", "100", "--out", F("regress")],
            ["decode", "--magnitude", "0,5", "--out", F("refused")],
        ];
        return lines.Select(args =>
        {
            var (exit, output, error) = CliRunner.Run(args);
            return Stable($"{string.Join(' ', args)}\nexit {exit}\n{output}\n{error}", folder);
        }).ToList();
    }

    [Theory]
    [InlineData("de-DE")]
    [InlineData("fr-FR")]
    [InlineData("ar-SA")]
    public void Every_verb_gives_the_same_bytes_under_a_comma_decimal_culture_as_under_the_invariant_one(string name)
    {
        var reference = CliRunner.TempFolder();
        var localized = CliRunner.TempFolder();
        var expected = EveryVerb(reference);
        List<string> actual;
        var (culture, ui) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(name);

            // The culture is really in effect here: it formats one half with its own separator.
            Assert.NotEqual("0.5", 0.5.ToString(CultureInfo.CurrentCulture));
            actual = EveryVerb(localized);
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (culture, ui);
        }

        Assert.Equal(expected, actual);
        Assert.Contains(expected, o => o.Contains("[default: 0.005]", StringComparison.Ordinal));
        AssertSameFiles(reference, localized);
    }

    [Fact]
    [Trait("Category", "Process")]
    public void A_process_started_with_a_German_LANG_and_LC_ALL_reads_and_writes_numbers_invariantly()
    {
        var reference = CliRunner.TempFolder();
        var localized = CliRunner.TempFolder();
        const string decode = "decode --nodes 9 --errors 0:3 --trials 40 --block-rows 4 --block-cols 4 --magnitude 0.5 --seed 3 --threads 1";
        const string train = "train --dataset synthetic --layers 12,8,3 --train-samples 40 --test-samples 20 --rounds 2 --learning-rate 0.05 --error-rate 0.0003 --threads 1";
        var german = new Dictionary<string, string> { ["LANG"] = "de_DE.UTF-8", ["LC_ALL"] = "de_DE.UTF-8" };
        foreach (var (line, sub) in new[] { (decode, "decode"), (train, "train") })
        {
            var (exit, output, error) = CliRunner.Run($"{line} --out {Path.Combine(reference, sub)}");
            Assert.True(exit == 0, error);
            var (childExit, childOutput, childError) = ProcessRunner.Run($"{line} --out {Path.Combine(localized, sub)}", german);
            Assert.True(childExit == 0, childError);
            Assert.Equal(Stable(output, reference), Stable(childOutput, localized));
        }

        var (helpExit, help, _) = ProcessRunner.Run("train --help", german);
        Assert.Equal(0, helpExit);
        Assert.Contains("[default: 0.005]", help, StringComparison.Ordinal);
        var (refusedExit, _, refused) = ProcessRunner.Run($"decode --magnitude 0,5 --out {Path.Combine(localized, "refused")}", german);
        Assert.Equal(2, refusedExit);
        Assert.Contains("'0,5' is not a number", refused, StringComparison.Ordinal);
        AssertSameFiles(reference, localized);
    }

    /// <summary>Printed text without what legitimately differs between two runs: the output folder, durations and speeds.</summary>
    private static string Stable(string text, string folder) =>
        Speed().Replace(Duration().Replace(text.Replace(folder, "OUT", StringComparison.Ordinal), "# s"), "# trials/s");

    private static void AssertSameFiles(string expected, string actual)
    {
        var files = Directory.GetFiles(expected, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(expected, f)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(files, Directory.GetFiles(actual, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(actual, f)).Order(StringComparer.Ordinal));
        Assert.Contains(files, f => f.EndsWith(".png", StringComparison.Ordinal));
        Assert.Contains(files, f => f.EndsWith(".csv", StringComparison.Ordinal));
        foreach (var file in files)
        {
            var (a, b) = (Path.Combine(expected, file), Path.Combine(actual, file));
            if (file.EndsWith(".json", StringComparison.Ordinal))
            {
                Assert.Equal(Manifest(a, expected), Manifest(b, actual));
            }
            else if (file.EndsWith(".md", StringComparison.Ordinal))
            {
                Assert.Equal(File.ReadAllText(a), File.ReadAllText(b));
            }
            else
            {
                Assert.True(File.ReadAllBytes(a).AsSpan().SequenceEqual(File.ReadAllBytes(b)), $"{file} differs");
            }
        }
    }

    /// <summary>A manifest without its clock, machine and folder paths (the only fields two identical runs may differ in).</summary>
    private static string Manifest(string path, string folder)
    {
        var root = JsonNode.Parse(File.ReadAllText(path))!;
        void Strip(JsonNode? node)
        {
            if (node is JsonObject o)
            {
                foreach (var key in new[] { "started_utc", "wall_seconds", "run_seconds_per_step", "run_seconds", "trials_per_second", "injector_check_seconds", "machine" })
                {
                    o.Remove(key);
                }

                foreach (var (_, child) in o)
                {
                    Strip(child);
                }
            }
            else if (node is JsonArray a)
            {
                foreach (var child in a)
                {
                    Strip(child);
                }
            }
        }

        Strip(root);
        return Stable(root.ToJsonString(), folder);
    }

    /// <summary>A duration as the tool prints it ("0.12 s", "(1.2 s)"), in invariant digits only, so a decimal comma would still show.</summary>
    [GeneratedRegex(@"[0-9]+(\.[0-9]+)? s\b")]
    private static partial Regex Duration();

    [GeneratedRegex(@"[0-9]+ trials/s")]
    private static partial Regex Speed();
}
