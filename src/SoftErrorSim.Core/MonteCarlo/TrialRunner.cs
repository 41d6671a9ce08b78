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
public sealed record TrialTally(OutcomeCounts Counts, double MaxConditionNumber, IReadOnlyDictionary<string, long> DetectionReasons);

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
    public static TrialTally Run(int first, int end, int threads, Func<int, TrialResult> trial, Action<long>? completed, CancellationToken cancellationToken) =>
        Run(first, end, threads, 1, static _ => 0, trial, completed, cancellationToken)[0];

    /// <summary>
    /// Runs <paramref name="trial"/> for every index in [<paramref name="first"/>, <paramref name="end"/>)
    /// and tallies the results of each of <paramref name="groups"/> groups apart (index t belongs to
    /// group <paramref name="groupOf"/>(t)). One pass over the whole range, so that a range made of
    /// many small groups (the strata of a stratified point) still keeps every worker busy: run
    /// group by group, a group of a few hundred trials is one or two chunks, and the other worker
    /// waits at each group's end.
    /// </summary>
    public static IReadOnlyList<TrialTally> Run(int first, int end, int threads, int groups, Func<int, int> groupOf, Func<int, TrialResult> trial, Action<long>? completed, CancellationToken cancellationToken)
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
                tally.Add(groupOf(t), trial(t));
            }

            tallies[chunk] = tally;
            completed?.Invoke(stop - start);
        });

        var result = new TrialTally[groups];
        for (var g = 0; g < groups; g++)
        {
            var counts = default(OutcomeCounts);
            var worst = 0.0;
            var reasons = new SortedDictionary<string, long>(StringComparer.Ordinal);
            foreach (var tally in tallies)
            {
                counts += tally.Counts[g];
                worst = Math.Max(worst, tally.Worst[g]);
                foreach (var (reason, count) in tally.Reasons?[g] ?? [])
                {
                    reasons[reason] = reasons.GetValueOrDefault(reason) + count;
                }
            }

            result[g] = new TrialTally(counts, worst, reasons);
        }

        return result;
    }

    private sealed class ChunkTally(int groups)
    {
        public OutcomeCounts[] Counts { get; } = new OutcomeCounts[groups];

        public double[] Worst { get; } = new double[groups];

        public Dictionary<string, long>?[]? Reasons { get; private set; }

        public void Add(int group, TrialResult result)
        {
            Counts[group] = Counts[group].Add(result.Outcome);
            if (double.IsFinite(result.ConditionNumber))
            {
                Worst[group] = Math.Max(Worst[group], result.ConditionNumber);
            }

            if (result.DetectionReason is { } reason)
            {
                Reasons ??= new Dictionary<string, long>?[Counts.Length];
                var reasons = Reasons[group] ??= new Dictionary<string, long>(StringComparer.Ordinal);
                reasons[reason] = reasons.GetValueOrDefault(reason) + 1;
            }
        }
    }
}
