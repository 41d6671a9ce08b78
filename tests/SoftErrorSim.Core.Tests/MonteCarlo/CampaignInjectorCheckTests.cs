using SoftErrorSim.Core.Coding;
using SoftErrorSim.Core.Faults;
using SoftErrorSim.Core.MonteCarlo;

namespace SoftErrorSim.Core.Tests.MonteCarlo;

/// <summary>The sweep's injector check (SPEC 3): per point, rate group and burst, the exact binomial region at a family-wise 1e-3.</summary>
public class CampaignInjectorCheckTests
{
    private static readonly SweepPlan Plan = SweepPlan.Expand(
        new SweepAxes { Schemes = [SchemeKind.Gpd, SchemeKind.Replication], Nodes = [12] },
        PassKind.Forward);

    private static readonly RateCampaignSettings Template = new()
    {
        Code = new CodeConfiguration { Scheme = SchemeKind.Uncoded, NodeCount = 1 },
        Shape = new PassShape(4, 4),
        ErrorRates = [0.02, 0.1],
        Trials = 20_000,
        Seed = 5,
        Threads = 2,
        Environment = new FaultEnvironment { NodeRates = new OutlierNodeRates(2, 4), BurstRate = 0.05, BurstSize = 3 },
    };

    [Fact]
    public void A_faithful_injector_passes_every_check_of_every_point_rate_group_and_burst()
    {
        var points = CampaignInjectorCheck.Run(Plan, Template, ShardSpec.Whole);
        Assert.Equal(Plan.Configurations.Count * Template.ErrorRates.Count, points.Count);
        foreach (var point in points)
        {
            var product = Assert.Single(point.Checks, c => c.Kind == "product");
            Assert.Equal(2, product.Groups.Count); // the outliers at 4 eps, the others at eps
            Assert.Equal(Template.Trials * 12L, product.Opportunities);
            var burst = Assert.Single(point.Checks, c => c.Kind == InjectorCheck.BurstKind);
            Assert.Equal(Template.Trials, burst.Opportunities);
            Assert.All(point.Checks, c => Assert.True(c.InRegion, c.Detail));

            // One family over the whole sweep: 2 points x 2 configurations x 3 groups.
            Assert.Equal(InjectorCheck.FalseAlarm / 12, product.GroupAlpha, 1e-18);
        }
    }

    [Theory]
    [InlineData(1.3, null)]
    [InlineData(1.0, 7)]
    public void A_drifting_injector_fails_its_check(double rateScale, int? exemptNode)
    {
        // The trials' own injector with every rate x 1.3, or one node never struck: the counts are
        // compared with the configured rates, and the drift lands far outside the region.
        var drifting = Template with { InjectorRateScale = rateScale, ExemptNode = exemptNode };
        var points = CampaignInjectorCheck.Run(Plan, drifting, ShardSpec.Whole);
        Assert.All(points, p => Assert.False(p.Checks.Single(c => c.Kind == "product").InRegion));
        Assert.All(points, p => Assert.True(p.Checks.Single(c => c.Kind == InjectorCheck.BurstKind).InRegion));
    }

    [Fact]
    public void The_check_counts_exactly_the_strikes_the_trials_made()
    {
        // One uncoded node decodes its own output: a trial fails exactly when its node is struck,
        // so the trials' failures (counted by the decodes) are the census's strikes.
        var plan = SweepPlan.Expand(new SweepAxes { Schemes = [SchemeKind.Uncoded], Nodes = [1], RowSplits = [1], ColumnSplits = [1] }, PassKind.Forward);
        var template = Template with { Environment = new FaultEnvironment(), ErrorRates = [0.3], Trials = 5000 };
        var row = Sweep.Run(plan, template, Sweep.Blocks(plan, template, ShardSpec.Whole)).Single().Row;
        var check = CampaignInjectorCheck.Run(plan, template, ShardSpec.Whole).Single().Checks.Single();
        Assert.Equal(template.Trials - row.Counts.Successes, check.Faults);
        Assert.True(check.Faults > 0);
    }

    [Fact]
    public void Shards_check_their_own_trials_and_add_up_to_the_whole()
    {
        var whole = CampaignInjectorCheck.Run(Plan, Template, ShardSpec.Whole);
        var halves = new[] { new ShardSpec(0, 2), new ShardSpec(1, 2) }.Select(s => CampaignInjectorCheck.Run(Plan, Template, s)).ToArray();
        for (var i = 0; i < whole.Count; i++)
        {
            for (var k = 0; k < whole[i].Checks.Count; k++)
            {
                Assert.Equal(whole[i].Checks[k].Faults, halves.Sum(h => h[i].Checks[k].Faults));
                Assert.Equal(whole[i].Checks[k].Opportunities, halves.Sum(h => h[i].Checks[k].Opportunities));
            }
        }
    }
}
