using SoftErrorSim.Core.Faults;
using SoftErrorSim.Core.Passes;
using SoftErrorSim.Core.Randomness;

namespace SoftErrorSim.Core.MonteCarlo;

/// <summary>What an injector did over a range of trials: independent strikes per row of the pass, and bursts.</summary>
internal sealed class InjectionCount(int rows)
{
    /// <summary>Independent strikes of every row.</summary>
    public long[] Strikes { get; } = new long[rows];

    /// <summary>Trials with a burst.</summary>
    public long Bursts { get; private set; }

    /// <summary>Counts a trial's independently struck rows.</summary>
    public void AddIndependent(List<int> struck)
    {
        foreach (var row in struck)
        {
            Strikes[row]++;
        }
    }

    /// <summary>Counts a trial's burst.</summary>
    public void AddBurst() => Bursts++;

    /// <summary>Adds another count (order-free integer sums).</summary>
    public void Add(InjectionCount other)
    {
        for (var i = 0; i < Strikes.Length; i++)
        {
            Strikes[i] += other.Strikes[i];
        }

        Bursts += other.Bursts;
    }
}

/// <summary>The injector's check of one sweep point: its configuration, its error rate and the checks of its kinds.</summary>
public sealed record PointInjectorCheck(int Configuration, double ErrorRate, IReadOnlyList<InjectorCheck> Checks);

/// <summary>
/// The injector's check of itself in a sweep (SPEC 3, as training does it): for every point, the
/// trials' own injector (<see cref="CampaignFaults.Inject"/>, the first draws of each trial's
/// stream, redrawn here without the decodes, so any shard, resume or thread count counts exactly
/// the strikes its trials made) is counted per group of rows at one rate, and per point the bursts.
/// A trial strikes a row when its product (or, with an encode rate, its encoding) errs, one draw
/// per row: kind "product" ("encode+product" with an encode rate). Each group's count is
/// Binomial(trials x rows, rate) and bursts Binomial(trials, B); every group of every point is
/// checked in its exact region at <see cref="InjectorCheck.FalseAlarm"/> / (groups in the sweep).
/// </summary>
public static class CampaignInjectorCheck
{
    private const int ChunkSize = 4096;

    /// <summary>The checks of every point of a plain sweep over the shard's trials (none for the stratified estimator, whose trials strike exact counts).</summary>
    public static IReadOnlyList<PointInjectorCheck> Run(SweepPlan plan, RateCampaignSettings template, ShardSpec shard, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(template);
        if (template.Estimator == SweepEstimator.Stratified)
        {
            return [];
        }

        var (first, end) = shard.TrialRange(template.Trials);
        var points = new List<(int Configuration, double Rate, List<(string Kind, double Rate, int Nodes, long Draws, long Strikes)> Groups)>();
        for (var c = 0; c < plan.Configurations.Count; c++)
        {
            // The rows' nodes alone: the check redraws the injection, which needs no workload.
            var settings = template with { Code = plan.Configurations[c] };
            var active = CodedPass.ActiveNodesOf(settings.Code, settings.Pass);
            foreach (var rate in template.ErrorRates)
            {
                points.Add((c, rate, Groups(settings, active, rate, first, end, cancellationToken)));
            }
        }

        var family = Math.Max(1, points.Sum(p => p.Groups.Count));
        return points.Select(p => new PointInjectorCheck(p.Configuration, p.Rate, InjectorCheck.Of(p.Groups, InjectorCheck.FalseAlarm, family))).ToArray();
    }

    /// <summary>The rate groups (and the burst group) of one point over trials [first, end).</summary>
    internal static List<(string Kind, double Rate, int Nodes, long Draws, long Strikes)> Groups(RateCampaignSettings settings, IReadOnlyList<int> activeNodes, double rate, int first, int end, CancellationToken cancellationToken)
    {
        var count = Count(settings, activeNodes, rate, first, end, cancellationToken);
        var rates = CampaignFaults.ActiveRates(settings, activeNodes, rate) ?? Enumerable.Repeat(rate, activeNodes.Count).ToArray();
        var kind = settings.Environment.StepRates.ContainsKey(StepKind.Encode) ? "encode+product" : "product";
        var trials = (long)end - first;
        var groups = Enumerable.Range(0, rates.Length).GroupBy(row => rates[row]).OrderBy(g => g.Min())
            .Select(g => (kind, g.Key, g.Count(), trials * g.Count(), g.Sum(row => count.Strikes[row])))
            .ToList();
        if (settings.Environment.BurstRate > 0)
        {
            groups.Add((InjectorCheck.BurstKind, settings.Environment.BurstRate, settings.Environment.BurstSize, trials, count.Bursts));
        }

        return trials > 0 ? groups : [];
    }

    /// <summary>Redraws the injection of trials [first, end) of one point, in chunks on the settings' threads, and sums the counts.</summary>
    internal static InjectionCount Count(RateCampaignSettings settings, IReadOnlyList<int> activeNodes, double rate, int first, int end, CancellationToken cancellationToken)
    {
        var key = RateCampaign.TrialKey(settings);
        var rateKey = (ulong)BitConverter.DoubleToInt64Bits(rate);
        var active = activeNodes.Count;
        var rates = CampaignFaults.ActiveRates(settings, activeNodes, rate);
        var racks = CampaignFaults.ActiveRacks(settings, activeNodes);
        var chunks = (int)(((long)end - first + ChunkSize - 1) / ChunkSize);
        var counts = new InjectionCount[chunks];
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = settings.Threads, CancellationToken = cancellationToken }, chunk =>
        {
            var count = new InjectionCount(active);
            var struck = new List<int>(active);
            var stop = (int)Math.Min(end, first + ((chunk + 1L) * ChunkSize));
            for (var trial = first + (chunk * ChunkSize); trial < stop; trial++)
            {
                CampaignFaults.Inject(settings, rate, rates, racks, active, StreamKey.Source(settings.Seed, key, rateKey, (ulong)trial), struck, count);
            }

            counts[chunk] = count;
        });

        var total = new InjectionCount(active);
        foreach (var count in counts)
        {
            total.Add(count);
        }

        return total;
    }
}
