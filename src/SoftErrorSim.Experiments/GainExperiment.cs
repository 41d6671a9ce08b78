using System.Globalization;
using SoftErrorSim.Core.Coding;
using SoftErrorSim.Core.Faults;
using SoftErrorSim.Core.MonteCarlo;
using SoftErrorSim.Core.Schemes;
using SoftErrorSim.Reporting;

namespace SoftErrorSim.Experiments;

/// <summary>
/// Figure 2 (SPEC 8.2): the gain ratios of GPD over replication and over CodeNet at equal storage
/// 1/k per node and P = c k nodes, each scheme at its best split for k, tolerance per training
/// iteration (the minimum over the forward and backward passes), every plotted tolerance confirmed
/// by exact-count decodes at t and t + 1.
/// </summary>
internal sealed class GainExperiment : Experiment
{
    /// <summary>
    /// At the tolerance t the unit circle is measured to refuse (never miscorrect) up to 4.4% of
    /// random sets of erring nodes near P = 60 (K + 1 rows left, the hardest case: SPEC 2), so the
    /// success test at t asks for at least 90%; a tolerance overstated by one gives 0%.
    /// </summary>
    private const double SuccessAtTolerance = 0.9;

    public override string Id => "gain-ratios";

    public override string Question => "At equal storage 1/k per node and P = c k nodes (c = 1.5, 2, 3), each scheme at its best split for k, how many times more erring nodes per training iteration does GPD survive than replication and CodeNet's MDS strategy?";

    public override string Theory => "Per iteration a scheme survives the minimum of its passes' tolerances. GPD (unit circle, P - K - 1 continuous random and floor((P - K)/2) adversarial erring nodes) at the split (m, n) with mn = k that minimises max(K_fwd, K_bwd) = max(k + n - 1, 2k - n): about P - 1.5k; CodeNet at the grid whose fewer parity lines per pass is largest: about (c - 1) sqrt(k)/2 lines; replication floor(P/k) copies: r - 2 and floor((r - 1)/2). Gain = (t_GPD + 1)/(t_other + 1), the ratio of the smallest numbers of erring nodes that defeat each.";

    public override ExperimentOutput Run(ExperimentContext context)
    {
        int[] sizes = context.Quick ? [4, 8] : [4, 6, 8, 10, 12, 14, 16, 18, 20];
        double[] redundancies = [1.5, 2, 3];
        var trials = context.Quick ? 20 : 400;
        var shape = new PassShape(64, 32);
        var points = new List<GainPoint>();
        foreach (var c in redundancies)
        {
            foreach (var k in sizes)
            {
                var count = (int)Math.Round(c * k);
                points.Add(Best(SchemeKind.Gpd, k, c, count));
                points.Add(Best(SchemeKind.Mds, k, c, count));
                points.Add(Best(SchemeKind.Replication, k, c, count));
            }
        }

        // Exact-count decodes at t and t + 1 in both passes, gaussian errors at the positions an
        // attacker who knows the scheme would choose (one replica group, distinct grid lines,
        // random nodes for GPD): the iteration succeeds only when both passes do.
        var tests = points.Count * 2;
        var alpha = FalseAlarm.GainRatios / tests;
        var failures = new List<string>();
        var rows = new List<IReadOnlyList<string>>();
        foreach (var point in points)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            var t = point.Probabilistic;
            var atT = new List<OutcomeCounts>();
            var beyond = new List<OutcomeCounts>();
            foreach (var pass in new[] { PassKind.Forward, PassKind.Backward })
            {
                var workload = ExactCount.For(point.Code, pass, shape, context);
                atT.Add(workload.Run(t, trials, Positions.Worst, ErrorModelKind.Gaussian, context).Counts);
                beyond.Add(workload.Run(t + 1, trials, Positions.Worst, ErrorModelKind.Gaussian, context).Counts);
            }

            point.SuccessAtT = atT.Min(x => x.SuccessRate);
            point.SuccessAtTPlus1 = beyond.Min(x => x.SuccessRate);
            var label = point.Label;
            for (var p = 0; p < 2; p++)
            {
                if (!FalseAlarm.AtMostRate(atT[p].Trials - atT[p].Successes, atT[p].Trials, 1 - SuccessAtTolerance, alpha))
                {
                    failures.Add($"{label} {(p == 0 ? "forward" : "backward")}: {atT[p].Successes}/{atT[p].Trials} at t = {t}");
                }
            }

            // With redundancy left (P > K, parity lines, two copies) a decode beyond the
            // tolerance must be refused; without any it cannot even see the error.
            point.CanDetect = point.MinRedundancy > 0;
            point.Miscorrected = atT.Sum(x => x.Miscorrected) + (point.CanDetect ? beyond.Sum(x => x.Miscorrected) : 0);
            rows.Add([I(point.K), N(point.Redundancy), I(point.Nodes), CodeConfiguration.Name(point.Scheme), I(point.M), I(point.N), I(point.Probabilistic), I(point.Adversarial), N(point.SuccessAtT), N(point.SuccessAtTPlus1)]);
        }

        var gpd = points.Where(p => p.Scheme == SchemeKind.Gpd).ToList();
        double Gain(GainPoint a, GainPoint b, bool adversarial) => adversarial ? (a.Adversarial + 1.0) / (b.Adversarial + 1.0) : (a.Probabilistic + 1.0) / (b.Probabilistic + 1.0);
        GainPoint Other(GainPoint g, SchemeKind scheme) => points.First(p => p.Scheme == scheme && p.K == g.K && p.Redundancy == g.Redundancy);
        var checks = new List<ExperimentCheck>
        {
            Check(
                $"at t, at least {SuccessAtTolerance:P0} of the decodes of both passes succeed at every point (one-sided exact binomial test, {tests} tests at {FalseAlarm.Text(alpha)} each)",
                failures.Count == 0,
                failures.Count == 0 ? $"lowest success at t: {points.Min(p => p.SuccessAtT):0.####} ({points.MinBy(p => p.SuccessAtT)!.Label})" : string.Join("; ", failures.Take(5))),
            Check(
                "at t + 1 no decode of the limiting pass succeeds at any point (exact: the tolerance is not understated)",
                points.All(p => p.SuccessAtTPlus1 == 0),
                points.All(p => p.SuccessAtTPlus1 == 0) ? $"{points.Count} points, {trials} decodes per pass and count" : string.Join("; ", points.Where(p => p.SuccessAtTPlus1 > 0).Take(5).Select(p => $"{p.Label}: {p.SuccessAtTPlus1:0.###}"))),
            Check(
                "no decode is miscorrected at t, nor at t + 1 wherever the scheme has redundancy to detect (exact)",
                points.All(p => p.Miscorrected == 0),
                $"{points.Count(p => !p.CanDetect)} points without redundancy in some pass (P = K for GPD at c = 1.5, one copy): there t + 1 errors pass unseen"),
        };

        var probabilistic = new List<FigureSeries>();
        var adversarial = new List<FigureSeries>();
        var shadeOf = new Dictionary<double, int> { [1.5] = 2, [2] = 0, [3] = 1 };
        foreach (var (other, name) in new[] { (SchemeKind.Mds, "CodeNet"), (SchemeKind.Replication, "replication") })
        {
            foreach (var c in redundancies)
            {
                var line = gpd.Where(g => g.Redundancy == c).ToList();
                var xs = line.Select(g => (double)g.Nodes).ToList();
                var cText = c.ToString("0.#", CultureInfo.InvariantCulture);
                probabilistic.Add(new FigureSeries($"GPD / {name}, P = {cText} k", xs, line.Select(g => Gain(g, Other(g, other), false)).ToList()) { Scheme = CodeConfiguration.Name(other), Shade = shadeOf[c] });
                adversarial.Add(new FigureSeries($"GPD / {name}, P = {cText} k", xs, line.Select(g => Gain(g, Other(g, other), true)).ToList(), FigureStyle.DashedLine) { Scheme = CodeConfiguration.Name(other), Shade = shadeOf[c] });
            }
        }

        var nodes = gpd.Select(g => (double)g.Nodes).Distinct().Order().ToList();
        FigureLayout Layout(string model) => new(
            $"Gain of GPD per training iteration at storage 1/k, {model}",
            $"nodes P = c k (k = {string.Join(", ", sizes)}; each scheme at its best split for k)",
            "gain: erring nodes that defeat GPD / that defeat the other scheme")
        {
            YFromZero = true,
            XTicks = nodes.Count <= 16 ? nodes : null,
        };
        // The tolerances themselves, each confirmed by its decodes: a point whose decodes disagree
        // (t fails in more than 10% of them, or t + 1 decodes) is marked where the decodes put it.
        var tolerance = new List<FigureSeries>();
        foreach (var scheme in new[] { SchemeKind.Gpd, SchemeKind.Mds, SchemeKind.Replication })
        {
            foreach (var c in redundancies)
            {
                var line = points.Where(p => p.Scheme == scheme && p.Redundancy == c).ToList();
                var cText = c.ToString("0.#", CultureInfo.InvariantCulture);
                tolerance.Add(new FigureSeries($"{FigurePalette.For(CodeConfiguration.Name(scheme)).DisplayName}, P = {cText} k", line.Select(p => (double)p.Nodes).ToList(), line.Select(p => (double)p.Probabilistic).ToList()) { Scheme = CodeConfiguration.Name(scheme), Shade = shadeOf[c] });
            }
        }

        var disagree = points.Where(p => p.Measured(SuccessAtTolerance) != p.Probabilistic).ToList();
        if (disagree.Count > 0)
        {
            tolerance.Add(new FigureSeries("what the decodes show where they disagree", disagree.Select(p => (double)p.Nodes).ToList(), disagree.Select(p => (double)p.Measured(SuccessAtTolerance)).ToList(), FigureStyle.Markers) { Color = 0 });
        }

        var figures = new Dictionary<string, byte[]>
        {
            ["figure.png"] = FigurePlot.Render(Layout("continuous random errors"), probabilistic),
            ["figure-adversarial.png"] = FigurePlot.Render(Layout("adversarial errors"), adversarial),
            ["figure-tolerance.png"] = FigurePlot.Render(
                new FigureLayout(
                    "Tolerance per training iteration at storage 1/k, continuous random errors",
                    disagree.Count == 0
                        ? $"nodes P = c k (every point confirmed by {trials} exact-count decodes per pass at t and at t + 1)"
                        : $"nodes P = c k ({disagree.Count} points not confirmed by the decodes: marked)",
                    "erring nodes t survived (min over the passes)")
                {
                    YFromZero = true,
                    IntegerY = true,
                },
                tolerance),
        };
        return new ExperimentOutput(
            CsvTable.Write(["k", "redundancy", "nodes", "scheme", "best_m", "best_n", "tolerance_probabilistic", "tolerance_adversarial", "mc_success_at_t", "mc_success_at_t_plus_1"], rows),
            figures,
            new
            {
                storage_splits_k = sizes,
                redundancies,
                trials_per_pass_and_count = trials,
                block_rows = shape.BlockRows,
                block_cols = shape.BlockCols,
                points = "unit-circle",
                codenet_grids = points.Where(p => p.Scheme == SchemeKind.Mds).Select(p => $"k={p.K} P={p.Nodes}: m={p.M} n={p.N} Pr={p.Code.RowNodes} Pc={p.Code.ColumnNodes} ({p.Code.NodeCount} nodes used)").ToList(),
                false_alarm = FalseAlarm.GainRatios,
            },
            checks);
    }

    /// <summary>A scheme at its best split for storage 1/k on P nodes: the largest per-iteration tolerance (then the larger adversarial one, then more redundancy).</summary>
    private static GainPoint Best(SchemeKind scheme, int k, double redundancy, int nodes)
    {
        var candidates = new List<CodeConfiguration>();
        foreach (var m in Enumerable.Range(1, k).Where(m => k % m == 0))
        {
            var n = k / m;
            switch (scheme)
            {
                case SchemeKind.Gpd:
                    candidates.Add(Configurations.Gpd(nodes, m, n));
                    break;
                case SchemeKind.Mds:
                    // Every grid with row parity a lines (a n nodes) and column parity b lines (b m
                    // nodes) that fits on the P nodes; unused nodes stay idle.
                    for (var a = 0; k + (a * n) <= nodes; a++)
                    {
                        for (var b = 0; k + (a * n) + (b * m) <= nodes; b++)
                        {
                            candidates.Add(new CodeConfiguration { Scheme = SchemeKind.Mds, RowSplit = m, ColumnSplit = n, RowNodes = m + a, ColumnNodes = n + b, NodeCount = k + (a * n) + (b * m) });
                        }
                    }

                    break;
                default:
                    // The tolerance does not depend on the split: the squarest one (m <= n) stands for all.
                    if (m == Enumerable.Range(1, k).Where(d => k % d == 0 && d * d <= k).Max())
                    {
                        candidates.Add(Configurations.Replication(nodes, m, n));
                    }

                    break;
            }
        }

        var valid = candidates.Where(Valid).ToList();
        var best = valid
            .Select(code => (Code: code, Tolerance: Iteration(code)))
            .OrderByDescending(x => x.Tolerance.Probabilistic)
            .ThenByDescending(x => x.Tolerance.Adversarial)
            .ThenByDescending(x => x.Tolerance.MinRedundancy)
            .ThenByDescending(x => x.Code.NodeCount)
            .ThenBy(x => Math.Abs(x.Code.RowSplit - x.Code.ColumnSplit))
            .First();
        return new GainPoint(scheme, k, redundancy, nodes, best.Code, best.Tolerance.Probabilistic, best.Tolerance.Adversarial, best.Tolerance.MinRedundancy);
    }

    private static bool Valid(CodeConfiguration code)
    {
        try
        {
            code.Validate();
            return true;
        }
        catch (InvalidConfigurationException)
        {
            return false;
        }
    }

    /// <summary>The per-iteration tolerances (minimum over the two passes) and the smaller redundancy of the passes.</summary>
    private static (int Probabilistic, int Adversarial, int MinRedundancy) Iteration(CodeConfiguration code)
    {
        var scheme = Scheme.Of(code.Scheme);
        var forward = scheme.Tolerance(code, PassKind.Forward);
        var backward = scheme.Tolerance(code, PassKind.Backward);
        var redundancy = code.Scheme switch
        {
            SchemeKind.Gpd => code.NodeCount - Math.Max(GpdScheme.Threshold(code, PassKind.Forward), GpdScheme.Threshold(code, PassKind.Backward)),
            SchemeKind.Mds => Math.Min(code.RowNodes!.Value - code.RowSplit, code.ColumnNodes!.Value - code.ColumnSplit),
            _ => ReplicationScheme.Copies(code) - 1,
        };
        return (Math.Min(forward.Probabilistic, backward.Probabilistic), Math.Min(forward.Adversarial, backward.Adversarial), redundancy);
    }

    /// <summary>One plotted point: a scheme at its best split, and what the decodes measured.</summary>
    private sealed record GainPoint(SchemeKind Scheme, int K, double Redundancy, int Nodes, CodeConfiguration Code, int Probabilistic, int Adversarial, int MinRedundancy)
    {
        public int M => Code.RowSplit;

        public int N => Code.ColumnSplit;

        public double SuccessAtT { get; set; }

        public double SuccessAtTPlus1 { get; set; }

        public long Miscorrected { get; set; }

        public bool CanDetect { get; set; }

        /// <summary>The tolerance the decodes show: t + 1 when t + 1 errors decoded at all, t when at least <paramref name="level"/> of the decodes at t succeeded, else t - 1.</summary>
        public int Measured(double level) => SuccessAtTPlus1 > 0 ? Probabilistic + 1 : SuccessAtT >= level ? Probabilistic : Probabilistic - 1;

        public string Label => string.Create(CultureInfo.InvariantCulture, $"{CodeConfiguration.Name(Scheme)} k={K} P={Nodes}");
    }
}
