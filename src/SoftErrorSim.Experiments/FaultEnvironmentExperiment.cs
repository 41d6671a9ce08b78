using System.Globalization;
using SoftErrorSim.Core.Coding;
using SoftErrorSim.Core.Faults;
using SoftErrorSim.Core.MonteCarlo;
using SoftErrorSim.Core.Statistics;
using SoftErrorSim.Reporting;

namespace SoftErrorSim.Experiments;

/// <summary>
/// Issue 12's figure: the same mean per-node error rate spread evenly, concentrated on one outlier
/// node, and half of it in rack bursts, for GPD, CodeNet and replication at the same storage; every
/// point a rate campaign beside its exact oracle (Poisson-binomial over the nodes, total
/// probability over the burst). The even and outlier environments, whose node errors are
/// independent, are also estimated by the stratified estimator (Poisson-binomial weights, the
/// erring set drawn from its exact law given its size), which reaches GPD's failure rates of 1e-21
/// to 1e-10 where plain sampling sees nothing; bursts have no such structure and stay plain.
/// </summary>
internal sealed class FaultEnvironmentExperiment : Experiment
{
    /// <summary>P.</summary>
    private const int Nodes = 16;

    /// <summary>F: the outlier node errs at F times the rate of the others.</summary>
    private const double OutlierFactor = 16;

    /// <summary>G: a burst strikes one of the P / G racks of G adjacent nodes.</summary>
    private const int BurstSize = 4;

    /// <summary>The family-wise false-alarm level of the oracle check (Bonferroni over the points; its share of reproduce --all's 0.01).</summary>
    private const double FalseAlarm = Experiments.FalseAlarm.FaultEnvironment;

    /// <summary>The family-wise false-alarm level of the stratified intervals' check (Bonferroni over the stratified points).</summary>
    private const double FalseAlarmStratified = Experiments.FalseAlarm.FaultEnvironmentStratified;

    private static readonly string[] Environments = ["even", "outlier", "burst"];

    /// <summary>The environments of independent node errors, estimated by the stratified estimator too.</summary>
    private static readonly string[] Independent = ["even", "outlier"];

    public override string Id => "fault-environment";

    public override string Question => "At the same mean per-node error rate, which strategies are hurt when the faults are concentrated on one node or come in rack bursts rather than spread evenly (P = 16, storage 1/4)?";

    public override string Theory => "Exact oracles: the number of wrong symbols of each decode unit is Poisson-binomial over the nodes' unequal rates (dynamic programme); with bursts, total probability over which rack (if any) errs, each case Poisson-binomial.";

    /// <summary>
    /// The environment at mean per-node rate <paramref name="mean"/>: its base --error-rate and
    /// spread. Outlier: base b with 15 b + F b = 16 mean. Burst: independent faults at mean / 2 and
    /// bursts at B with 1 - (1 - mean / 2)(1 - B / (P / G)) = mean, so every node's marginal rate is
    /// the mean exactly (a node lies in one of P / G racks, struck with probability B / (P / G)).
    /// </summary>
    internal static (double BaseRate, FaultEnvironment Environment) Of(string environment, double mean) => environment switch
    {
        "even" => (mean, new FaultEnvironment()),
        "outlier" => (Nodes * mean / (Nodes - 1 + OutlierFactor), new FaultEnvironment { NodeRates = new OutlierNodeRates(1, OutlierFactor) }),
        "burst" => (mean / 2, new FaultEnvironment { BurstRate = Nodes / BurstSize * (1 - ((1 - mean) / (1 - (mean / 2)))), BurstSize = BurstSize }),
        _ => throw new ArgumentOutOfRangeException(nameof(environment), environment, "even, outlier or burst"),
    };

    /// <summary>
    /// 64 x 4 blocks: 64-word outputs (32 complex words on the unit circle) are longer than any
    /// failing error count at P = 16, so GPD's decoder reaches P - K - 1 = 10 and its oracle is the
    /// code's, not one cut short by the output length (8-word outputs reach 9).
    /// </summary>
    private static readonly PassShape Shape = new(64, 4);

    public override ExperimentOutput Run(ExperimentContext context)
    {
        double[] means = context.Quick ? [0.05] : [0.01, 0.02, 0.05, 0.1];
        var trials = context.Quick ? 300 : 20_000;
        var codes = new[] { Configurations.Gpd(Nodes, 2, 2), Configurations.Mds(Nodes, 2, 2)!, Configurations.Replication(Nodes, 2, 2) };
        var plan = new SweepPlan(codes, []);

        // One point's sweep settings: every point runs on the same blocks, seed and threads.
        RateCampaignSettings Template(double rate, FaultEnvironment faults, int pointTrials, SweepEstimator estimator) => new()
        {
            Code = codes[0],
            Shape = Shape,
            ErrorRates = [rate],
            Trials = pointTrials,
            Seed = context.Seed,
            Threads = context.Threads,
            Environment = faults,
            Estimator = estimator,
        };

        var points = new List<(string Environment, double Mean, double BaseRate, FaultEnvironment Faults, SweepCsvRow Row)>();
        foreach (var environment in Environments)
        {
            foreach (var mean in means)
            {
                var (rate, faults) = Of(environment, mean);
                var template = Template(rate, faults, trials, SweepEstimator.Plain);
                var run = Sweep.Run(plan, template, Sweep.Blocks(plan, template, ShardSpec.Whole), cancellationToken: context.CancellationToken);
                points.AddRange(SweepCsv.Rows(run, template).Select(row => (environment, mean, rate, faults, row)));
            }
        }

        // The independent environments again, stratified, on the same blocks, so that plain and
        // stratified points of a configuration share one oracle.
        var stratifiedTrials = context.Quick ? 300 : 10_000;
        var stratified = new List<(string Environment, double Mean, double BaseRate, FaultEnvironment Faults, SweepCsvRow Row, StratifiedPoint Point)>();
        foreach (var environment in Independent)
        {
            foreach (var mean in means)
            {
                var (rate, faults) = Of(environment, mean);
                var template = Template(rate, faults, stratifiedTrials, SweepEstimator.Stratified);
                var run = Sweep.Run(plan, template, Sweep.Blocks(plan, template, ShardSpec.Whole), cancellationToken: context.CancellationToken);
                var written = SweepCsv.Rows(run, template);
                stratified.AddRange(run.Select((point, i) => (environment, mean, rate, faults, written[i], point.Stratified!)));
            }
        }

        // Every point's failure count against the exact region of its oracle; Bonferroni over the points.
        var alpha = FalseAlarm / points.Count;
        var outside = new List<string>();
        var rows = new List<IReadOnlyList<string>>();
        foreach (var (environment, mean, rate, faults, row) in points)
        {
            var failures = row.Trials - row.Clean - row.Corrected;
            var oracle = row.AnalyticFailureRate ?? double.NaN;
            var holds = double.IsFinite(oracle) && BinomialAcceptance.Holds(failures, row.Trials, oracle, alpha);
            if (!holds)
            {
                outside.Add(string.Create(CultureInfo.InvariantCulture, $"{row.Scheme} {environment} at mean {mean}: {failures} of {row.Trials} against {oracle:g3}"));
            }

            var interval = BinomialInterval.Wilson(failures, row.Trials);
            rows.Add([environment, N(mean), row.Scheme, N(rate), environment == "outlier" ? N(OutlierFactor) : string.Empty, N(faults.BurstRate), faults.BurstRate > 0 ? I(faults.BurstSize) : string.Empty, I(row.Trials), I(failures), I(row.Miscorrected), N((double)failures / row.Trials), N(interval.Low), N(interval.High), N(oracle), holds ? "true" : "false", SweepCsv.Plain]);
        }

        // Every stratified interval at level 1 - alphaStratified must hold the oracle: the interval
        // (Bonferroni-combined Clopper-Pearson bounds per stratum) misses the true rate with
        // probability at most its alpha for any counts, given the code's theory for the strata it
        // guarantees (one failure there and the stratum is bounded like any other).
        var alphaStratified = FalseAlarmStratified / stratified.Count;
        var missed = new List<string>();
        foreach (var (environment, mean, rate, faults, row, point) in stratified)
        {
            var failures = row.Trials - row.Clean - row.Corrected;
            var oracle = row.AnalyticFailureRate ?? double.NaN;
            var strict = StratifiedCampaign.Estimate(point.Strata, point.Counts, alphaStratified).Failure;
            var holds = strict.Low <= oracle && oracle <= strict.High;
            if (!holds)
            {
                missed.Add(string.Create(CultureInfo.InvariantCulture, $"{row.Scheme} {environment} at mean {mean}: [{strict.Low:E3}, {strict.High:E3}] against {oracle:E3}"));
            }

            rows.Add([environment, N(mean), row.Scheme, N(rate), environment == "outlier" ? N(OutlierFactor) : string.Empty, N(faults.BurstRate), string.Empty, I(row.Trials), I(failures), I(row.Miscorrected), N(row.FailureRate), N(row.FailureCiLow), N(row.FailureCiHigh), N(oracle), holds ? "true" : "false", SweepCsv.Stratified]);
        }

        var panels = codes.Select(code => Panel(
            code.Scheme,
            points.Where(p => p.Row.Scheme == Names(code.Scheme)).ToList(),
            stratified.Where(p => p.Row.Scheme == Names(code.Scheme)).Select(p => (p.Environment, p.Mean, p.Row)).ToList(),
            trials)).ToList();
        var smallest = stratified.Where(p => p.Row.FailureRate > 0).Select(p => p.Row.FailureRate).DefaultIfEmpty(double.NaN).Min();
        return new ExperimentOutput(
            CsvTable.Write(["environment", "mean_error_rate", "scheme", "error_rate", "outlier_factor", "burst_rate", "burst_size", "trials", "failures", "miscorrected", "failure_rate", "ci_low", "ci_high", "analytic_failure_rate", "in_region", "estimator"], rows),
            new Dictionary<string, byte[]> { ["figure.png"] = FigurePanels.Render(panels) },
            new { nodes = Nodes, m = 2, n = 2, mean_error_rates = means, trials, outlier = $"outlier:1:{OutlierFactor}", burst_size = BurstSize, burst_share = "half of the mean rate", false_alarm = FalseAlarm, shape = Shape, stratified_environments = Independent, stratified_trials = stratifiedTrials, false_alarm_stratified = FalseAlarmStratified },
            [
                Check(
                    string.Create(CultureInfo.InvariantCulture, $"every point's failure count lies in the exact binomial acceptance region of its oracle (Bonferroni over {points.Count} points, family-wise false alarm {FalseAlarm})"),
                    outside.Count == 0,
                    outside.Count == 0 ? $"{points.Count} points" : string.Join("; ", outside)),
                Check(
                    string.Create(CultureInfo.InvariantCulture, $"every stratified interval (even and outlier environments) holds its oracle ({stratified.Count} intervals at level 1 - {Experiments.FalseAlarm.Text(alphaStratified)} each, family-wise false alarm {FalseAlarmStratified})"),
                    missed.Count == 0,
                    missed.Count == 0 ? string.Create(CultureInfo.InvariantCulture, $"{stratified.Count} points, smallest estimate {smallest:E2}") : string.Join("; ", missed)),
                Check("no decode is miscorrected (continuous random errors)", points.All(p => p.Row.Miscorrected == 0) && stratified.All(p => p.Row.Miscorrected == 0), "GPD, CodeNet and replication"),
            ]);
    }

    private static string Names(SchemeKind scheme) => scheme switch
    {
        SchemeKind.Gpd => "gpd",
        SchemeKind.Mds => "mds",
        SchemeKind.Replication => "replication",
        _ => throw new ArgumentOutOfRangeException(nameof(scheme)),
    };

    /// <summary>
    /// One scheme's panel: per environment the Monte Carlo failure rate (95% Wilson intervals; none
    /// in n trials drawn at its 95% upper bound), the stratified estimate where there is one (the
    /// environment's lighter shade, conservative 95% intervals) and the oracle, dashed.
    /// </summary>
    private static (FigureLayout, IReadOnlyList<FigureSeries>) Panel(SchemeKind scheme, List<(string Environment, double Mean, double BaseRate, FaultEnvironment Faults, SweepCsvRow Row)> points, List<(string Environment, double Mean, SweepCsvRow Row)> stratified, int trials)
    {
        var series = new List<FigureSeries>();
        var title = scheme switch
        {
            SchemeKind.Gpd => "GPD (P = 16, m = n = 2)",
            SchemeKind.Mds => $"CodeNet ({points[0].Row.RowNodes} x {points[0].Row.ColumnNodes} grid on P = 16)",
            _ => "replication (4 copies of 4 blocks, P = 16)",
        };
        for (var e = 0; e < Environments.Length; e++)
        {
            var mine = points.Where(p => p.Environment == Environments[e]).OrderBy(p => p.Mean).ToList();
            var label = Environments[e] switch
            {
                "even" => "spread evenly",
                "outlier" => string.Create(CultureInfo.InvariantCulture, $"one node at {OutlierFactor:0}x the others"),
                _ => $"half in bursts of {BurstSize} adjacent nodes",
            };
            var failed = mine.Where(p => p.Row.Trials - p.Row.Clean - p.Row.Corrected > 0).ToList();
            FigureSeries Measured(List<(string Environment, double Mean, double BaseRate, FaultEnvironment Faults, SweepCsvRow Row)> set) => new(
                $"{label}: Monte Carlo",
                set.Select(p => p.Mean).ToList(),
                set.Select(p => (double)(p.Row.Trials - p.Row.Clean - p.Row.Corrected) / p.Row.Trials).ToList(),
                FigureStyle.Markers)
            {
                Color = e,
                Low = set.Select(p => BinomialInterval.Wilson(p.Row.Trials - p.Row.Clean - p.Row.Corrected, p.Row.Trials).Low).ToList(),
                High = set.Select(p => BinomialInterval.Wilson(p.Row.Trials - p.Row.Clean - p.Row.Corrected, p.Row.Trials).High).ToList(),
            };
            if (failed.Count > 0)
            {
                series.Add(Measured(failed));
            }

            var none = mine.Where(p => p.Row.Trials - p.Row.Clean - p.Row.Corrected == 0).ToList();
            if (none.Count > 0)
            {
                series.Add(new FigureSeries($"{label}: none in {trials} (95% upper bound)", none.Select(p => p.Mean).ToList(), none.Select(p => ZeroFailureBound.Upper(p.Row.Trials)).ToList(), FigureStyle.UpperBound) { Color = e });
            }

            var estimated = stratified.Where(p => p.Environment == Environments[e] && p.Row.FailureRate > 0).OrderBy(p => p.Mean).ToList();
            if (estimated.Count > 0)
            {
                series.Add(new FigureSeries($"{label}: stratified", estimated.Select(p => p.Mean).ToList(), estimated.Select(p => p.Row.FailureRate).ToList(), FigureStyle.Markers)
                {
                    Color = e,
                    Shade = 1,
                    Low = estimated.Select(p => p.Row.FailureCiLow).ToList(),
                    High = estimated.Select(p => p.Row.FailureCiHigh).ToList(),
                });
            }

            series.Add(new FigureSeries($"{label}: oracle", mine.Select(p => p.Mean).ToList(), mine.Select(p => p.Row.AnalyticFailureRate ?? double.NaN).ToList(), FigureStyle.DashedLine) { Color = e });
        }

        return (new FigureLayout($"{title}: decode failures at the same mean rate", "mean per-node error rate", "decode failure rate") { LogX = true, LogY = true, XTicks = points.Select(p => p.Mean).Distinct().Order().ToList() }, series);
    }
}
