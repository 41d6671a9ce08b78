using SoftErrorSim.Core.Faults;
using SoftErrorSim.Core.Statistics;
using SoftErrorSim.Core.Training;

namespace SoftErrorSim.Core.Tests.Training;

/// <summary>Bursts in training (SPEC 3): one draw per coded product, a whole rack of adjacent nodes struck at once.</summary>
public class TrainingBurstTests
{
    /// <summary>False-alarm level of each exact binomial check below: 1e-4, so any seed passes with probability 0.9999.</summary>
    private const double Alpha = 1e-4;

    private static readonly (Dataset Train, Dataset Test) Synthetic = SyntheticDataset.Generate(330, 12, 4, 3).Split(300, 30, 3);

    private static TrainingSettings Settings(double errorRate, double burstRate, int burstSize) => new()
    {
        Scheme = TrainingScheme.Gpd,
        Layers = [12, 10, 10, 4],
        TrainSamples = 300,
        TestSamples = 30,
        Rounds = 3,
        NodeCount = 12,
        ErrorRate = errorRate,
        Fault = FaultKind.Gaussian,
        Steps = FaultSteps.Product | FaultSteps.Update,
        Environment = new FaultEnvironment { BurstRate = burstRate, BurstSize = burstSize },
    };

    [Fact]
    public void Bursts_strike_whole_racks_once_per_coded_product_and_their_count_lies_in_the_binomial_region_of_the_burst_rate()
    {
        // No independent fault: every logged fault is a burst's. GPD computes on every node, so a
        // burst is one group of G rows sharing (step, layer, pass) whose nodes are one rack [rG, rG + G).
        const double burstRate = 0.08;
        const int burstSize = 3;
        var run = CodedTraining.Run(Settings(0, burstRate, burstSize), Synthetic.Train, Synthetic.Test);
        Assert.All(run.FaultLog, f => Assert.Equal(FaultCause.Burst, f.Cause));
        Assert.All(run.FaultLog, f => Assert.Equal(FaultSteps.Product, f.Kind));
        var bursts = run.FaultLog.GroupBy(f => (f.Step, f.Layer, f.Forward)).Select(g => g.Select(f => f.Node).Order().ToArray()).ToList();
        foreach (var nodes in bursts)
        {
            var rack = nodes[0] / burstSize;
            Assert.Equal(Enumerable.Range(rack * burstSize, burstSize), nodes);
        }

        // The oracle: one draw per coded product, and every coded product is decoded once, so the
        // draws are train.csv's decodes (counted by the ledger, not by the injector); the count of
        // bursts is Binomial(decodes, B), checked in its exact region.
        var decodes = run.Rows[^1].Decodes;
        Assert.Equal(bursts.Count * burstSize, run.Rows[^1].FaultsInjected);
        Assert.True(BinomialAcceptance.Holds(bursts.Count, decodes, burstRate, Alpha), $"{bursts.Count} bursts in {decodes} coded products at rate {burstRate}");
        Assert.True(bursts.Count > 0);

        // The injector's own check counts the same draws and bursts.
        var check = Assert.Single(run.InjectorChecks, c => c.Kind == InjectorCheck.BurstKind);
        Assert.Equal(decodes, check.Opportunities);
        Assert.Equal(bursts.Count, check.Faults);
        Assert.True(check.InRegion, check.Detail);
    }

    [Fact]
    public void Bursts_come_on_top_of_independent_faults_and_leave_their_draws_unchanged()
    {
        var plain = CodedTraining.Run(Settings(0.01, 0, 1), Synthetic.Train, Synthetic.Test);
        var burst = CodedTraining.Run(Settings(0.01, 0.05, 4), Synthetic.Train, Synthetic.Test);

        // Every independent fault of the plain run strikes the same site in the burst run (the
        // burst stream is its own), as long as no rollback re-numbers the steps.
        Assert.Equal(0, plain.Rows[^1].Rollbacks);
        Assert.Equal(0, burst.Rows[^1].Rollbacks);
        static IEnumerable<(long, int, bool, int, FaultSteps)> Sites(IEnumerable<FaultRecord> log) => log.Select(f => (f.Step, f.Layer, f.Forward, f.Node, f.Kind));
        Assert.Equal(Sites(plain.FaultLog), Sites(burst.FaultLog.Where(f => f.Cause != FaultCause.Burst)));
        Assert.Contains(burst.FaultLog, f => f.Cause == FaultCause.Burst);
        Assert.Equal(burst.Rows[^1].FaultsInjected, burst.FaultLog.Count);
        Assert.All(burst.InjectorChecks, c => Assert.True(c.InRegion, c.Detail));
    }

    [Fact]
    public void A_burst_count_far_from_its_rate_fails_the_injectors_check()
    {
        // 1,000 coded products at B = 0.05: 50 bursts expected; 90 (1.8 B) lies outside the exact
        // region at 1e-3 / 2 groups, 52 inside it.
        IReadOnlyList<(string, double, int, long, long)> Groups(long bursts) => [("product", 0.01, 12, 12_000, 120), (InjectorCheck.BurstKind, 0.05, 3, 1_000, bursts)];
        Assert.True(InjectorCheck.Of(Groups(52), InjectorCheck.FalseAlarm).All(c => c.InRegion));
        var drifting = InjectorCheck.Of(Groups(90), InjectorCheck.FalseAlarm);
        Assert.True(drifting.Single(c => c.Kind == "product").InRegion);
        var burst = drifting.Single(c => c.Kind == InjectorCheck.BurstKind);
        Assert.False(burst.InRegion);
        Assert.Contains("90 bursts in 1000 draws at rate 0.05", burst.Detail, StringComparison.Ordinal);
    }
}
