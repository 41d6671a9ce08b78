using CsCheck;
using SoftErrorSim.Core.Decoding;
using SoftErrorSim.Core.MonteCarlo;
using SoftErrorSim.Core.Randomness;

namespace SoftErrorSim.Core.Tests.MonteCarlo;

/// <summary>
/// The trial runner against plain loops over the indices (the oracle shares nothing with the
/// runner but the trial function), on random groupings checked with CsCheck.
/// </summary>
public class TrialRunnerTests
{
    /// <summary>A trial whose result is a fixed function of its index: every outcome, finite and infinite condition numbers, three detection reasons.</summary>
    private static TrialResult Trial(int index)
    {
        var bits = StreamKey.Source(7, (ulong)index).NextUInt64();
        var outcome = (DecodeOutcome)(int)(bits % 4);
        var condition = (bits >> 8) % 17 == 0 ? double.PositiveInfinity : (double)((bits >> 16) % 100_000);
        return new TrialResult(outcome, condition, outcome == DecodeOutcome.Detected ? $"reason {(bits >> 40) % 3}" : null);
    }

    /// <summary>The tally of the indices a plain loop keeps.</summary>
    private static (OutcomeCounts Counts, double Worst, SortedDictionary<string, long> Reasons) Oracle(IEnumerable<int> indices)
    {
        var counts = default(OutcomeCounts);
        var worst = 0.0;
        var reasons = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var t in indices)
        {
            var result = Trial(t);
            counts = counts.Add(result.Outcome);
            worst = double.IsFinite(result.ConditionNumber) ? Math.Max(worst, result.ConditionNumber) : worst;
            if (result.DetectionReason is { } reason)
            {
                reasons[reason] = reasons.GetValueOrDefault(reason) + 1;
            }
        }

        return (counts, worst, reasons);
    }

    /// <summary>
    /// Consecutive groups of random sizes (empty ones included, most smaller than a chunk of 256,
    /// some several chunks), a random range [first, end) that may start and end inside a group,
    /// 1 to 3 threads: each group's tally is the plain loop's over its indices in the range, and
    /// each trial is told the group it was counted in.
    /// </summary>
    [Fact]
    public void Grouped_tallies_equal_a_plain_loop_over_each_group_for_any_range_and_thread_count() =>
        Gen.Select(Gen.Int[0, 700].Array[1, 8], Gen.Double[0, 1], Gen.Double[0, 1], Gen.Int[1, 3]).Sample((sizes, a, b, threads) =>
        {
            var starts = new int[sizes.Length];
            for (var g = 1; g < sizes.Length; g++)
            {
                starts[g] = starts[g - 1] + sizes[g - 1];
            }

            var total = starts[^1] + sizes[^1];
            var (first, end) = ((int)(Math.Min(a, b) * total), (int)(Math.Max(a, b) * total));
            int GroupOf(int t) => Enumerable.Range(0, sizes.Length).Last(g => starts[g] <= t && sizes[g] > 0);
            var told = 0L;
            var tallies = TrialRunner.Run(first, end, threads, sizes.Length, GroupOf, (t, group) =>
            {
                if (group == GroupOf(t))
                {
                    Interlocked.Increment(ref told);
                }

                return Trial(t);
            }, null, CancellationToken.None);

            for (var g = 0; g < sizes.Length; g++)
            {
                var (counts, worst, reasons) = Oracle(Enumerable.Range(first, end - first).Where(t => t >= starts[g] && t < starts[g] + sizes[g]));
                if (counts != tallies[g].Counts || worst != tallies[g].MaxConditionNumber || !reasons.SequenceEqual(tallies[g].DetectionReasons))
                {
                    return false;
                }
            }

            return told == end - first && tallies.Count == sizes.Length;
        }, iter: 60);

    [Fact]
    public void The_ungrouped_run_equals_the_plain_loop_and_reports_every_trial_done()
    {
        long done = 0;
        var whole = TrialRunner.Run(10, 3000, 2, Trial, n => Interlocked.Add(ref done, n), CancellationToken.None);
        var (counts, worst, reasons) = Oracle(Enumerable.Range(10, 2990));

        Assert.Equal(2990, done);
        Assert.Equal(counts, whole.Counts);
        Assert.Equal(worst, whole.MaxConditionNumber);
        Assert.Equal(reasons, whole.DetectionReasons);
        Assert.Equal(3, whole.DetectionReasons.Count);
    }

    [Fact]
    public void A_group_outside_the_declared_ones_is_refused()
    {
        var thrown = Assert.Throws<AggregateException>(() => TrialRunner.Run(0, 10, 1, 2, t => t == 5 ? 2 : 0, (t, _) => Trial(t), null, CancellationToken.None));
        Assert.IsType<InvalidOperationException>(Assert.Single(thrown.InnerExceptions));
    }
}
