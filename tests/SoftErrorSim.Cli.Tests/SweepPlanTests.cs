using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using SoftErrorSim.Core.Coding;
using SoftErrorSim.Core.MonteCarlo;

namespace SoftErrorSim.Cli.Tests;

/// <summary>
/// A sweep plans its blocks of work lazily: the plan is the same sequence of blocks as the listed
/// one, runs to the same result, and a sweep with more blocks than memory holds starts at once.
/// </summary>
public partial class SweepPlanTests
{
    private static readonly SweepPlan Plan = SweepPlan.Expand(new SweepAxes { Schemes = [SchemeKind.Gpd, SchemeKind.Replication], Nodes = [9] }, PassKind.Forward);

    private static RateCampaignSettings Template(int trials) => new()
    {
        Code = Plan.Configurations[0],
        Shape = new PassShape(4, 4),
        ErrorRates = [0.05, 0.2, 0.4],
        Trials = trials,
        Seed = 11,
        Threads = 2,
    };

    [Theory]
    [InlineData(300, 0, 1, 100)]
    [InlineData(300, 1, 3, 40)]
    [InlineData(301, 2, 3, 7)]
    [InlineData(300, 0, 2, 1000)]
    [InlineData(5, 4, 5, 1)]
    public void The_lazy_plan_is_the_listed_plan_block_for_block(int trials, int index, int count, int blockTrials)
    {
        var template = Template(trials);
        var shard = new ShardSpec(index, count);
        var listed = Sweep.Blocks(Plan, template, shard, blockTrials);
        var lazy = Sweep.Plan(Plan, template, shard, blockTrials);
        Assert.Equal(listed, lazy);
        Assert.Equal(listed.Count, lazy.Count);
        Assert.Equal(listed.Sum(b => (long)b.Trials), lazy.Trials);
        Assert.Equal(listed, Enumerable.Range(0, listed.Count).Select(i => lazy[i]));
        Assert.All(listed, b => Assert.True(lazy.Contains(b)));

        // Blocks shifted by a trial, cut elsewhere, or of another point are not the plan's.
        Assert.All(listed, b => Assert.False(lazy.Contains(b with { EndTrial = b.EndTrial + 1 })));
        Assert.All(listed.Where(b => b.Trials > 1), b => Assert.False(lazy.Contains(b with { FirstTrial = b.FirstTrial + 1 })));
        Assert.False(lazy.Contains(new SweepBlock(lazy.Points, listed[0].FirstTrial, listed[0].EndTrial)));
        Assert.False(lazy.Contains(new SweepBlock(-1, listed[0].FirstTrial, listed[0].EndTrial)));
    }

    [Fact]
    public void A_sweep_run_over_the_lazy_plan_equals_the_listed_run_also_when_resumed()
    {
        var template = Template(300);
        var listed = Sweep.Blocks(Plan, template, ShardSpec.Whole, 50);
        var lazy = Sweep.Plan(Plan, template, ShardSpec.Whole, 50);
        var whole = Sweep.Run(Plan, template, listed);
        var kept = new Dictionary<SweepBlock, SweepBlockResult>();
        Sweep.Run(Plan, template with { Threads = 1 }, listed.Where((_, i) => i % 3 == 0).ToList(), blockDone: r => kept[r.Block] = r);
        var rerun = new List<SweepBlock>();
        var resumed = Sweep.Run(Plan, template, lazy, kept, r => rerun.Add(r.Block));
        Assert.Equal(whole.Select(p => p.Row), resumed.Select(p => p.Row));
        Assert.Equal(listed.Where(b => !kept.ContainsKey(b)), rerun);
    }

    [Fact]
    public void A_plan_of_fifty_billion_blocks_costs_nothing_to_make_or_index()
    {
        var huge = SweepPlan.Expand(new SweepAxes { Schemes = [SchemeKind.Gpd], Nodes = [9] }, PassKind.Forward);
        var template = Template(int.MaxValue) with { ErrorRates = Enumerable.Range(0, 1_515_000).Select(i => i / 1_515_000.0).ToArray() };
        var before = GC.GetAllocatedBytesForCurrentThread();
        var plan = Sweep.Plan(huge, template, ShardSpec.Whole);
        var last = plan[plan.Count - 1];
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(49_643_520_000L, plan.Count); // 1,515,000 points x ceil((2^31 - 1) / 2^16) blocks
        Assert.Equal(new SweepBlock(1_514_999, 2_147_418_112, int.MaxValue), last);
        Assert.True(plan.Contains(last));
        Assert.True(allocated < 4096, $"{allocated} bytes"); // a handful of fields, whatever the size
        Assert.Equal(new SweepBlock(0, 65_536, 131_072), plan.Skip(1).First());
    }

    [Fact]
    [Trait("Category", "Process")]
    public void The_sweep_that_cannot_finish_starts_at_once_stays_small_and_stops_at_once()
    {
        var folder = CliRunner.TempFolder();
        var clock = Stopwatch.StartNew();
        using var process = ProcessRunner.Start($"sweep --trials 2147483647 --nodes 8:512:1 --error-rate 1e-3:0.3:log1000 --threads 2 --out {folder}");
        var journal = Path.Combine(folder, "sweep.journal");
        while (!(File.Exists(journal) && File.ReadAllLines(journal).Length > 1) && clock.Elapsed < TimeSpan.FromMinutes(1))
        {
            Thread.Sleep(20);
        }

        var firstBlock = clock.Elapsed;
        Thread.Sleep(2000);
        var peak = PeakResidentBytes(process.Id);
        clock.Restart();
        ProcessRunner.Terminate(process);
        var (exit, output, error) = ProcessRunner.Finish(process);
        var stopped = clock.Elapsed;

        // Issue 14's bounds on the 2-core machine: the first block within 5 s, below 1 GB, stopped within 3 s of SIGTERM.
        Assert.True(firstBlock < TimeSpan.FromSeconds(5), $"first block after {firstBlock}");
        Assert.True(peak < 1L << 30, $"peak resident {peak} bytes");
        Assert.True(stopped < TimeSpan.FromSeconds(3), $"stopped {stopped} after SIGTERM");
        Assert.Equal(ExitCodes.Cancelled, exit);
        Assert.Equal(string.Empty, output);
        Assert.Matches(KeptLine(), Assert.Single(CliRunner.Lines(error)));
    }

    /// <summary>The process's peak resident set (VmHWM in /proc/PID/status, in kB).</summary>
    private static long PeakResidentBytes(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").Single(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
    }

    [GeneratedRegex(@"^cancelled: \d+ of 49643520000 blocks are kept in .*sweep\.journal; rerun the same command to resume \(no result file was written\)$")]
    private static partial Regex KeptLine();
}
