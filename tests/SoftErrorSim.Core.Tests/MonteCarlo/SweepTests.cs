using SoftErrorSim.Core.Coding;
using SoftErrorSim.Core.MonteCarlo;

namespace SoftErrorSim.Core.Tests.MonteCarlo;

public class SweepTests
{
    private static readonly SweepPlan Plan = SweepPlan.Expand(
        new SweepAxes { Schemes = [SchemeKind.Gpd, SchemeKind.Replication], Nodes = [9] },
        PassKind.Forward);

    private static readonly RateCampaignSettings Template = new()
    {
        Code = new CodeConfiguration { Scheme = SchemeKind.Uncoded, NodeCount = 1 },
        Shape = new PassShape(4, 4),
        ErrorRates = [0.05, 0.3],
        Trials = 301,
        Seed = 11,
        Threads = 2,
    };

    private static IReadOnlyList<SweepPoint> Whole(int blockTrials = 1000) =>
        Sweep.Run(Plan, Template, Sweep.Blocks(Plan, Template, ShardSpec.Whole, blockTrials));

    [Fact]
    public void Shard_trial_ranges_partition_every_point_into_near_equal_nonempty_pieces()
    {
        for (var trials = 1; trials <= 40; trials++)
        {
            for (var count = 1; count <= trials; count++)
            {
                var next = 0;
                for (var index = 0; index < count; index++)
                {
                    var (first, end) = new ShardSpec(index, count).Validate(trials).TrialRange(trials);
                    Assert.Equal(next, first);
                    Assert.InRange(end - first, trials / count, (trials / count) + 1);
                    next = end;
                }

                Assert.Equal(trials, next);
            }
        }
    }

    [Theory]
    [InlineData(3, 3, 10)]
    [InlineData(-1, 3, 10)]
    [InlineData(0, 0, 10)]
    [InlineData(0, 11, 10)]
    public void Impossible_shards_are_refused(int index, int count, int trials) =>
        Assert.Throws<ArgumentException>(() => new ShardSpec(index, count).Validate(trials));

    [Theory]
    [InlineData(2, 1000)]
    [InlineData(3, 1000)]
    [InlineData(7, 13)]
    [InlineData(301, 1)]
    public void Shards_add_up_to_exactly_the_whole_run(int shards, int blockTrials)
    {
        var whole = Whole();
        var sums = new OutcomeCounts[whole.Count];
        for (var index = 0; index < shards; index++)
        {
            var part = Sweep.Run(Plan, Template with { Threads = 1 + (index % 2) }, Sweep.Blocks(Plan, Template, new ShardSpec(index, shards), blockTrials));
            Assert.Equal(whole.Count, part.Count);
            for (var point = 0; point < part.Count; point++)
            {
                Assert.Equal(whole[point].Code, part[point].Code);
                Assert.Equal(whole[point].Row.ErrorRate, part[point].Row.ErrorRate);
                sums[point] += part[point].Row.Counts;
            }
        }

        Assert.Equal(whole.Select(p => p.Row.Counts), sums);
        // The points are not degenerate: both outcomes occur, so a lost or doubled block would show.
        Assert.Contains(whole, p => p.Row.Counts.Detected > 0);
        Assert.Contains(whole, p => p.Row.Counts.Corrected > 0);
    }

    [Fact]
    public void An_interrupted_sweep_resumed_from_its_finished_blocks_equals_the_straight_run()
    {
        var blocks = Sweep.Blocks(Plan, Template, ShardSpec.Whole, blockTrials: 50);
        Assert.True(blocks.Count > 20);
        var finished = new Dictionary<SweepBlock, SweepBlockResult>();
        using var cancel = new CancellationTokenSource();
        Assert.ThrowsAny<OperationCanceledException>(() => Sweep.Run(Plan, Template, blocks, null, r =>
        {
            finished.Add(r.Block, r);
            if (finished.Count == 9)
            {
                cancel.Cancel();
            }
        }, null, cancel.Token));
        Assert.Equal(9, finished.Count);

        var rerun = new List<SweepBlock>();
        var resumed = Sweep.Run(Plan, Template, blocks, finished, r => rerun.Add(r.Block));
        Assert.Equal(blocks.Count - 9, rerun.Count);
        Assert.DoesNotContain(rerun, finished.ContainsKey);
        Assert.Equal(Whole().Select(p => p.Row), resumed.Select(p => p.Row));
    }

    [Fact]
    public void Blocks_cover_each_point_once_and_never_straddle_a_checkpoint_boundary()
    {
        var blocks = Sweep.Blocks(Plan, Template, new ShardSpec(1, 3), blockTrials: 40);
        var (first, end) = new ShardSpec(1, 3).TrialRange(Template.Trials);
        foreach (var point in blocks.GroupBy(b => b.Point))
        {
            Assert.Equal(first, point.First().FirstTrial);
            Assert.Equal(end, point.Last().EndTrial);
            Assert.All(point.Zip(point.Skip(1)), pair => Assert.Equal(pair.First.EndTrial, pair.Second.FirstTrial));
            Assert.All(point, b => Assert.Equal(b.FirstTrial / 40, (b.EndTrial - 1) / 40));
        }

        Assert.Equal(Plan.Configurations.Count * Template.ErrorRates.Count, blocks.Select(b => b.Point).Distinct().Count());
    }

    [Fact]
    public void The_fingerprint_ignores_threads_and_names_everything_that_changes_results()
    {
        var reference = Sweep.Fingerprint(Plan, Template);
        Assert.Equal(reference, Sweep.Fingerprint(Plan, Template with { Threads = 1 }));
        Assert.NotEqual(reference, Sweep.Fingerprint(Plan, Template with { Seed = 12 }));
        Assert.NotEqual(reference, Sweep.Fingerprint(Plan, Template with { Trials = 302 }));
        Assert.NotEqual(reference, Sweep.Fingerprint(Plan, Template with { ErrorRates = [0.05, 0.31] }));
        Assert.NotEqual(reference, Sweep.Fingerprint(Plan, Template with { Shape = new PassShape(4, 5) }));
        Assert.NotEqual(reference, Sweep.Fingerprint(Plan, Template with { Pass = PassKind.Backward }));
        Assert.NotEqual(reference, Sweep.Fingerprint(SweepPlan.Expand(new SweepAxes { Schemes = [SchemeKind.Gpd], Nodes = [9] }, PassKind.Forward), Template));
    }
}
