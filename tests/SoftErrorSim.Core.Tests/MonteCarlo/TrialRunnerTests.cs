using SoftErrorSim.Core.Decoding;
using SoftErrorSim.Core.MonteCarlo;
using SoftErrorSim.Core.Randomness;

namespace SoftErrorSim.Core.Tests.MonteCarlo;

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

    /// <summary>
    /// Groups of very different sizes (one trial, a few, several chunks, an empty one in the
    /// middle), counted against a plain loop over the indices: the oracle shares nothing with
    /// the runner but the trial function.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Grouped_tallies_equal_a_plain_loop_over_each_group(int threads)
    {
        int[] sizes = [1, 3, 0, 700, 257, 2, 1500, 5];
        var starts = new int[sizes.Length];
        for (var g = 1; g < sizes.Length; g++)
        {
            starts[g] = starts[g - 1] + sizes[g - 1];
        }

        var first = 1;
        var end = starts[^1] + sizes[^1];
        int GroupOf(int t)
        {
            var g = sizes.Length - 1;
            while (g > 0 && (t < starts[g] || sizes[g] == 0))
            {
                g--;
            }

            return g;
        }

        var tallies = TrialRunner.Run(first, end, threads, sizes.Length, GroupOf, Trial, null, CancellationToken.None);

        Assert.Equal(sizes.Length, tallies.Count);
        for (var g = 0; g < sizes.Length; g++)
        {
            var counts = default(OutcomeCounts);
            var worst = 0.0;
            var reasons = new SortedDictionary<string, long>(StringComparer.Ordinal);
            for (var t = Math.Max(first, starts[g]); t < starts[g] + sizes[g]; t++)
            {
                var result = Trial(t);
                counts = counts.Add(result.Outcome);
                worst = double.IsFinite(result.ConditionNumber) ? Math.Max(worst, result.ConditionNumber) : worst;
                if (result.DetectionReason is { } reason)
                {
                    reasons[reason] = reasons.GetValueOrDefault(reason) + 1;
                }
            }

            Assert.Equal(counts, tallies[g].Counts);
            Assert.Equal(worst, tallies[g].MaxConditionNumber);
            Assert.Equal(reasons, tallies[g].DetectionReasons);
        }

        Assert.Equal(end - first, tallies.Sum(t => t.Counts.Trials));
    }

    [Fact]
    public void The_ungrouped_run_is_the_sum_of_the_grouped_one_and_reports_every_trial_done()
    {
        long done = 0;
        var whole = TrialRunner.Run(10, 3000, 2, Trial, n => Interlocked.Add(ref done, n), CancellationToken.None);
        var grouped = TrialRunner.Run(10, 3000, 2, 3, t => t % 3, Trial, null, CancellationToken.None);

        Assert.Equal(2990, done);
        Assert.Equal(whole.Counts, grouped.Aggregate(default(OutcomeCounts), (sum, t) => sum + t.Counts));
        Assert.Equal(whole.MaxConditionNumber, grouped.Max(t => t.MaxConditionNumber));
    }
}
