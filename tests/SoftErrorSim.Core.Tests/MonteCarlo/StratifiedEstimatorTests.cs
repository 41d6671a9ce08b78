using CsCheck;
using SoftErrorSim.Core.Coding;
using SoftErrorSim.Core.Decoding;
using SoftErrorSim.Core.Faults;
using SoftErrorSim.Core.MonteCarlo;
using SoftErrorSim.Core.Schemes;
using SoftErrorSim.Core.Statistics;

namespace SoftErrorSim.Core.Tests.MonteCarlo;

public class StratifiedEstimatorTests
{
    private static readonly CodeConfiguration Gpd12 = new() { Scheme = SchemeKind.Gpd, NodeCount = 12, RowSplit = 2, ColumnSplit = 2 };
    private static readonly CodeConfiguration Replication12 = new() { Scheme = SchemeKind.Replication, NodeCount = 12, RowSplit = 2, ColumnSplit = 2 };

    // Forward outputs of 8 complex numbers (16 words) at P = 12: longer than the 7 or more errors
    // of the failing strata, so the span test sees their full rank at once (shorter outputs send
    // every such decode through the whole subset search).
    private static RateCampaignSettings Template(double rate, int trials, ErrorValueModel? model = null) => new()
    {
        Code = new CodeConfiguration { Scheme = SchemeKind.Uncoded, NodeCount = 1 },
        Shape = new PassShape(16, 4),
        Model = model ?? new ErrorValueModel(),
        ErrorRates = [rate],
        Trials = trials,
        Seed = 2024,
        Threads = 2,
        Estimator = SweepEstimator.Stratified,
    };

    private static SweepPoint RunOne(CodeConfiguration code, RateCampaignSettings template, ShardSpec? shard = null, int blockTrials = Sweep.DefaultBlockTrials)
    {
        var plan = new SweepPlan([code], []);
        return Sweep.Run(plan, template, Sweep.Blocks(plan, template, shard ?? ShardSpec.Whole, blockTrials)).Single();
    }

    [Fact]
    public void Allocation_spends_every_trial_deterministically_on_the_strata_that_are_run()
    {
        var weights = ErrorCountDistribution.Binomial(12, 0.02);
        var strata = StratifiedEstimator.Allocate(weights, 100_000, 6, DecodeOutcome.Clean);
        Assert.Equal(strata, StratifiedEstimator.Allocate(weights, 100_000, 6, DecodeOutcome.Clean));
        Assert.Equal(100_000, strata.Sum(s => s.Trials));
        Assert.Equal(StratumKind.Exact, strata[0].Kind);
        Assert.Equal(0, strata[0].Trials);
        Assert.All(strata.Skip(1).Take(6), s => Assert.Equal(StratumKind.Checked, s.Kind));
        Assert.All(strata.Skip(7), s => Assert.Equal(StratumKind.Sampled, s.Kind));

        // Floor 100,000 / (8 x 12) = 1041 each; of the remaining 87,508 a quarter (21,877) goes to
        // the checked strata and the rest to the sampled ones, in proportion to their weights.
        Assert.All(strata.Skip(1), s => Assert.True(s.Trials >= 1041));
        Assert.Equal(21_877 + (6 * 1041), strata.Skip(1).Take(6).Sum(s => s.Trials));
        Assert.True(strata[7].Trials > 60_000, "the stratum beyond the tolerance carries most of the failure weight");

        // Strata occupy consecutive ranges of the point's trial index.
        for (var e = 1; e < strata.Count; e++)
        {
            Assert.Equal(strata[e - 1].FirstTrial + strata[e - 1].Trials, strata[e].FirstTrial);
        }

        // Without a theory every stratum that can hold errors is sampled; without a deterministic clean decode so is e = 0.
        Assert.All(StratifiedEstimator.Allocate(weights, 5000, null, null), s => Assert.Equal(StratumKind.Sampled, s.Kind));
    }

    /// <summary>
    /// Locate's binary search against a scan of every stratum, on consecutive strata of random
    /// sizes (empty ones included, as exact strata and starved sampled ones are), for every trial
    /// index from before the first to past the last.
    /// </summary>
    [Fact]
    public void Locate_finds_the_stratum_holding_each_trial_as_a_scan_of_every_stratum_does() =>
        Gen.Int[0, 40].Array[0, 14].Sample(sizes =>
        {
            var strata = new List<Stratum>();
            var first = 0;
            foreach (var (size, e) in sizes.Select((size, e) => (size, e)))
            {
                strata.Add(new Stratum(e, 0.1, size == 0 ? StratumKind.Exact : StratumKind.Sampled, 0, 0, size, first));
                first += size;
            }

            for (var trial = -2; trial <= first + 2; trial++)
            {
                var holder = strata.FindIndex(s => trial >= s.FirstTrial && trial < s.FirstTrial + s.Trials);
                var expected = holder < 0 ? (-1, 0) : (holder, trial - strata[holder].FirstTrial);
                if (StratifiedEstimator.Locate(strata, trial) != expected)
                {
                    return false;
                }
            }

            return true;
        }, iter: 200);

    [Fact]
    public void The_interval_adds_exact_strata_and_Bonferroni_Clopper_Pearson_bounds_of_the_sampled_ones()
    {
        Stratum[] strata =
        [
            new(0, 0.5, StratumKind.Exact, 1, 0, 0, 0),
            new(1, 0.3, StratumKind.Checked, 0, 0, 100, 0),
            new(2, 0.15, StratumKind.Sampled, 0, 0, 200, 100),
            new(3, 0.05, StratumKind.Sampled, 0, 0, 50, 300),
        ];
        var estimate = StratifiedEstimator.Estimate(strata, [0, 100, 200, 50], [0, 0, 20, 50], alpha: 0.06);

        // Three strata are run: each gets level 0.06 / 3; the unrefuted checked stratum adds exactly 0.
        var second = BinomialInterval.ClopperPearson(20, 200, 0.02);
        var third = BinomialInterval.ClopperPearson(50, 50, 0.02);
        Assert.Equal(0.5 + (0.15 * 0.1) + 0.05, estimate.Rate, 15);
        // The ends move outward by the weights' rounding, 1e-12 relative.
        Assert.Equal((0.5 + (0.15 * second.Low) + (0.05 * third.Low)) * (1 - 1e-12), estimate.Low, 15);
        Assert.Equal((0.5 + (0.15 * second.High) + 0.05) * (1 + 1e-12), estimate.High, 15);
        Assert.Equal(Math.Sqrt(0.15 * 0.15 * 0.1 * 0.9 / 200), estimate.StandardError, 15);
        Assert.Equal(0.94, estimate.Confidence, 15);

        // One failure refutes the checked stratum's theory: it is then bounded like any other.
        var refuted = StratifiedEstimator.Estimate(strata, [0, 100, 200, 50], [0, 1, 20, 50], alpha: 0.06);
        Assert.Equal(estimate.High + (0.3 * BinomialInterval.ClopperPearson(1, 100, 0.02).High * (1 + 1e-12)), refuted.High, 15);
    }

    [Fact]
    public void Replication_strata_fail_at_their_combinatorial_rates_and_the_interval_covers_the_oracle()
    {
        // r = 3 copies of 4 blocks: probability one fails when two copies of one block err. Given
        // e erring nodes at uniformly random positions, P(fail | e) = 1 - C(4, e) 3^e / C(12, e):
        // 12/66, 112/220, 414/495 and 1 for e = 2, 3, 4, 5.
        var template = Template(0.02, 60_000);
        var point = RunOne(Replication12, template);
        var stratified = point.Stratified!;
        double[] exact = [0, 0, 12.0 / 66, 112.0 / 220, 414.0 / 495];
        for (var e = 2; e <= 4; e++)
        {
            var counts = stratified.Counts[e];

            // Exact binomial acceptance at level 1e-6 per stratum (3e-6 for the three).
            Assert.True(counts.Trials > 100, $"stratum {e} ran {counts.Trials} trials");
            Assert.True(BinomialAcceptance.Holds(counts.Detected + counts.Miscorrected, counts.Trials, exact[e], 1e-6), $"e = {e}: {counts.Detected + counts.Miscorrected} of {counts.Trials}");
        }

        Assert.All(stratified.Counts.Skip(5), c => Assert.Equal(c.Trials, c.Detected + c.Miscorrected));
        Assert.Equal(0, stratified.Counts[1].Detected + stratified.Counts[1].Miscorrected);

        // At level 1 - 1e-6 the interval misses the oracle with probability at most 1e-6 (the
        // Bonferroni-combined Clopper-Pearson bounds are exact-conservative for any counts).
        var oracle = SchemeOracle.FailureProbability(Replication12, PassKind.Forward, ErrorModelKind.Gaussian, DecoderKind.ProbabilityOne, 0.02)!.Value;
        var strict = StratifiedCampaign.Estimate(stratified.Strata, stratified.Counts, alpha: 1e-6).Failure;
        Assert.InRange(oracle, strict.Low, strict.High);
        Assert.True(Math.Abs(stratified.Failure.Rate - oracle) < 0.05 * oracle, $"{stratified.Failure.Rate} vs {oracle}");
    }

    [Theory]
    [InlineData(0.02)]
    [InlineData(0.05)]
    public void Gpd_reaches_failure_rates_of_1e_9_beside_the_oracle(double rate)
    {
        // P = 12, K = 5: probability one corrects 6 errors; the oracle's failure rate is the
        // binomial tail beyond 6 (9.3e-10 at 0.02). Every trial with 7 or more errors must fail
        // and none with fewer: the estimate then equals the tail and the interval holds it.
        var point = RunOne(Gpd12, Template(rate, 6000));
        var oracle = SchemeOracle.FailureProbability(Gpd12, PassKind.Forward, ErrorModelKind.Gaussian, DecoderKind.ProbabilityOne, rate)!.Value;
        var failure = point.Stratified!.Failure;
        Assert.True(Math.Abs(failure.Rate - oracle) <= 0.1 * oracle, $"{failure.Rate} vs {oracle}");
        Assert.InRange(oracle, failure.Low, failure.High);
        Assert.Equal(0, point.Stratified.Silent.Rate);
        Assert.Equal(6000, point.Row.Counts.Trials);
    }

    [Fact]
    public void Stratified_and_plain_Monte_Carlo_agree_where_both_apply()
    {
        // Bit flips at P = 8 (K = 5): no oracle, and no theory, so every stratum is sampled and
        // P(fail | e) lies strictly between 0 and 1 (flips of low mantissa bits are harmless).
        // The stratified interval at level 1 - 1e-6 holds the true rate with probability at least
        // 1 - 1e-6; the plain count is then inside the exact acceptance region (level 1e-6) of some
        // rate in it. False alarm at most 2e-6.
        var code = new CodeConfiguration { Scheme = SchemeKind.Gpd, NodeCount = 8, RowSplit = 2, ColumnSplit = 2 };
        var model = new ErrorValueModel { Kind = ErrorModelKind.BitFlip };
        var template = Template(0.2, 20_000, model);
        var stratified = RunOne(code, template).Stratified!;
        Assert.DoesNotContain(stratified.Strata, s => s.Kind == StratumKind.Checked);
        var interval = StratifiedCampaign.Estimate(stratified.Strata, stratified.Counts, alpha: 1e-6).Failure;
        var plain = RunOne(code, template with { Estimator = SweepEstimator.Plain, Seed = 99 }).Row.Counts;
        var failures = plain.Detected + plain.Miscorrected;
        var region = BinomialInterval.ClopperPearson(failures, plain.Trials, 1e-6);
        Assert.True(region.Low <= interval.High && interval.Low <= region.High, $"plain {failures}/{plain.Trials} vs stratified [{interval.Low}, {interval.High}]");
        Assert.True(interval.High - interval.Low < 0.05, "the comparison has power: both intervals are narrow");
    }

    [Theory]
    [InlineData(3, 1000)]
    [InlineData(2, 700)]
    public void Shards_and_resumed_runs_count_every_stratum_exactly_as_the_whole_run(int shards, int blockTrials)
    {
        var template = Template(0.1, 3001);
        var whole = RunOne(Replication12, template, null, blockTrials).Stratified!;
        var summed = new OutcomeCounts[whole.Counts.Count];
        for (var index = 0; index < shards; index++)
        {
            var part = RunOne(Replication12, template with { Threads = 1 + (index % 2) }, new ShardSpec(index, shards), blockTrials).Stratified!;
            Assert.Equal(whole.Strata, part.Strata);
            for (var e = 0; e < summed.Length; e++)
            {
                summed[e] += part.Counts[e];
            }
        }

        Assert.Equal(whole.Counts, summed);
        Assert.Equal(whole.Failure, StratifiedCampaign.Estimate(whole.Strata, summed).Failure);

        // A run that keeps some finished blocks and reruns the rest counts the same.
        var plan = new SweepPlan([Replication12], []);
        var blocks = Sweep.Blocks(plan, template, ShardSpec.Whole, blockTrials);
        var finished = new Dictionary<SweepBlock, SweepBlockResult>();
        Sweep.Run(plan, template, blocks.Where((_, i) => i % 2 == 0).ToList(), null, r => finished.Add(r.Block, r));
        var resumed = Sweep.Run(plan, template, blocks, finished).Single().Stratified!;
        Assert.Equal(whole.Counts, resumed.Counts);
        Assert.Equal(whole.Failure, resumed.Failure);
    }

    [Fact]
    public void A_point_whose_every_stratum_is_exact_runs_nothing()
    {
        var point = RunOne(Gpd12, Template(0, 100));
        Assert.Equal(0, point.Row.Counts.Trials);
        Assert.Equal(new StratifiedEstimate(0, 0, 0, 0, 0.95), point.Stratified!.Failure);
    }
}
