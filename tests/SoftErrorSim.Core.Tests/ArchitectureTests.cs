using System.Runtime.CompilerServices;
using SoftErrorSim.Core.Coding;

namespace SoftErrorSim.Core.Tests;

public class ArchitectureTests
{
    [Fact]
    public void Core_references_no_edge_library()
    {
        var references = typeof(CodeConfiguration).Assembly.GetReferencedAssemblies().Select(a => a.Name).ToList();
        Assert.DoesNotContain(references, n => n!.StartsWith("CsvHelper", StringComparison.Ordinal));
        Assert.DoesNotContain(references, n => n!.StartsWith("ScottPlot", StringComparison.Ordinal));
        Assert.DoesNotContain(references, n => n!.StartsWith("System.CommandLine", StringComparison.Ordinal));
        Assert.Contains("MathNet.Numerics", references);
    }

    [Fact]
    public void Core_sources_use_no_console_files_clock_or_ambient_randomness()
    {
        var forbidden = new[] { "Console.", "File.", "DateTime.Now", "new Random(", "Random.Shared" };
        var files = Directory.GetFiles(CoreSourceFolder(), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var text = File.ReadAllText(file);
            foreach (var word in forbidden)
            {
                Assert.False(text.Contains(word, StringComparison.Ordinal), $"{Path.GetFileName(file)} contains {word}");
            }
        }
    }

    [Fact]
    public void Core_knows_no_command_line_flag_names()
    {
        // Settings are named with markers (‹learning-rate›) that the CLI spells as its options.
        var flag = new System.Text.RegularExpressions.Regex("\"[^\"]*\\B--[a-z]");
        foreach (var file in CoreSources())
        {
            var code = File.ReadAllLines(file).Where(l => !l.TrimStart().StartsWith("//", StringComparison.Ordinal));
            Assert.DoesNotContain(code, line => flag.IsMatch(line));
        }
    }

    /// <summary>
    /// The concepts of Core form layers, each depending only on those before it, so that there are
    /// no cycles: randomness, kernels and statistics at the bottom, then codes, decoders, faults,
    /// schemes, the campaign workload, Monte Carlo, and training at the top.
    /// </summary>
    [Fact]
    public void Core_folders_depend_only_on_the_layers_below_them()
    {
        string[] order = ["Randomness", "Kernels", "Statistics", "Coding", "Decoding", "Faults", "Schemes", "Passes", "MonteCarlo", "Training"];
        foreach (var file in CoreSources())
        {
            var folder = Path.GetFileName(Path.GetDirectoryName(file)!);
            var level = Array.IndexOf(order, folder);
            if (level < 0)
            {
                continue;
            }

            var text = File.ReadAllText(file);
            foreach (var above in order.Skip(level + 1))
            {
                Assert.False(text.Contains($"SoftErrorSim.Core.{above}", StringComparison.Ordinal), $"{folder}/{Path.GetFileName(file)} uses {above}");
            }
        }
    }

    private static IEnumerable<string> CoreSources() =>
        Directory.GetFiles(CoreSourceFolder(), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    private static string CoreSourceFolder([CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", "..", "src", "SoftErrorSim.Core"));
}
