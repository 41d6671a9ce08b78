using SoftErrorSim.Core.Decoding;

namespace SoftErrorSim.Core.MonteCarlo;

/// <summary>What one trial reports.</summary>
/// <param name="Outcome">The classified decode outcome.</param>
/// <param name="ConditionNumber">Condition number of the last system the decoder solved.</param>
/// <param name="DetectionReason">Why the decoder flagged failure, when it did.</param>
public readonly record struct TrialResult(DecodeOutcome Outcome, double ConditionNumber, string? DetectionReason);

/// <summary>The tally of a batch of trials.</summary>
/// <param name="Counts">Outcome counts.</param>
/// <param name="MaxConditionNumber">Largest finite condition number seen.</param>
/// <param name="DetectionReasons">How often each detection reason occurred.</param>
public sealed record TrialTally(OutcomeCounts Counts, double MaxConditionNumber, IReadOnlyDictionary<string, long> DetectionReasons)
{
    /// <summary>The tally of the union of disjoint batches: counts added, the largest maximum, reasons counted together (in ordinal order).</summary>
    public static TrialTally Sum(IEnumerable<TrialTally> tallies)
    {
        ArgumentNullException.ThrowIfNull(tallies);
        var counts = default(OutcomeCounts);
        var worst = 0.0;
        var reasons = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var tally in tallies)
        {
            counts += tally.Counts;
            worst = Math.Max(worst, tally.MaxConditionNumber);
            foreach (var (reason, count) in tally.DetectionReasons)
            {
                reasons[reason] = reasons.GetValueOrDefault(reason) + count;
            }
        }

        return new TrialTally(counts, worst, reasons);
    }
}

/// <summary>
/// Runs trials in chunks on up to <c>threads</c> workers. Each chunk keeps its own tally and the
/// tallies are combined with order-free operations (integer sums, maximum, sorted counts), so the
/// result never depends on the thread count, and memory does not grow with the number of trials.
/// </summary>
public static class TrialRunner
{
    private const int ChunkSize = 256;

    /// <summary>Runs <paramref name="trial"/> for every index in [0, <paramref name="trials"/>) and tallies the results.</summary>
    public static TrialTally Run(int trials, int threads, Func<int, TrialResult> trial, Action<long>? completed, CancellationToken cancellationToken) =>
        Run(0, trials, threads, trial, completed, cancellationToken);

    /// <summary>Runs <paramref name="trial"/> for every index in [<paramref name="first"/>, <paramref name="end"/>) and tallies the results.</summary>
    public static TrialTally Run(int first, int end, int threads, Func<int, TrialResult> trial, Action<long>? completed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(trial);
        return Run(first, end, threads, 1, static _ => 0, (index, _) => trial(index), completed, cancellationToken)[0];
    }

    /// <summary>
    /// Runs <paramref name="trial"/> for every index t in [<paramref name="first"/>, <paramref name="end"/>)
    /// and tallies the results of each of <paramref name="groups"/> groups apart: t belongs to group
    /// <paramref name="groupOf"/>(t), which must lie in [0, <paramref name="groups"/>) and be safe to
    /// call from several threads at once, and the trial is told its group. One pass over the whole
    /// range, so that a range made of many small groups (the strata of a stratified point) still
    /// keeps every worker busy: run group by group, a group of a few hundred trials is one or two
    /// chunks, and the other workers wait at each group's end.
    /// </summary>
    public static IReadOnlyList<TrialTally> Run(int first, int end, int threads, int groups, Func<int, int> groupOf, Func<int, int, TrialResult> trial, Action<long>? completed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(groupOf);
        ArgumentNullException.ThrowIfNull(trial);
        ArgumentOutOfRangeException.ThrowIfNegative(first);
        ArgumentOutOfRangeException.ThrowIfLessThan(end, first);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(groups);
        var chunks = (int)(((long)end - first + ChunkSize - 1) / ChunkSize);
        var tallies = new ChunkTally[chunks];
        var options = new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancellationToken };
        Parallel.For(0, chunks, options, chunk =>
        {
            var start = first + (chunk * ChunkSize);
            var stop = Math.Min(end, start + ChunkSize);
            var tally = new ChunkTally(groups);
            for (var t = start; t < stop; t++)
            {
                var group = groupOf(t);
                if ((uint)group >= (uint)groups)
                {
                    throw new InvalidOperationException($"trial {t} was put in group {group}, outside [0, {groups})");
                }

                tally.Add(group, trial(t, group));
            }

            tallies[chunk] = tally;
            completed?.Invoke(stop - start);
        });

        return Enumerable.Range(0, groups).Select(g => TrialTally.Sum(tallies.Select(t => t.Of(g)))).ToList();
    }

    private sealed class ChunkTally(int groups)
    {
        private readonly OutcomeCounts[] _counts = new OutcomeCounts[groups];
        private readonly double[] _worst = new double[groups];
        private Dictionary<string, long>?[]? _reasons;

        public void Add(int group, TrialResult result)
        {
            _counts[group] = _counts[group].Add(result.Outcome);
            if (double.IsFinite(result.ConditionNumber))
            {
                _worst[group] = Math.Max(_worst[group], result.ConditionNumber);
            }

            if (result.DetectionReason is { } reason)
            {
                _reasons ??= new Dictionary<string, long>?[_counts.Length];
                var reasons = _reasons[group] ??= new Dictionary<string, long>(StringComparer.Ordinal);
                reasons[reason] = reasons.GetValueOrDefault(reason) + 1;
            }
        }

        /// <summary>The chunk's tally of one group.</summary>
        public TrialTally Of(int group) => new(_counts[group], _worst[group], (IReadOnlyDictionary<string, long>?)_reasons?[group] ?? EmptyReasons);
    }

    private static readonly IReadOnlyDictionary<string, long> EmptyReasons = new Dictionary<string, long>();
}
