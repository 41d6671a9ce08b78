namespace SoftErrorSim.Experiments.Tests;

public class ArchitectureTests
{
    [Fact]
    public void Experiments_know_nothing_of_the_command_line()
    {
        var references = typeof(Experiment).Assembly.GetReferencedAssemblies().Select(a => a.Name).ToList();
        Assert.DoesNotContain(references, n => n!.StartsWith("System.CommandLine", StringComparison.Ordinal));
        Assert.DoesNotContain(references, n => n == "softerrorsim");
        Assert.Contains("SoftErrorSim.Core", references);
    }
}
