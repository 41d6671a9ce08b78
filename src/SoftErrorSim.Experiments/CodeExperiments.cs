using System.Globalization;
using SoftErrorSim.Core.Coding;
using SoftErrorSim.Core.Faults;
using SoftErrorSim.Core.MonteCarlo;
using SoftErrorSim.Core.Statistics;
using SoftErrorSim.Reporting;

namespace SoftErrorSim.Experiments;

/// <summary>Shared configurations of the code experiments.</summary>
internal static class Configurations
{
    /// <summary>GPD on P nodes with an m x n split.</summary>
    public static CodeConfiguration Gpd(int nodes, int m, int n) => new() { Scheme = SchemeKind.Gpd, NodeCount = nodes, RowSplit = m, ColumnSplit = n };

    /// <summary>Replication of the mn blocks on P nodes.</summary>
    public static CodeConfiguration Replication(int nodes, int m, int n) => new() { Scheme = SchemeKind.Replication, NodeCount = nodes, RowSplit = m, ColumnSplit = n };

    /// <summary>
    /// CodeNet's grid on P nodes with an m x n split: the P - mn parity nodes are shared as evenly
    /// as the grid allows between row parity ((Pr - m) n nodes) and column parity (m (Pc - n)).
    /// Null when P - mn cannot be split that way.
    /// </summary>
    public static CodeConfiguration? Mds(int nodes, int m, int n)
    {
        for (var rowParity = (nodes - (m * n)) / 2 / n; rowParity >= 0; rowParity--)
        {
            var rest = nodes - (m * n) - (rowParity * n);
            if (rest >= 0 && rest % m == 0)
            {
                return new CodeConfiguration
                {
                    Scheme = SchemeKind.Mds,
                    RowSplit = m,
                    ColumnSplit = n,
                    RowNodes = m + rowParity,
                    ColumnNodes = n + (rest / m),
                    NodeCount = nodes,
                };
            }
        }

        return null;
    }
}

/// <summary>Figure 3: decode success against the number of injected errors.</summary>
internal sealed class CliffExperiment : Experiment
{
    public override string Id => "decode-cliff";

    public override string Question => "Where does GPD decoding stop succeeding as more nodes err, under continuous random and under adversarial errors (P = 12, m = n = 2, forward)?";

    public override string Theory => "Probability-one decoding succeeds up to P - K - 1 = 6 errors and detects from P - K = 7 on; bounded-distance decoding corrects floor((P - K)/2) = 3 adversarial errors.";

    public override ExperimentOutput Run(ExperimentContext context)
    {
        var trials = context.Quick ? 40 : 1000;
        var rows = new List<IReadOnlyList<string>>();
        var series = new List<FigureSeries>();
        var results = new Dictionary<ErrorModelKind, IReadOnlyList<DecodeCampaignRow>>();
        foreach (var (model, max, label) in new[] { (ErrorModelKind.Gaussian, 12, "continuous random errors, probability-one decoder"), (ErrorModelKind.Adversarial, 8, "adversarial errors, bounded-distance decoder") })
        {
            var result = DecodeCampaign.Run(
                new DecodeCampaignSettings
                {
                    Code = Configurations.Gpd(12, 2, 2),
                    Shape = new PassShape(64, 16),
                    Model = new ErrorValueModel { Kind = model },
                    Trials = trials,
                    Seed = context.Seed,
                    Threads = context.Threads,
                    MinErrors = 0,
                    MaxErrors = max,
                },
                null,
                context.CancellationToken);
            results[model] = result.Rows;
            foreach (var row in result.Rows)
            {
                var interval = row.Counts.Wilson;
                rows.Add([ErrorValueModel.Name(model), I(row.Errors), I(row.Counts.Trials), I(row.Counts.Clean), I(row.Counts.Corrected), I(row.Counts.Detected), I(row.Counts.Miscorrected), N(row.Counts.SuccessRate), N(interval.Low), N(interval.High)]);
            }

            series.Add(new FigureSeries(label, result.Rows.Select(r => (double)r.Errors).ToList(), result.Rows.Select(r => r.Counts.SuccessRate).ToList(), model == ErrorModelKind.Adversarial ? FigureStyle.DashedLine : FigureStyle.LineWithMarkers)
            {
                Scheme = "gpd",
                Low = result.Rows.Select(r => r.Counts.Wilson.Low).ToList(),
                High = result.Rows.Select(r => r.Counts.Wilson.High).ToList(),
            });
        }

        var gaussian = results[ErrorModelKind.Gaussian];
        var adversarial = results[ErrorModelKind.Adversarial];
        var checks = new List<ExperimentCheck>
        {
            Check("continuous random: every decode with at most 6 errors succeeds", gaussian.Where(r => r.Errors <= 6).All(r => r.Counts.Successes == r.Counts.Trials), "P - K - 1 = 6"),
            Check("continuous random: from 7 errors every decode is detected, none miscorrected", gaussian.Where(r => r.Errors >= 7).All(r => r.Counts.Detected == r.Counts.Trials), "P - K = 7"),
            Check("adversarial: every decode with at most 3 errors succeeds", adversarial.Where(r => r.Errors <= 3).All(r => r.Counts.Successes == r.Counts.Trials), "floor((P - K)/2) = 3"),
            Check("adversarial: beyond 3 errors the attacker defeats decoding", adversarial.Where(r => r.Errors >= 4).All(r => r.Counts.Successes < r.Counts.Trials), "success below 1 at 4 to 8 errors"),
        };
        var png = FigurePlot.Render(
            new FigureLayout("Decode success against injected errors: GPD, P = 12, m = n = 2, forward (K = 5)", "erring nodes in one decode", "decode success rate (95% Wilson intervals)")
            {
                Markers = [(3, "floor((P-K)/2) = 3"), (6, "P-K-1 = 6")],
                YFromZero = true,
                YTicksUpTo = 1,
                XTicks = Enumerable.Range(0, 13).Select(e => (double)e).ToList(),
            },
            series);
        return new ExperimentOutput(
            CsvTable.Write(["error_model", "errors", "trials", "clean", "corrected", "detected", "miscorrected", "success_rate", "ci_low", "ci_high"], rows),
            new Dictionary<string, byte[]> { ["figure.png"] = png },
            new { nodes = 12, m = 2, n = 2, trials, block_rows = 64, block_cols = 16 },
            checks);
    }
}

/// <summary>
/// Figure 4: decode success against the per-node error rate, Monte Carlo on the analytic curves;
/// at the small rates, where plain sampling sees few failures or none, the stratified estimator
/// beside it reaches the coded schemes' failure rates (GPD's down to 1e-18).
/// </summary>
internal sealed class RateExperiment : Experiment
{
    /// <summary>The rates at or below which the coded schemes are also estimated by the stratified estimator.</summary>
    private const double SmallRate = 0.02;

    public override string Id => "rate-curves";

    public override string Question => "How often does each strategy decode correctly when every node errs independently with probability eps (P = 12 nodes, storage 1/4)?";

    public override string Theory => "The analytic oracle: binomial tails of the per-node error count (GPD: sum_{k <= P-K-1} C(P,k) eps^k (1-eps)^(P-k); CodeNet: per grid line; replication: per block; uncoded: (1-eps)^mn).";

    public override ExperimentOutput Run(ExperimentContext context)
    {
        var template = new RateCampaignSettings
        {
            Code = new CodeConfiguration { Scheme = SchemeKind.Uncoded, NodeCount = 1 },
            Shape = new PassShape(16, 16),
            ErrorRates = context.Quick ? [0.01, 0.1] : [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.3],
            Trials = context.Quick ? 200 : 20_000,
            Seed = context.Seed,
            Threads = context.Threads,
        };
        var plan = new SweepPlan([Configurations.Gpd(12, 2, 2), Configurations.Mds(12, 2, 2)!, Configurations.Replication(12, 2, 2), new CodeConfiguration { Scheme = SchemeKind.Uncoded, NodeCount = 4, RowSplit = 2, ColumnSplit = 2 }], []);
        var points = Sweep.Run(plan, template, Sweep.Blocks(plan, template, ShardSpec.Whole), cancellationToken: context.CancellationToken);
        var rows = SweepCsv.Rows(points, template);

        // The coded schemes again at the small rates, stratified: the same trials per point, exact
        // binomial weights of the number of erring nodes, exact-count trials in the strata.
        var stratifiedTemplate = template with { ErrorRates = template.ErrorRates.Where(r => r <= SmallRate).ToList(), Estimator = SweepEstimator.Stratified };
        var stratifiedPlan = new SweepPlan(plan.Configurations.Where(c => c.Scheme != SchemeKind.Uncoded).ToList(), []);
        var stratifiedPoints = Sweep.Run(stratifiedPlan, stratifiedTemplate, Sweep.Blocks(stratifiedPlan, stratifiedTemplate, ShardSpec.Whole), cancellationToken: context.CancellationToken);
        var stratifiedRows = SweepCsv.Rows(stratifiedPoints, stratifiedTemplate);

        // The exact two-sided binomial acceptance region of the oracle at every plain point; the
        // budget is shared evenly (Bonferroni), so any seed passes with probability at least
        // 1 - FalseAlarm.RateCurves when the oracle is right.
        var tested = rows.Where(r => r.AnalyticSuccessRate is not null).ToList();
        var alpha = FalseAlarm.RateCurves / tested.Count;
        var outside = tested.Where(r => !BinomialAcceptance.Holds(r.Clean + r.Corrected, r.Trials, r.AnalyticSuccessRate!.Value, alpha)).ToList();

        // Every stratified point's interval at level 1 - alphaStratified must hold the oracle. The
        // interval (Bonferroni-combined Clopper-Pearson bounds per stratum) misses the true rate with
        // probability at most its alpha for any counts, given the code's theory for the strata it
        // guarantees (a failure there is counted and bounded like any other), so any seed passes with
        // probability at least 1 - FalseAlarm.RateCurvesStratified.
        var alphaStratified = FalseAlarm.RateCurvesStratified / stratifiedPoints.Count;
        var missed = new List<string>();
        for (var i = 0; i < stratifiedPoints.Count; i++)
        {
            var point = stratifiedPoints[i].Stratified!;
            var oracle = stratifiedPoints[i].Row.AnalyticFailureRate ?? double.NaN;
            var interval = StratifiedCampaign.Estimate(point.Strata, point.Counts, alphaStratified).Failure;
            if (!(interval.Low <= oracle && oracle <= interval.High))
            {
                missed.Add(string.Create(CultureInfo.InvariantCulture, $"{stratifiedRows[i].SeriesLabel} eps {stratifiedRows[i].ErrorRate}: [{interval.Low:E3}, {interval.High:E3}] vs {oracle:E3}"));
            }
        }

        var smallest = stratifiedRows.Where(r => r.FailureRate > 0).Select(r => r.FailureRate).DefaultIfEmpty(double.NaN).Min();
        var checks = new List<ExperimentCheck>
        {
            Check(
                $"every Monte Carlo success count lies in the exact binomial acceptance region of the analytic oracle ({tested.Count} tests at {FalseAlarm.Text(alpha)} each)",
                outside.Count == 0,
                outside.Count == 0 ? $"{tested.Count} points" : string.Join("; ", outside.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.SeriesLabel} eps {r.ErrorRate}: {r.Clean + r.Corrected}/{r.Trials} vs {r.AnalyticSuccessRate:0.######}")))),
            Check(
                $"every stratified interval at eps <= {N(SmallRate)} holds the analytic failure rate ({stratifiedPoints.Count} intervals at level 1 - {FalseAlarm.Text(alphaStratified)} each)",
                missed.Count == 0,
                missed.Count == 0 ? string.Create(CultureInfo.InvariantCulture, $"{stratifiedPoints.Count} points, smallest estimate {smallest:E2}") : string.Join("; ", missed)),
            Check("no decode of a coded scheme is miscorrected (continuous random errors; exact)", rows.Concat(stratifiedRows).All(r => r.Miscorrected == 0 || r.Scheme == "uncoded"), "GPD, CodeNet, replication"),
        };
        var all = rows.Concat(stratifiedRows).ToList();
        return new ExperimentOutput(
            SweepCsv.Write(all),
            new Dictionary<string, byte[]> { ["figure.png"] = SweepPlot.Render(all) },
            new { error_rates = template.ErrorRates, trials = template.Trials, shape = template.Shape, stratified_error_rates = stratifiedTemplate.ErrorRates, false_alarm = FalseAlarm.RateCurves, false_alarm_stratified = FalseAlarm.RateCurvesStratified },
            checks);
    }
}
