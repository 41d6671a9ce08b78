using System.Globalization;
using SoftErrorSim.Core.Coding;
using SoftErrorSim.Core.Faults;
using SoftErrorSim.Core.MonteCarlo;
using SoftErrorSim.Core.Schemes;
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

/// <summary>Figure 1: error tolerance against P under both error models.</summary>
internal sealed class ToleranceExperiment : Experiment
{
    public override string Id => "tolerance-vs-p";

    public override string Question => "How many erring nodes can each strategy tolerate as P grows, at the same storage per node (1/mn, m = n = 2)?";

    public override string Theory => "GPD: P - K - 1 erring nodes with continuous random errors (probability one) and floor((P - K)/2) adversarial ones, K_fwd = mn + n - 1, K_bwd = 2mn - n; CodeNet: the same per grid line of its (Pr, m) and (Pc, n) codes; replication: r - 2 and floor((r - 1)/2) with r = floor(P/mn).";

    public override ExperimentOutput Run(ExperimentContext context)
    {
        var nodes = context.Quick ? [8, 12, 16] : Enumerable.Range(4, 17).Select(k => 2 * k).ToArray();
        var rows = new List<IReadOnlyList<string>>();
        var series = new Dictionary<string, (List<double> X, List<double> Prob, List<double> Adv)>();
        var formulas = true;
        var order = true;
        var shape = new PassShape(16, 16);
        foreach (var p in nodes)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            var reports = new List<(string Label, PassReport Pass)>();
            var gpd = CodeReport.For(Configurations.Gpd(p, 2, 2), shape);
            reports.Add(("GPD forward", gpd.Forward));
            reports.Add(("GPD backward", gpd.Backward));
            formulas &= gpd.Forward.ToleranceProbabilistic == p - 5 - 1 && gpd.Forward.ToleranceAdversarial == (p - 5) / 2
                && gpd.Backward.ToleranceProbabilistic == p - 6 - 1 && gpd.Backward.ToleranceAdversarial == (p - 6) / 2;
            if (Configurations.Mds(p, 2, 2) is { } mds)
            {
                reports.Add(("CodeNet MDS forward", CodeReport.For(mds, shape).Forward));
            }

            var replication = CodeReport.For(Configurations.Replication(p, 2, 2), shape).Forward;
            reports.Add(("replication", replication));
            order &= reports.All(r => gpd.Forward.ToleranceProbabilistic >= r.Pass.ToleranceProbabilistic && gpd.Forward.ToleranceAdversarial >= r.Pass.ToleranceAdversarial);
            foreach (var (label, pass) in reports)
            {
                if (!series.TryGetValue(label, out var s))
                {
                    series[label] = s = ([], [], []);
                }

                s.X.Add(p);
                s.Prob.Add(pass.ToleranceProbabilistic);
                s.Adv.Add(pass.ToleranceAdversarial);
                rows.Add([label, I(p), I(pass.Threshold), I(pass.ToleranceProbabilistic), I(pass.ToleranceAdversarial)]);
            }
        }

        // Monte Carlo at P = 12 (forward, K = 5): exactly t erring nodes decode, t + 1 do not.
        var trials = context.Quick ? 30 : 300;
        var probe = Campaign(context, ErrorModelKind.Gaussian, 6, 7, trials);
        var adversarial = Campaign(context, ErrorModelKind.Adversarial, 3, 3, trials);
        var checks = new List<ExperimentCheck>
        {
            Check("GPD tolerances follow the formulas at every P", formulas, "P - K - 1 and floor((P - K)/2) for K_fwd = 5, K_bwd = 6"),
            Check("GPD forward tolerates at least as many erring nodes as every other strategy at every P", order, "both models"),
            Check("P = 12: 6 continuous random errors always decode (Monte Carlo)", probe[0].Counts.Successes == trials, $"{probe[0].Counts.Successes}/{trials}"),
            Check("P = 12: 7 continuous random errors never decode and are never miscorrected", probe[1].Counts.Successes == 0 && probe[1].Counts.Miscorrected == 0, $"{probe[1].Counts.Detected}/{trials} detected"),
            Check("P = 12: 3 adversarial errors always decode (bounded distance)", adversarial[0].Counts.Successes == trials, $"{adversarial[0].Counts.Successes}/{trials}"),
        };

        var figureSeries = new List<FigureSeries>();
        foreach (var (label, s) in series)
        {
            // Each strategy in its scheme's colour; GPD's backward pass in a darker shade of GPD's.
            var (scheme, shade) = label switch
            {
                "GPD forward" => ("gpd", 0),
                "GPD backward" => ("gpd", 1),
                "replication" => ("replication", 0),
                _ => ("mds", 0),
            };
            figureSeries.Add(new FigureSeries($"{label}, continuous random errors", s.X, s.Prob) { Scheme = scheme, Shade = shade });
            figureSeries.Add(new FigureSeries($"{label}, adversarial errors", s.X, s.Adv, FigureStyle.DashedLine) { Scheme = scheme, Shade = shade });
        }

        var png = FigurePlot.Render(
            new FigureLayout("Error tolerance against P at storage 1/mn per node (m = n = 2)", "nodes P", "erring nodes tolerated (worst case over positions)") { YFromZero = true, IntegerY = true, XTicks = nodes.Select(p => (double)p).ToList() },
            figureSeries);
        return new ExperimentOutput(
            CsvTable.Write(["strategy", "nodes", "threshold", "tolerance_probabilistic", "tolerance_adversarial"], rows),
            new Dictionary<string, byte[]> { ["figure.png"] = png },
            new { nodes, m = 2, n = 2, monte_carlo_trials = trials },
            checks);
    }

    private static IReadOnlyList<DecodeCampaignRow> Campaign(ExperimentContext context, ErrorModelKind model, int from, int to, int trials) =>
        DecodeCampaign.Run(
            new DecodeCampaignSettings
            {
                Code = Configurations.Gpd(12, 2, 2),
                Shape = new PassShape(16, 16),
                Model = new ErrorValueModel { Kind = model },
                Trials = trials,
                Seed = context.Seed,
                Threads = context.Threads,
                MinErrors = from,
                MaxErrors = to,
            },
            null,
            context.CancellationToken).Rows;
}

/// <summary>Figure 2: the gain ratios of GPD over replication and over CodeNet as P grows.</summary>
internal sealed class GainExperiment : Experiment
{
    public override string Id => "gain-ratios";

    public override string Question => "At a fixed redundancy of two (P = 2mn, m = n), how many times more erring nodes does GPD survive than replication and CodeNet's MDS strategy?";

    public override string Theory => "Gain = (t_GPD + 1)/(t_other + 1), the ratio of the smallest numbers of errors that defeat each. With P = 2mn, m = n = s: GPD survives P - s^2 - s = P/2 - s (probabilistic), replication has r = 2 copies and survives none, CodeNet's line codes have Pr - m ~ s/2 parity rows: the gain over replication grows like P/2 and over CodeNet like sqrt(2P), without bound.";

    public override ExperimentOutput Run(ExperimentContext context)
    {
        int[] sizes = context.Quick ? [2, 3, 4] : [2, 3, 4, 5, 6, 7, 8];
        var rows = new List<IReadOnlyList<string>>();
        var xs = new List<double>();
        var gains = new Dictionary<string, List<double>>
        {
            ["GPD / replication, continuous random errors"] = [],
            ["GPD / replication, adversarial errors"] = [],
            ["GPD / CodeNet MDS, continuous random errors"] = [],
            ["GPD / CodeNet MDS, adversarial errors"] = [],
        };
        var consistent = true;
        foreach (var s in sizes)
        {
            var p = 2 * s * s;
            var k = (s * s) + s - 1;
            var (gpdProb, gpdAdv) = (p - k - 1, (p - k) / 2);
            var r = p / (s * s);
            var (repProb, repAdv) = (Math.Max(r - 2, 0), (r - 1) / 2);
            var mds = Configurations.Mds(p, s, s)!;
            var lines = mds.RowNodes!.Value - s;
            var (mdsProb, mdsAdv) = (Math.Max(lines - 1, 0), lines / 2);
            if (s <= 4)
            {
                // The formulas against the codes themselves where their systems are within float64.
                var report = CodeReport.For(Configurations.Gpd(p, s, s), new PassShape(s, s));
                var mdsReport = CodeReport.For(mds, new PassShape(s, s));
                consistent &= report.Forward.ToleranceProbabilistic == gpdProb && report.Forward.ToleranceAdversarial == gpdAdv
                    && mdsReport.Forward.ToleranceProbabilistic == mdsProb && mdsReport.Forward.ToleranceAdversarial == mdsAdv;
            }

            xs.Add(p);
            double Gain(int a, int b) => (a + 1.0) / (b + 1.0);
            gains["GPD / replication, continuous random errors"].Add(Gain(gpdProb, repProb));
            gains["GPD / replication, adversarial errors"].Add(Gain(gpdAdv, repAdv));
            gains["GPD / CodeNet MDS, continuous random errors"].Add(Gain(gpdProb, mdsProb));
            gains["GPD / CodeNet MDS, adversarial errors"].Add(Gain(gpdAdv, mdsAdv));
            rows.Add([I(p), I(s), I(s), I(gpdProb), I(gpdAdv), I(repProb), I(repAdv), I(mdsProb), I(mdsAdv), I(mds.RowNodes!.Value), I(mds.ColumnNodes!.Value)]);
        }

        // Floors make single steps uneven (CodeNet's parity rows grow by one every other s), so the
        // check is on the trend: the gain at the largest P against the smallest.
        var factor = context.Quick ? 1.5 : 3;
        var increasing = gains.Values.All(g => g[^1] >= factor * g[0]);
        var checks = new List<ExperimentCheck>
        {
            Check("the tolerances used equal those of the codes (CodeReport) where those are within float64", consistent, "P = 8, 18, 32"),
            Check($"every gain ratio at the largest P is at least {factor}x its value at P = 8", increasing, string.Join("; ", gains.Select(g => $"{g.Key}: {g.Value[0]:0.##} -> {g.Value[^1]:0.##}"))),
        };
        var png = FigurePlot.Render(
            new FigureLayout("Tolerance gain of GPD at redundancy P/(mn) = 2, m = n", "nodes P = 2 mn", "gain: errors that defeat GPD / errors that defeat the other strategy") { YFromZero = true, XTicks = xs },
            gains.Select((g, i) => new FigureSeries(g.Key, xs, g.Value, i % 2 == 0 ? FigureStyle.LineWithMarkers : FigureStyle.DashedLine) { Scheme = i < 2 ? "replication" : "mds" }).ToList());
        return new ExperimentOutput(
            CsvTable.Write(["nodes", "m", "n", "gpd_tolerance_probabilistic", "gpd_tolerance_adversarial", "replication_tolerance_probabilistic", "replication_tolerance_adversarial", "mds_tolerance_probabilistic", "mds_tolerance_adversarial", "mds_row_nodes", "mds_col_nodes"], rows),
            new Dictionary<string, byte[]> { ["figure.png"] = png },
            new { splits = sizes },
            checks);
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

/// <summary>Figure 4: decode success against the per-node error rate, Monte Carlo on the analytic curves.</summary>
internal sealed class RateExperiment : Experiment
{
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
        var within = rows.Where(r => r.AnalyticSuccessRate is { } p && Math.Abs(r.SuccessRate - p) > (5 * Math.Sqrt(p * (1 - p) / r.Trials)) + 1e-12).ToList();
        var checks = new List<ExperimentCheck>
        {
            Check("every Monte Carlo rate lies within 5 standard errors of the analytic oracle", within.Count == 0, within.Count == 0 ? $"{rows.Count} points" : string.Join("; ", within.Select(r => $"{r.SeriesLabel} eps {r.ErrorRate}"))),
            Check("no decode is miscorrected (continuous random errors)", rows.All(r => r.Miscorrected == 0 || r.Scheme == "uncoded"), "coded schemes"),
        };
        return new ExperimentOutput(
            SweepCsv.Write(rows),
            new Dictionary<string, byte[]> { ["figure.png"] = SweepPlot.Render(rows) },
            new { error_rates = template.ErrorRates, trials = template.Trials, shape = template.Shape },
            checks);
    }
}

/// <summary>Figure 5: the trade-off across splits (m, n) of a fixed mn.</summary>
internal sealed class SplitExperiment : Experiment
{
    public override string Id => "split-tradeoff";

    public override string Question => "For a fixed storage 1/mn (mn = 12, P = 36, a 1200 x 1200 layer), how does the split (m, n) move the recovery burden and the communication between the forward and backward passes?";

    public override string Theory => "K_fwd = mn + n - 1 and K_bwd = 2mn - n, so K_fwd + K_bwd = 3mn - 1 for every split; a node sends its N/m forward and N/n backward output words to the P - 1 others.";

    public override ExperimentOutput Run(ExperimentContext context)
    {
        const int Product = 12;
        const int Nodes = 36;
        const int Width = 1200;
        var splits = Enumerable.Range(1, Product).Where(m => Product % m == 0).Select(m => (M: m, N: Product / m)).ToList();
        var rows = new List<IReadOnlyList<string>>();
        var sums = true;
        var formulas = true;
        foreach (var (m, n) in splits)
        {
            var report = CodeReport.For(Configurations.Gpd(Nodes, m, n), new PassShape(Width / m, Width / n));
            sums &= report.Forward.Threshold + report.Backward.Threshold == (3 * Product) - 1;
            formulas &= report.Forward.Threshold == Product + n - 1 && report.Backward.Threshold == (2 * Product) - n;
            rows.Add([I(m), I(n), I(report.Forward.Threshold), I(report.Backward.Threshold), I(report.Forward.WordsSentPerNode), I(report.Backward.WordsSentPerNode), N(report.Forward.ConditionNumber ?? double.NaN), N(report.Backward.ConditionNumber ?? double.NaN)]);
        }

        var xs = splits.Select(s => (double)s.N).ToList();
        var thresholds = FigurePlot.Render(
            new FigureLayout("Recovery thresholds across splits of mn = 12 (GPD, P = 36)", "column split n (m = 12 / n)", "recovery threshold K (nodes)") { YFromZero = true, IntegerY = true, XTicks = xs },
            [
                new FigureSeries("K_fwd = mn + n - 1", xs, rows.Select(r => double.Parse(r[2], CultureInfo.InvariantCulture)).ToList()) { Color = 0 },
                new FigureSeries("K_bwd = 2mn - n", xs, rows.Select(r => double.Parse(r[3], CultureInfo.InvariantCulture)).ToList()) { Color = 1 },
                new FigureSeries("K_fwd + K_bwd = 3mn - 1", xs, rows.Select(r => double.Parse(r[2], CultureInfo.InvariantCulture) + double.Parse(r[3], CultureInfo.InvariantCulture)).ToList(), FigureStyle.DashedLine) { Color = 2 },
            ]);
        var communication = FigurePlot.Render(
            new FigureLayout("Words each node sends per pass across splits of mn = 12 (1200 x 1200 layer, P = 36)", "column split n (m = 12 / n)", "words sent per node (all-gather to P - 1 nodes)") { YFromZero = true, XTicks = xs },
            [
                new FigureSeries("forward: (P - 1) N/m", xs, rows.Select(r => double.Parse(r[4], CultureInfo.InvariantCulture)).ToList()) { Color = 0 },
                new FigureSeries("backward: (P - 1) N/n", xs, rows.Select(r => double.Parse(r[5], CultureInfo.InvariantCulture)).ToList()) { Color = 1 },
            ]);
        return new ExperimentOutput(
            CsvTable.Write(["m", "n", "k_forward", "k_backward", "words_sent_forward", "words_sent_backward", "condition_forward", "condition_backward"], rows),
            new Dictionary<string, byte[]> { ["figure.png"] = thresholds, ["figure-communication.png"] = communication },
            new { mn = Product, nodes = Nodes, width = Width },
            [
                Check("K_fwd + K_bwd = 3mn - 1 for every split", sums, "mn = 12"),
                Check("the codes' thresholds equal the formulas", formulas, "K_fwd = mn + n - 1, K_bwd = 2mn - n"),
            ]);
    }
}
