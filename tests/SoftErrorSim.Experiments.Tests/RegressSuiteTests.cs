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

    [Fact]
    public void A_broken_decoder_that_accepts_what_it_should_flag_is_caught_by_the_miscorrection_gate()
    {
        // The planted regression: every decode that should be detected returns a wrong result as
        // good instead. Success rates barely move (beyond the cliff they are 0 either way), but the
        // exact gate "no miscorrection for continuous errors on coded schemes" fails.
        var reference = RegressSuite.ReadBaseline(RegressSuite.EmbeddedBaseline());
        var broken = RegressSuite.Run(RegressSuite.Nightly, 5, null, 2, reference, RegressSuite.AcceptDetected);
        var failed = broken.Where(r => !r.Passed).ToList();
        Assert.Contains(failed, r => r.Point.Id == "gpd-forward-gaussian-e7" && r.MiscorrectionHolds == false && r.OracleHolds == true);
        Assert.All(broken.Where(r => RegressSuite.MustNotMiscorrect(r.Point)), r => Assert.NotNull(r.MiscorrectionHolds));
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
