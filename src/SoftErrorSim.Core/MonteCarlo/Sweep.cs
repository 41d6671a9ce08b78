using System.Globalization;
using System.Text;
using SoftErrorSim.Core.Coding;
using SoftErrorSim.Core.Passes;
using SoftErrorSim.Core.Randomness;

namespace SoftErrorSim.Core.MonteCarlo;

/// <summary>One point of a sweep: a configuration at one error rate.</summary>
public sealed record SweepPoint(CodeConfiguration Code, RateCampaignRow Row);

/// <summary>Runs a sweep: the blocks of every point of the plan, in a fixed order.</summary>
public static class Sweep
{
    /// <summary>Default most trials in one block: the granularity at which an interrupted sweep keeps its work.</summary>
    public const int DefaultBlockTrials = 1 << 16;

    /// <summary>
    /// The identity of a sweep's results: every configuration, the pass, shape, model, decoder,
    /// rates, trials and seed, but not the thread count or shard split (which never change results).
    /// </summary>
    public static string Fingerprint(SweepPlan plan, RateCampaignSettings template)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(template);
        var text = new StringBuilder("sweep/v1");
        foreach (var code in plan.Configurations)
        {
            text.Append('|').Append((template with { Code = code }).CanonicalText());
        }

        text.Append(CultureInfo.InvariantCulture, $"|rates={string.Join(",", template.ErrorRates.Select(r => BitConverter.DoubleToInt64Bits(r).ToString("x16", CultureInfo.InvariantCulture)))}");
        text.Append(CultureInfo.InvariantCulture, $"|trials={template.Trials}|seed={template.Seed}");
        return StreamKey.Hash(text.ToString()).ToString("x16", CultureInfo.InvariantCulture);
    }

    /// <summary>The blocks a shard runs, in order, as a list; block boundaries sit at multiples of <paramref name="blockTrials"/>. For small sweeps: <see cref="Plan"/> never materialises them.</summary>
    public static IReadOnlyList<SweepBlock> Blocks(SweepPlan plan, RateCampaignSettings template, ShardSpec shard, int blockTrials = DefaultBlockTrials) =>
        Plan(plan, template, shard, blockTrials).ToList();

    /// <summary>
    /// The blocks a shard runs, in order, computed on demand (a sweep of 10^15 trials has more
    /// blocks than memory holds; its first block must start at once).
    /// </summary>
    public static SweepBlocks Plan(SweepPlan plan, RateCampaignSettings template, ShardSpec shard, int blockTrials = DefaultBlockTrials)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(template);
        ArgumentOutOfRangeException.ThrowIfLessThan(blockTrials, 1);
        var (first, end) = shard.TrialRange(template.Trials);
        return new SweepBlocks(plan.Configurations.Count * template.ErrorRates.Count, first, end, blockTrials);
    }

    /// <summary>
    /// Runs <paramref name="blocks"/> (from <see cref="Blocks"/>) except those in <paramref name="finished"/>,
    /// reporting each as it completes through <paramref name="blockDone"/> (the journal of a
    /// resumable run), and returns every point with the counts of all its blocks. Blocks carry their
    /// own streams, so the result is the same whatever was finished before and whatever the thread count.
    /// </summary>
    public static IReadOnlyList<SweepPoint> Run(
        SweepPlan plan,
        RateCampaignSettings template,
        IReadOnlyList<SweepBlock> blocks,
        IReadOnlyDictionary<SweepBlock, SweepBlockResult>? finished = null,
        Action<SweepBlockResult>? blockDone = null,
        IProgress<CampaignProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(blocks);
        var open = new int[plan.Configurations.Count * template.ErrorRates.Count];
        foreach (var block in blocks)
        {
            open[block.Point]++;
        }

        Dictionary<SweepBlock, SweepBlockResult>? kept = null;
        if (finished is not null)
        {
            var listed = blocks.ToHashSet();
            kept = finished.Where(f => listed.Contains(f.Key)).ToDictionary();
        }

        return Run(plan, template, blocks, blocks.Sum(b => (long)b.Trials), open, kept, blockDone, progress, cancellationToken);
    }

    /// <summary>
    /// Runs the blocks of <paramref name="blocks"/> (from <see cref="Plan"/>) except those in
    /// <paramref name="finished"/>, exactly as the list overload does, without ever holding the
    /// list of blocks: memory grows with the number of points, not of blocks.
    /// </summary>
    public static IReadOnlyList<SweepPoint> Run(
        SweepPlan plan,
        RateCampaignSettings template,
        SweepBlocks blocks,
        IReadOnlyDictionary<SweepBlock, SweepBlockResult>? finished = null,
        Action<SweepBlockResult>? blockDone = null,
        IProgress<CampaignProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(blocks);
        var open = new int[blocks.Points];
        Array.Fill(open, blocks.BlocksPerPoint);
        return Run(plan, template, blocks, blocks.Trials, open, finished is null ? null : finished.Where(f => blocks.Contains(f.Key)).ToDictionary(), blockDone, progress, cancellationToken);
    }

    private static List<SweepPoint> Run(
        SweepPlan plan,
        RateCampaignSettings template,
        IEnumerable<SweepBlock> blocks,
        long total,
        int[] open,
        IReadOnlyDictionary<SweepBlock, SweepBlockResult>? finished,
        Action<SweepBlockResult>? blockDone,
        IProgress<CampaignProgress>? progress,
        CancellationToken cancellationToken)
    {
        finished ??= new Dictionary<SweepBlock, SweepBlockResult>();
        var rates = template.ErrorRates.Count;
        var points = plan.Configurations.Count * rates;
        var counts = new OutcomeCounts[points];
        var worst = new double[points];
        var pointsDone = open.Count(o => o == 0);
        long done = 0;
        void Count(SweepBlockResult result)
        {
            counts[result.Block.Point] += result.Counts;
            worst[result.Block.Point] = Math.Max(worst[result.Block.Point], result.MaxConditionNumber);
            if (--open[result.Block.Point] == 0)
            {
                pointsDone++;
            }
        }

        // Finished blocks count first (in index order, so sums do not depend on the journal's order).
        foreach (var kept in finished.Values.OrderBy(r => r.Block.Point).ThenBy(r => r.Block.FirstTrial))
        {
            Count(kept);
            done += kept.Block.Trials;
        }

        progress?.Report(new CampaignProgress(done, total, pointsDone, points));
        CodedPass? workload = null;
        var workloadConfiguration = -1;
        foreach (var block in blocks)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (finished.ContainsKey(block))
            {
                continue;
            }

            var configuration = block.Point / rates;
            var settings = template with { Code = plan.Configurations[configuration] };
            if (configuration != workloadConfiguration)
            {
                workload = settings.BuildWorkload();
                workloadConfiguration = configuration;
            }

            var before = done;
            var tally = RateCampaign.RunTrials(
                settings,
                workload!,
                template.ErrorRates[block.Point % rates],
                block.FirstTrial,
                block.EndTrial,
                n => progress?.Report(new CampaignProgress(Interlocked.Add(ref done, n), total, pointsDone, points)),
                cancellationToken);
            var result = new SweepBlockResult(block, tally.Counts, tally.MaxConditionNumber);
            Count(result);
            blockDone?.Invoke(result);
            done = before + block.Trials;
            progress?.Report(new CampaignProgress(done, total, pointsDone, points));
        }

        return Enumerable.Range(0, points).Select(point =>
        {
            var settings = template with { Code = plan.Configurations[point / rates] };
            return new SweepPoint(settings.Code, RateCampaign.Row(settings, template.ErrorRates[point % rates], counts[point], worst[point]));
        }).ToList();
    }
}
