using SoftErrorSim.Experiments.Regress;

namespace SoftErrorSim.Experiments.Tests;

public class RegressSuiteTests
{
    [Fact]
    public void A_broken_injector_that_spares_a_node_is_caught_against_the_oracle()
    {
        var reference = RegressSuite.ReadBaseline(RegressSuite.EmbeddedBaseline());
        var broken = RegressSuite.Run(RegressSuite.Nightly, 5, null, 2, reference, s => RegressSuite.SpareNode(s, 0));
        var failed = broken.Where(r => !r.Passed).ToList();
        Assert.NotEmpty(failed);
        Assert.Contains(failed, r => r.Point.Id == "uncoded-forward-eps0.05" && r.OracleHolds == false);

        // The same seed without the sabotage holds: the failure is the broken injector's.
        Assert.All(RegressSuite.Run(RegressSuite.Nightly, 5, null, 2, reference), r => Assert.True(r.Passed, r.Point.Id));
    }

    [Theory]
    [InlineData(1.0, 100, 100, true)]
    [InlineData(1.0, 99, 100, false)]
    [InlineData(0.0, 0, 100, true)]
    [InlineData(0.0, 1, 100, false)]
    [InlineData(0.5, 50, 100, true)]
    [InlineData(0.5, 70, 100, false)]
    public void The_exact_acceptance_region_accepts_what_the_binomial_makes_likely(double p, long successes, long trials, bool holds) =>
        Assert.Equal(holds, RegressSuite.Holds(successes, trials, p, 0.001));
}
