using SoftErrorSim.Core.Training;

namespace SoftErrorSim.Core.Tests.Training;

public class InjectorCheckTests
{
    [Fact]
    public void A_drifting_injector_is_flagged_and_a_faithful_one_is_not()
    {
        // Two nodes, product kind only (slot 1 of 6 per node): node 0 at 0.01, node 1 at 0.1, 10,000 draws each.
        var opportunities = new long[12];
        var strikes = new long[12];
        var rates = new double[12];
        (opportunities[1], opportunities[7]) = (10_000, 10_000);
        (rates[1], rates[7]) = (0.01, 0.1);

        // Faithful: the expected counts. Drifting: node 1 struck at node 0's rate (its rate ignored).
        (strikes[1], strikes[7]) = (100, 1000);
        var faithful = Assert.Single(TrainingInjectorCheck.From(opportunities, strikes, rates, 2));
        Assert.True(faithful.InRegion, faithful.Detail);
        Assert.Equal(1100, faithful.ExpectedFaults, 1e-9);

        strikes[7] = 100;
        var drifting = Assert.Single(TrainingInjectorCheck.From(opportunities, strikes, rates, 2));
        Assert.False(drifting.InRegion);
        Assert.Contains("100 faults in 10000 draws at rate 0.1", drifting.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void The_injector_of_a_heterogeneous_run_passes_its_own_check()
    {
        var settings = new TrainingSettings
        {
            Scheme = TrainingScheme.Gpd,
            Layers = [12, 10, 4],
            TrainSamples = 200,
            TestSamples = 20,
            Rounds = 2,
            NodeCount = 10,
            ErrorRate = 0.01,
            Fault = FaultKind.Gaussian,
            Steps = FaultSteps.Product | FaultSteps.Update | FaultSteps.Activation,
            Environment = new SoftErrorSim.Core.Faults.FaultEnvironment { NodeRates = new SoftErrorSim.Core.Faults.LogNormalNodeRates(1), StepRates = new Dictionary<SoftErrorSim.Core.Faults.StepKind, double> { [SoftErrorSim.Core.Faults.StepKind.Activation] = 0.05 } },
        };
        var data = SyntheticDataset.Generate(220, 12, 4, 1);
        var (train, test) = data.Split(200, 20, 1);
        var run = CodedTraining.Run(settings, train, test);
        Assert.Equal(3, run.InjectorChecks.Count);
        Assert.All(run.InjectorChecks, c => Assert.True(c.InRegion, c.Detail));
        Assert.Equal(run.Rows[^1].FaultsInjected, run.FaultLog.Count);
    }
}
