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
    public static TrialTally Run(int first, int end, int threads, Func<int, TrialResult> trial, Action<long>? completed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(trial);
        ArgumentOutOfRangeException.ThrowIfNegative(first);
        ArgumentOutOfRangeException.ThrowIfLessThan(end, first);
        var chunks = (int)(((long)end - first + ChunkSize - 1) / ChunkSize);
        var tallies = new ChunkTally[chunks];
        var options = new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancellationToken };
        Parallel.For(0, chunks, options, chunk =>
        {
            var start = first + (chunk * ChunkSize);
            var stop = Math.Min(end, start + ChunkSize);
            var tally = new ChunkTally();
            for (var t = start; t < stop; t++)
            {
                tally.Add(trial(t));
            }

            tallies[chunk] = tally;
            completed?.Invoke(stop - start);
        });

        var counts = default(OutcomeCounts);
        var worst = 0.0;
        var reasons = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var tally in tallies)
        {
            counts += tally.Counts;
            worst = Math.Max(worst, tally.Worst);
            foreach (var (reason, count) in tally.Reasons ?? [])
            {
                reasons[reason] = reasons.GetValueOrDefault(reason) + count;
            }
        }

        return new TrialTally(counts, worst, reasons);
    }

    private sealed class ChunkTally
    {
        public OutcomeCounts Counts { get; private set; }

        public double Worst { get; private set; }

        public Dictionary<string, long>? Reasons { get; private set; }

        public void Add(TrialResult result)
        {
            Counts = Counts.Add(result.Outcome);
            if (double.IsFinite(result.ConditionNumber))
            {
                Worst = Math.Max(Worst, result.ConditionNumber);
            }

            if (result.DetectionReason is { } reason)
            {
                Reasons ??= new Dictionary<string, long>(StringComparer.Ordinal);
                Reasons[reason] = Reasons.GetValueOrDefault(reason) + 1;
            }
        }
    }
}
