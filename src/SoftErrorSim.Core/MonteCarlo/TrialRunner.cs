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
/// Runs trials 0..n-1 in chunks on up to <c>threads</c> workers; each trial writes its own slot and
/// the slots are reduced in index order, so the tally never depends on the thread count.
/// </summary>
public static class TrialRunner
{
    private const int ChunkSize = 64;

    /// <summary>Runs <paramref name="trial"/> for every index and tallies the results.</summary>
    public static TrialTally Run(int trials, int threads, Func<int, TrialResult> trial, Action<long>? completed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(trial);
        var results = new TrialResult[trials];
        var chunks = (trials + ChunkSize - 1) / ChunkSize;
        var options = new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancellationToken };
        Parallel.For(0, chunks, options, chunk =>
        {
            var end = Math.Min(trials, (chunk + 1) * ChunkSize);
            for (var t = chunk * ChunkSize; t < end; t++)
            {
                results[t] = trial(t);
            }

            completed?.Invoke(end - (chunk * ChunkSize));
        });

        var counts = default(OutcomeCounts);
        var worst = 0.0;
        var reasons = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var result in results)
        {
            counts = counts.Add(result.Outcome);
            if (double.IsFinite(result.ConditionNumber))
            {
                worst = Math.Max(worst, result.ConditionNumber);
            }

            if (result.DetectionReason is { } reason)
            {
                reasons[reason] = reasons.GetValueOrDefault(reason) + 1;
            }
        }

        return new TrialTally(counts, worst, reasons);
    }
}
