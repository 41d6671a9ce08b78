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

    private static string CoreSourceFolder([CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", "..", "src", "SoftErrorSim.Core"));
}
