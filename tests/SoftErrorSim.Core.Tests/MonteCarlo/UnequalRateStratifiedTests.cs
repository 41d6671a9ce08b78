using System.Globalization;
using System.Numerics;
using SoftErrorSim.Core.Coding;
using SoftErrorSim.Core.Faults;
using SoftErrorSim.Core.MonteCarlo;
using SoftErrorSim.Core.Randomness;
using SoftErrorSim.Core.Statistics;
using Xunit.Abstractions;

namespace SoftErrorSim.Core.Tests.MonteCarlo;

/// <summary>
/// The stratified estimator with unequal node rates (SPEC 3 and 6): Poisson-binomial weights, the
/// exact conditional law of the erring set given its size, agreement with the Poisson-binomial
/// oracle and with plain Monte Carlo, and shards and resumes that count exactly as the whole run.
/// </summary>
public class UnequalRateStratifiedTests(ITestOutputHelper output)
{
    /// <summary>Rate vectors of at most 10 nodes, each with an erring count to condition on.</summary>
    private static readonly (double[] Rates, int Errors)[] SamplerCases =
    [
        ([0.3, 0.01, 0.5, 1e-4, 0.2, 0.07, 0.9, 0.15, 0.02, 0.6], 3),
        ([0.3, 0.01, 0.5, 1e-4, 0.2, 0.07, 0.9, 0.15, 0.02, 0.6], 6),

        // A node at rate 1 is in every set, a node at rate 0 in none.
        ([1, 0, 0.4, 0.05, 0.7, 0.2, 0.33, 0.1], 3),

        // Rates from 1e-30 to 0.99: sets holding the tiny nodes are (almost) never drawn.
        ([1e-30, 0.99, 1e-12, 0.5, 3e-30, 0.25, 1e-6, 0.05, 0.8, 0.1], 4),

        // Every rate tiny (products down to 1e-150): the law is in proportion to the products of the rates.
        ([1e-30, 2e-30, 3e-30, 5e-30, 8e-30, 1.3e-29, 2.1e-29, 3.4e-29, 5.5e-29, 8.9e-29], 5),
    ];

    /// <summary>Every set of <paramref name="errors"/> of the nodes with its exact probability given that count, by enumeration: the definition itself.</summary>
    private static Dictionary<int, double> Enumerated(double[] rates, int errors)
    {
        var law = new Dictionary<int, double>();
        for (var mask = 0; mask < 1 << rates.Length; mask++)
        {
            if (BitOperations.PopCount((uint)mask) != errors)
            {
                continue;
            }

            double p = 1;
            for (var i = 0; i < rates.Length; i++)
            {
                p *= (mask >> i & 1) == 1 ? rates[i] : 1 - rates[i];
            }

            law[mask] = p;
        }

        var total = law.Values.Sum();
        return law.ToDictionary(kv => kv.Key, kv => kv.Value / total);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_conditional_sampler_draws_every_erring_set_at_its_enumerated_probability(bool planted)
    {
        // 200,000 draws per case; each set's count against the exact two-sided binomial acceptance
        // region of its enumerated probability, at level 1e-4 shared evenly (Bonferroni) over the
        // 120 + 210 + 56 + 210 + 252 = 848 sets of the five cases: the test's false alarm is at most
        // 1e-4. A set of probability zero must never be drawn. The planted bug weighs a set by the
        // product of its rates instead of its odds p / (1 - p) (the small-rate limit): it is right
        // for the all-tiny case only.
        const int Draws = 200_000;
        const double FalseAlarm = 1e-4;
        var sets = SamplerCases.Sum(c => Enumerated(c.Rates, c.Errors).Count);
        Assert.Equal(848, sets);
        var alpha = FalseAlarm / sets;
        var rejected = new List<string>();
        for (var c = 0; c < SamplerCases.Length; c++)
        {
            var (rates, errors) = SamplerCases[c];
            var sampler = planted ? NodeErrorRates.PerNode(rates.Select(p => p / (1 + p)).ToArray()) : NodeErrorRates.PerNode(rates);
            var counts = new Dictionary<int, long>();
            var positions = new int[errors];
            for (var draw = 0; draw < Draws; draw++)
            {
                sampler.Sample(errors, StreamKey.Source(11, (ulong)c, (ulong)draw), positions);
                var mask = 0;
                for (var i = 0; i < errors; i++)
                {
                    Assert.True(i == 0 || positions[i] > positions[i - 1], "ascending and distinct");
                    mask |= 1 << positions[i];
                }

                counts[mask] = counts.GetValueOrDefault(mask) + 1;
            }

            var law = Enumerated(rates, errors);
            Assert.All(counts.Keys, mask => Assert.True(law.ContainsKey(mask)));
            foreach (var (mask, probability) in law)
            {
                var count = counts.GetValueOrDefault(mask);
                if (!BinomialAcceptance.Holds(count, Draws, probability, alpha))
                {
                    rejected.Add(string.Create(CultureInfo.InvariantCulture, $"case {c} set {mask:b}: {count} of {Draws}, expected {probability * Draws:0.#}"));
                }
            }
        }

        output.WriteLine($"{rejected.Count} of {sets} sets outside their region{(planted ? " (planted)" : string.Empty)}: {string.Join("; ", rejected.Take(5))}");
        Assert.Equal(planted, rejected.Count > 0);
    }

    [Fact]
    public void The_sampler_stays_exact_where_the_tails_of_the_rates_underflow()
    {
        // Fifteen nodes at 1e-21 and one at 1e-20: 15 errors have probability about 1.5e-313
        // (subnormal), and their tail products are no better, while the scaled odds are 0.1 and 1.
        // Given 15 errors one node is spared, each with weight 1 / its odds: the odd node with
        // probability 0.1 / (15 + 0.1).
        var rates = Enumerable.Repeat(1e-21, 15).Append(1e-20).ToArray();
        var sampler = NodeErrorRates.PerNode(rates);
        Assert.InRange(sampler.Weights[15], 1e-314, 1e-312);
        var positions = new int[15];
        const int Draws = 40_000;
        var oddSpared = 0;
        for (var draw = 0; draw < Draws; draw++)
        {
            sampler.Sample(15, StreamKey.Source(3, (ulong)draw), positions);
            oddSpared += positions.Contains(15) ? 0 : 1;
        }

        // Exact two-sided acceptance at level 1e-6 (the test's false alarm).
        Assert.True(BinomialAcceptance.Holds(oddSpared, Draws, 0.1 / 15.1, 1e-6), $"{oddSpared} of {Draws}");
    }

    private static CodeConfiguration Gpd16 => new() { Scheme = SchemeKind.Gpd, NodeCount = 16, RowSplit = 2, ColumnSplit = 2 };

    private static CodeConfiguration Replication16 => new() { Scheme = SchemeKind.Replication, NodeCount = 16, RowSplit = 2, ColumnSplit = 2 };

    /// <summary>An explicit list of 16 rates, 1e-3 to 0.1 and back, at the default rate 0.02.</summary>
    private static readonly double[] Listed = [0.001, 0.1, 0.002, 0.05, 0.003, 0.03, 0.005, 0.02, 0.02, 0.005, 0.03, 0.003, 0.05, 0.002, 0.1, 0.001];

    private static RateCampaignSettings Template(NodeRateSpread spread, double rate, int trials, SweepEstimator estimator = SweepEstimator.Stratified, IReadOnlyDictionary<StepKind, double>? steps = null) => new()
    {
        Code = new CodeConfiguration { Scheme = SchemeKind.Uncoded, NodeCount = 1 },

        // 64-word forward outputs (32 complex words): longer than any failing stratum's error
        // count at P = 16, so the span test sees every erring set at once.
        Shape = new PassShape(64, 4),
        ErrorRates = [rate],
        Trials = trials,
        Seed = 2026,
        Threads = 2,
        Estimator = estimator,
        Environment = new FaultEnvironment { NodeRates = spread, StepRates = steps ?? new Dictionary<StepKind, double>() },
    };

    private static SweepPoint RunOne(CodeConfiguration code, RateCampaignSettings template, ShardSpec? shard = null, int blockTrials = Sweep.DefaultBlockTrials)
    {
        var plan = new SweepPlan([code], []);
        return Sweep.Run(plan, template, Sweep.Blocks(plan, template, shard ?? ShardSpec.Whole, blockTrials)).Single();
    }

    public static TheoryData<string, string, double> OraclePoints => new()
    {
        { "gpd", "outlier:2:50", 0.01 },
        { "gpd", "lognormal:1", 0.05 },
        { "gpd", "list", 0.02 },
        { "replication", "outlier:2:50", 0.01 },
        { "replication", "lognormal:1", 0.01 },
        { "replication", "list", 0.02 },
    };

    private static NodeRateSpread Spread(string name) => name switch
    {
        "outlier:2:50" => new OutlierNodeRates(2, 50),
        "lognormal:1" => new LogNormalNodeRates(1),
        _ => new ListedNodeRates(Listed),
    };

    [Theory]
    [MemberData(nameof(OraclePoints))]
    public void Stratified_intervals_cover_the_Poisson_binomial_oracle_at_sixteen_nodes(string scheme, string spread, double rate)
    {
        // At level 1 - 1e-6 the interval misses the oracle with probability at most 1e-6 (six
        // points: 6e-6 for the theory). GPD's strata are all-or-nothing (6 errors or fewer never
        // fail, 11 or more always do), so its estimate is the oracle's tail to the weights'
        // rounding: within 1% (the issue asks 10%). The planted bug (the weights of equal rates at
        // the base rate, the estimator as it was before unequal rates) misses GPD's oracle.
        var code = scheme == "gpd" ? Gpd16 : Replication16;
        var template = Template(Spread(spread), rate, 20_000);
        var point = RunOne(code, template);
        var oracle = point.Row.AnalyticFailureRate!.Value;
        var stratified = point.Stratified!;
        var strict = StratifiedCampaign.Estimate(stratified.Strata, stratified.Counts, alpha: 1e-6).Failure;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{scheme} {spread} eps {rate}: oracle {oracle:E4}, estimate {stratified.Failure.Rate:E4} [{stratified.Failure.Low:E4}, {stratified.Failure.High:E4}], at 1 - 1e-6 [{strict.Low:E4}, {strict.High:E4}]"));
        Assert.InRange(oracle, strict.Low, strict.High);
        Assert.InRange(oracle, stratified.Failure.Low, stratified.Failure.High);
        Assert.Equal(0, stratified.Silent.Rate);
        if (scheme == "gpd")
        {
            Assert.True(Math.Abs(stratified.Failure.Rate - oracle) <= 0.01 * oracle, $"{stratified.Failure.Rate} vs {oracle}");
            var equal = ErrorCountDistribution.Binomial(16, rate);
            var planted = StratifiedCampaign.Estimate(stratified.Strata.Select(s => s with { Weight = equal[s.Errors] }).ToList(), stratified.Counts, alpha: 1e-6).Failure;
            Assert.False(planted.Low <= oracle && oracle <= planted.High, $"planted equal-rate weights: [{planted.Low}, {planted.High}] vs {oracle}");
        }
    }

    [Fact]
    public void Step_rates_combine_into_one_strike_probability_per_node_as_in_a_plain_trial()
    {
        // Product at 0.03 and encode at 0.01 on a log-normal spread: node p errs with
        // 1 - (1 - product_p)(1 - encode_p). The oracle uses those rates; the stratified interval
        // at 1 - 1e-6 must hold it, and the plain count must lie in the exact region (1e-6) of
        // some rate of that interval: false alarm at most 2e-6.
        var steps = new Dictionary<StepKind, double> { [StepKind.Product] = 0.03, [StepKind.Encode] = 0.01 };
        var code = new CodeConfiguration { Scheme = SchemeKind.Replication, NodeCount = 12, RowSplit = 2, ColumnSplit = 2 };
        var template = Template(new LogNormalNodeRates(1), 0.02, 40_000, steps: steps);
        var point = RunOne(code, template);
        var oracle = point.Row.AnalyticFailureRate!.Value;
        var strict = StratifiedCampaign.Estimate(point.Stratified!.Strata, point.Stratified.Counts, alpha: 1e-6).Failure;
        Assert.InRange(oracle, strict.Low, strict.High);
        var plain = RunOne(code, template with { Estimator = SweepEstimator.Plain }).Row.Counts;
        var failures = plain.Detected + plain.Miscorrected;
        var region = BinomialInterval.ClopperPearson(failures, plain.Trials, 1e-6);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"oracle {oracle:E4}; stratified [{strict.Low:E4}, {strict.High:E4}]; plain {failures} of {plain.Trials}"));
        Assert.True(region.Low <= strict.High && strict.Low <= region.High, $"plain {failures}/{plain.Trials} vs stratified [{strict.Low}, {strict.High}]");
    }

    [Fact]
    public void Stratified_and_plain_Monte_Carlo_agree_with_unequal_rates_where_no_oracle_applies()
    {
        // Bit flips at P = 8 on a log-normal spread: no oracle and no theory, every stratum
        // sampled. The stratified interval at 1 - 1e-6 holds the true rate with probability at
        // least 1 - 1e-6; the plain count then lies in the exact region (level 1e-6) of some rate
        // in it. False alarm at most 2e-6. Planted: the same counts weighted as if every node ran
        // at the base rate, which the plain count refutes.
        var code = new CodeConfiguration { Scheme = SchemeKind.Gpd, NodeCount = 8, RowSplit = 2, ColumnSplit = 2 };
        var template = Template(new LogNormalNodeRates(1), 0.2, 20_000) with { Shape = new PassShape(16, 4), Model = new ErrorValueModel { Kind = ErrorModelKind.BitFlip } };
        var point = RunOne(code, template);
        Assert.Null(point.Row.AnalyticFailureRate);
        var stratified = point.Stratified!;
        var interval = StratifiedCampaign.Estimate(stratified.Strata, stratified.Counts, alpha: 1e-6).Failure;
        var plain = RunOne(code, template with { Estimator = SweepEstimator.Plain, Trials = 100_000 }).Row.Counts;
        var failures = plain.Detected + plain.Miscorrected;
        var region = BinomialInterval.ClopperPearson(failures, plain.Trials, 1e-6);
        bool Overlap(StratifiedEstimate e) => region.Low <= e.High && e.Low <= region.High;
        var equal = ErrorCountDistribution.Binomial(8, 0.2);
        var planted = StratifiedCampaign.Estimate(stratified.Strata.Select(s => s with { Weight = equal[s.Errors] }).ToList(), stratified.Counts, alpha: 1e-6).Failure;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"plain {failures} of {plain.Trials} [{region.Low:E4}, {region.High:E4}]; stratified [{interval.Low:E4}, {interval.High:E4}]; planted [{planted.Low:E4}, {planted.High:E4}]"));
        Assert.True(Overlap(interval), $"plain {failures}/{plain.Trials} vs stratified [{interval.Low}, {interval.High}]");
        Assert.False(Overlap(planted), "the comparison has power: equal-rate weights are refuted");
    }

    [Theory]
    [InlineData(3, 1000)]
    [InlineData(2, 700)]
    public void Shards_and_resumed_runs_with_unequal_rates_count_every_stratum_exactly_as_the_whole_run(int shards, int blockTrials)
    {
        var code = new CodeConfiguration { Scheme = SchemeKind.Replication, NodeCount = 12, RowSplit = 2, ColumnSplit = 2 };
        var template = Template(new LogNormalNodeRates(1), 0.1, 3001) with { Shape = new PassShape(16, 4) };
        var whole = RunOne(code, template, null, blockTrials).Stratified!;
        var summed = new OutcomeCounts[whole.Counts.Count];
        for (var index = 0; index < shards; index++)
        {
            var part = RunOne(code, template with { Threads = 1 + (index % 2) }, new ShardSpec(index, shards), blockTrials).Stratified!;
            Assert.Equal(whole.Strata, part.Strata);
            for (var e = 0; e < summed.Length; e++)
            {
                summed[e] += part.Counts[e];
            }
        }

        Assert.Equal(whole.Counts, summed);
        Assert.Equal(whole.Failure, StratifiedCampaign.Estimate(whole.Strata, summed).Failure);

        var plan = new SweepPlan([code], []);
        var blocks = Sweep.Blocks(plan, template, ShardSpec.Whole, blockTrials);
        var finished = new Dictionary<SweepBlock, SweepBlockResult>();
        Sweep.Run(plan, template, blocks.Where((_, i) => i % 2 == 1).ToList(), null, r => finished.Add(r.Block, r));
        var resumed = Sweep.Run(plan, template, blocks, finished).Single().Stratified!;
        Assert.Equal(whole.Counts, resumed.Counts);
        Assert.Equal(whole.Failure, resumed.Failure);
    }

    [Fact]
    public void Bursts_are_refused_with_one_line_that_names_plain_sampling()
    {
        var template = Template(new LogNormalNodeRates(1), 0.01, 100) with { Code = Replication16, Environment = new FaultEnvironment { BurstRate = 0.01, BurstSize = 4 } };
        var error = Assert.Throws<ArgumentException>(() => RateCampaign.Validate(template));
        Assert.DoesNotContain('\n', error.Message);
        Assert.Contains("independent node errors", error.Message, StringComparison.Ordinal);
        Assert.Contains("‹estimator› plain", error.Message, StringComparison.Ordinal);
        RateCampaign.Validate(template with { Estimator = SweepEstimator.Plain });
        RateCampaign.Validate(template with { Environment = new FaultEnvironment { NodeRates = new LogNormalNodeRates(1), StepRates = new Dictionary<StepKind, double> { [StepKind.Encode] = 0.01 } } });
    }
}
