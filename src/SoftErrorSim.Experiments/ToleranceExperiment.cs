using SoftErrorSim.Core.Coding;
using SoftErrorSim.Core.Faults;
using SoftErrorSim.Core.MonteCarlo;
using SoftErrorSim.Core.Schemes;
using SoftErrorSim.Reporting;

namespace SoftErrorSim.Experiments;

/// <summary>
/// Figure 1 (SPEC 8.1): error tolerance against P under both error models at storage 1/4, per pass
/// and per training iteration; for GPD the exact tolerance beside the achieved ones (every set of
/// adjacent erring nodes, 99% of random sets) on real Chebyshev points and on the unit circle, and
/// Monte Carlo decodes at every plotted P.
/// </summary>
internal sealed class ToleranceExperiment : Experiment
{
    /// <summary>The share of random sets the achieved tolerance promises (SPEC 4: 99%).</summary>
    private const double RandomShare = 0.99;

    /// <summary>
    /// The share the success test at the achieved random tolerance asks for. CodeReport finds the
    /// achieved tolerance on nominal data from 200 random sets, so the true share there may lie a
    /// little below 99% (at most about 97% with 198 or more of 200 accepted, at 1e-3); 90% leaves
    /// room for that and for real data, while an overstated tolerance (t where only t - 5 holds)
    /// fails it outright. The attacks at the adversarial tolerance are held to the same share:
    /// bounded-distance decoding locates errors by Berlekamp-Welch on a random scalar projection and
    /// refuses (detects) when that misses, about 1 attack in 600 at P = 48 on the unit circle.
    /// </summary>
    private const double SuccessAtAchieved = 0.9;

    private static readonly EvaluationPointKind[] PointKinds = [EvaluationPointKind.UnitCircle, EvaluationPointKind.Chebyshev];

    public override string Id => "tolerance-vs-p";

    public override string Question => "How many erring nodes can each strategy tolerate as P grows at storage 1/4 (m = n = 2), per pass and per training iteration, and how much of GPD's exact tolerance does float64 deliver on real Chebyshev points and on the unit circle?";

    public override string Theory => "GPD: P - K - 1 erring nodes with continuous random errors (probability one) and floor((P - K)/2) adversarial ones, K_fwd = mn + n - 1 = 5, K_bwd = 2mn - n = 6, per iteration the backward pass's; achieved (decoding contract, SPEC 4): the largest e for which every set of e adjacent erring nodes, and 99% of random sets, leave rows float64 can decode. CodeNet: the same per grid line of its (Pr, m) and (Pc, n) codes; replication: r - 2 and floor((r - 1)/2) with r = floor(P/4).";

    public override ExperimentOutput Run(ExperimentContext context)
    {
        var nodes = context.Quick ? [8, 12] : Enumerable.Range(2, 11).Select(k => 4 * k).ToArray();
        var trials = context.Quick ? 20 : 300;
        var adversarialTrials = context.Quick ? 4 : 20;

        // Outputs at least as long as the errors they must locate (forward, complex: 96/2 = 48
        // words; backward: 48), so that the probability-one decoder's span test applies.
        var shape = new PassShape(96, 48);
        var rows = new List<ToleranceRow>();
        foreach (var p in nodes)
        {
            foreach (var points in PointKinds)
            {
                context.CancellationToken.ThrowIfCancellationRequested();
                var code = Configurations.Gpd(p, 2, 2) with { Points = points };
                var report = CodeReport.For(code, shape, achieved: true);
                var passes = new List<ToleranceRow>();
                foreach (var (pass, facts) in new[] { (PassKind.Forward, report.Forward), (PassKind.Backward, report.Backward) })
                {
                    passes.Add(Gpd(code, pass, facts, shape, trials, points == EvaluationPointKind.UnitCircle ? adversarialTrials : 0, context));
                }

                rows.AddRange(passes);
                rows.Add(ToleranceRow.Iteration(passes));
            }

            foreach (var code in new[] { Configurations.Mds(p, 2, 2), Configurations.Replication(p, 2, 2) })
            {
                if (code is null)
                {
                    continue;
                }

                var passes = new[] { PassKind.Forward, PassKind.Backward }.Select(pass => Compared(code, pass, shape, trials, adversarialTrials, context)).ToList();
                rows.AddRange(passes);
                rows.Add(ToleranceRow.Iteration(passes));
            }
        }

        // Two families of one-sided tests share the experiment's false-alarm budget: the success
        // at GPD's achieved random tolerance, and the attacks at the adversarial tolerance.
        var passRows = rows.Where(r => r.Pass != "iteration").ToList();
        var tested = passRows.Where(r => r.AtAchievedRandom is not null).ToList();
        var attacked = passRows.Where(r => r.AtAdversarial is { Trials: > 0 }).ToList();
        var atExact = passRows.Where(r => r.Scheme == "gpd" && r.Points == "unit-circle" && r.AtT is not null).ToList();
        var alpha = FalseAlarm.ToleranceVsP / Math.Max(1, tested.Count + attacked.Count + atExact.Count);
        bool Holds(OutcomeCounts counts, double share) => FalseAlarm.AtMostRate(counts.Trials - counts.Successes, counts.Trials, 1 - share, alpha);
        var low = tested.Where(r => !Holds(r.AtAchievedRandom!.Value, SuccessAtAchieved)).ToList();
        var lowAtExact = atExact.Where(r => !Holds(r.AtT!.Value, SuccessAtAchieved)).ToList();
        var beyond = passRows.Where(r => r.AtTPlus1 is { } c && c.Successes > 0).ToList();
        var miscorrected = passRows.Where(r => r.Miscorrected > 0).ToList();
        var compared = passRows.Where(r => r.Points == "-" && r.AtT is { } c && c.Successes < c.Trials).ToList();
        var adjacentBelow = passRows.Where(r => r.AchievedAdjacent is { } a && r.MonteCarloAdjacent < a).ToList();
        var adversarialAtT = attacked.Where(r => !Holds(r.AtAdversarial!.Value, SuccessAtAchieved) || r.AtAdversarial.Value.Miscorrected > 0).ToList();
        var adversarialBeyond = passRows.Where(r => r.AtAdversarialPlus1 is { } c && c.Successes > 0).ToList();
        string Where(IEnumerable<ToleranceRow> bad, string none) => bad.Any() ? string.Join("; ", bad.Take(4).Select(r => r.Label)) : none;
        var checks = new List<ExperimentCheck>
        {
            Check("at t + 1 (exact) no decode succeeds: every scheme, both passes, every P, both point choices (exact)", beyond.Count == 0, Where(beyond, $"{passRows.Count} pass rows, {trials} decodes each")),
            Check("no decode is miscorrected anywhere (continuous random errors; exact)", miscorrected.Count == 0, Where(miscorrected, "every decode not correct was refused")),
            Check(
                $"at GPD's achieved random tolerance (CodeReport) at least {SuccessAtAchieved:P0} of random-position decodes succeed (one-sided exact binomial test, {tested.Count} tests; every test of this experiment at {FalseAlarm.Text(alpha)})",
                low.Count == 0,
                Where(low, $"lowest: {tested.Min(r => r.AtAchievedRandom!.Value.SuccessRate):0.###}")),
            Check(
                $"unit circle: at GPD's exact tolerance P - K - 1 at least {SuccessAtAchieved:P0} of random-position decodes succeed (the exact tolerance is not overstated; {atExact.Count} one-sided tests)",
                lowAtExact.Count == 0,
                Where(lowAtExact, $"lowest: {atExact.Min(r => r.AtT!.Value.SuccessRate):0.###}")),
            Check("every set of adjacent erring nodes up to GPD's achieved adjacent tolerance (CodeReport, nominal data) decodes on the workload (exact)", adjacentBelow.Count == 0, Where(adjacentBelow, "Monte Carlo's adjacent tolerance is at least CodeReport's at every point")),
            Check("CodeNet and replication: every decode at t erring nodes in the worst positions succeeds (exact)", compared.Count == 0, Where(compared, "one replica group, distinct grid lines")),
            Check(
                $"adversarial errors (unit circle, CodeNet, replication; {adversarialTrials} attacks per count): at floor((P - K)/2) at least {SuccessAtAchieved:P0} corrected and none miscorrected ({attacked.Count} one-sided tests), at one more none corrected (exact)",
                adversarialAtT.Count == 0 && adversarialBeyond.Count == 0,
                adversarialAtT.Count + adversarialBeyond.Count == 0
                    ? "the attacker's minimum-weight codeword"
                    : string.Join("; ", adversarialAtT.Select(r => $"{r.Label} at t: {r.AtAdversarial!.Value.Detected} detected, {r.AtAdversarial.Value.Miscorrected} miscorrected").Concat(adversarialBeyond.Select(r => $"{r.Label} at t + 1: {r.AtAdversarialPlus1!.Value.Successes} decoded")).Take(4))),
        };

        var figures = new Dictionary<string, byte[]>
        {
            ["figure.png"] = Figure(rows, "iteration", nodes, "Error tolerance per training iteration against P at storage 1/4 (m = n = 2)", true),
            ["figure-forward.png"] = Figure(rows, "forward", nodes, "GPD forward pass (K = 5): exact and achieved tolerance against P", false),
            ["figure-backward.png"] = Figure(rows, "backward", nodes, "GPD backward pass (K = 6): exact and achieved tolerance against P", false),
        };
        return new ExperimentOutput(
            CsvTable.Write(ToleranceRow.Columns, rows.Select(r => r.Fields())),
            figures,
            new { nodes, m = 2, n = 2, points = PointKinds.Select(EvaluationPoints.Name).ToList(), block_rows = shape.BlockRows, block_cols = shape.BlockCols, trials_per_count = trials, adversarial_trials_per_count = adversarialTrials, random_share = RandomShare, false_alarm = FalseAlarm.ToleranceVsP },
            checks);
    }

    /// <summary>One GPD pass: CodeReport's exact and achieved tolerances beside its decodes.</summary>
    private static ToleranceRow Gpd(CodeConfiguration code, PassKind pass, PassReport facts, PassShape shape, int trials, int adversarialTrials, ExperimentContext context)
    {
        var workload = ExactCount.For(code, pass, shape, context);
        var t = facts.ToleranceProbabilistic;
        var miscorrected = 0L;
        OutcomeCounts Run(int errors, int count, Positions positions, ErrorModelKind model)
        {
            var counts = workload.Run(errors, count, positions, model, context).Counts;
            miscorrected += model == ErrorModelKind.Gaussian ? counts.Miscorrected : 0;
            return counts;
        }

        // Random positions: the largest e <= t at which at least 99% of the decodes succeed,
        // scanning down from t; and the success at CodeReport's achieved value and at t + 1.
        OutcomeCounts? atT = null;
        OutcomeCounts? atAchieved = null;
        var monteCarloRandom = -1;
        for (var e = t; e >= 0; e--)
        {
            var counts = Run(e, trials, Positions.Random, ErrorModelKind.Gaussian);
            atT ??= counts;
            if (e == facts.AchievedRandom)
            {
                atAchieved = counts;
            }

            if (counts.Successes >= RandomShare * counts.Trials)
            {
                monteCarloRandom = e;
                break;
            }
        }

        if (atAchieved is null && facts.AchievedRandom is >= 0 and var achieved)
        {
            atAchieved = Run(achieved, trials, Positions.Random, ErrorModelKind.Gaussian);
        }

        OutcomeCounts? atTPlus1 = t + 1 <= workload.Rows ? Run(t + 1, trials, Positions.Random, ErrorModelKind.Gaussian) : null;

        // Adjacent positions: every run of e adjacent nodes once. The decodes' adjacent tolerance
        // is the largest e at which every run decodes, searched from CodeReport's value: up while
        // every run decodes (to t at most), down while one fails (more adjacent errors leave fewer,
        // more clustered rows, so success only falls with e).
        bool AllAdjacent(int e) => Run(e, workload.AdjacentSets(e), Positions.Adjacent, ErrorModelKind.Gaussian).Successes == workload.AdjacentSets(e);
        var monteCarloAdjacent = Math.Clamp(facts.AchievedAdjacent ?? 0, -1, t);
        if (monteCarloAdjacent >= 0 && AllAdjacent(monteCarloAdjacent))
        {
            while (monteCarloAdjacent < t && AllAdjacent(monteCarloAdjacent + 1))
            {
                monteCarloAdjacent++;
            }
        }
        else
        {
            do
            {
                monteCarloAdjacent--;
            }
            while (monteCarloAdjacent >= 0 && !AllAdjacent(monteCarloAdjacent));
        }

        OutcomeCounts? adversarial = null;
        OutcomeCounts? adversarialBeyond = null;
        if (adversarialTrials > 0)
        {
            adversarial = Run(facts.ToleranceAdversarial, adversarialTrials, Positions.Worst, ErrorModelKind.Adversarial);
            adversarialBeyond = Run(facts.ToleranceAdversarial + 1, adversarialTrials, Positions.Worst, ErrorModelKind.Adversarial);
        }

        return new ToleranceRow("gpd", EvaluationPoints.Name(code.Points), CodeConfiguration.Name(pass), code.NodeCount, facts.Threshold, t, facts.AchievedAdjacent, facts.AchievedRandom, monteCarloAdjacent, monteCarloRandom, atT, atAchieved, atTPlus1, facts.ToleranceAdversarial, adversarial, adversarialBeyond, trials, miscorrected);
    }

    /// <summary>One pass of CodeNet or replication: its exact tolerances beside decodes at the positions an attacker would choose.</summary>
    private static ToleranceRow Compared(CodeConfiguration code, PassKind pass, PassShape shape, int trials, int adversarialTrials, ExperimentContext context)
    {
        var workload = ExactCount.For(code, pass, shape, context);
        var (adversarialTolerance, t) = Scheme.Of(code.Scheme).Tolerance(code, pass);
        var atT = workload.Run(t, trials, Positions.Worst, ErrorModelKind.Gaussian, context).Counts;
        var atTPlus1 = workload.Run(t + 1, trials, Positions.Worst, ErrorModelKind.Gaussian, context).Counts;
        var adversarial = workload.Run(adversarialTolerance, adversarialTrials, Positions.Worst, ErrorModelKind.Adversarial, context).Counts;
        var adversarialBeyond = workload.Run(adversarialTolerance + 1, adversarialTrials, Positions.Worst, ErrorModelKind.Adversarial, context).Counts;
        var threshold = code.Scheme == SchemeKind.Mds ? CodeNetScheme.LineCode(code, pass).Dimension : code.BlockCount;
        return new ToleranceRow(CodeConfiguration.Name(code.Scheme), "-", CodeConfiguration.Name(pass), code.NodeCount, threshold, t, null, null, null, null, atT, null, atTPlus1, adversarialTolerance, adversarial, adversarialBeyond, trials, atT.Miscorrected + atTPlus1.Miscorrected);
    }

    /// <summary>
    /// A figure of one pass (or the iteration): exact tolerances as solid lines, GPD's achieved ones
    /// (CodeReport) as dashed lines for each point choice, and what the decodes showed as filled
    /// markers in the same colours; the iteration figure adds CodeNet, replication and the
    /// adversarial tolerances.
    /// </summary>
    private static byte[] Figure(IReadOnlyList<ToleranceRow> rows, string pass, IReadOnlyList<int> nodes, string title, bool allSchemes)
    {
        var series = new List<FigureSeries>();
        List<ToleranceRow> Of(string scheme, string points) => rows.Where(r => r.Pass == pass && r.Scheme == scheme && r.Points == points).OrderBy(r => r.Nodes).ToList();
        List<double> X(List<ToleranceRow> line) => line.Select(r => (double)r.Nodes).ToList();
        // Drawn on one another where they coincide, GPD's exact tolerance last (on top): the real
        // points' shortfall shows beneath it, and the legend names every equality.
        var slots = new Dictionary<string, (int Random, int Adjacent)> { ["unit-circle"] = (1, 3), ["chebyshev"] = (0, 2) };
        foreach (var points in new[] { "chebyshev", "unit-circle" })
        {
            var line = Of("gpd", points);
            var name = points == "unit-circle" ? "unit circle" : "Chebyshev";
            series.Add(new FigureSeries($"{name}: achieved, every adjacent set", X(line), line.Select(r => (double)(r.AchievedAdjacent ?? -1)).ToList(), FigureStyle.DashedLine) { Color = slots[points].Adjacent });
            series.Add(new FigureSeries($"{name}: decodes, every adjacent set", X(line), line.Select(r => (double)(r.MonteCarloAdjacent ?? -1)).ToList(), FigureStyle.Markers) { Color = slots[points].Adjacent });
            series.Add(new FigureSeries($"{name}: achieved, 99% of random sets", X(line), line.Select(r => (double)(r.AchievedRandom ?? -1)).ToList(), FigureStyle.DashedLine) { Color = slots[points].Random });
            series.Add(new FigureSeries($"{name}: decodes, >= 99% of random sets", X(line), line.Select(r => (double)(r.MonteCarloRandom ?? -1)).ToList(), FigureStyle.Markers) { Color = slots[points].Random });
        }

        var circle = Of("gpd", "unit-circle");
        series.Add(new FigureSeries("GPD exact P - K - 1 (both point choices)", X(circle), circle.Select(r => (double)r.Tolerance).ToList()) { Scheme = "gpd" });

        if (allSchemes)
        {
            foreach (var scheme in new[] { "mds", "replication" })
            {
                var line = Of(scheme, "-");
                series.Add(new FigureSeries($"{FigurePalette.For(scheme).DisplayName} exact, worst positions", X(line), line.Select(r => (double)r.Tolerance).ToList()) { Scheme = scheme });
            }

            foreach (var (scheme, points) in new[] { ("gpd", "unit-circle"), ("mds", "-"), ("replication", "-") })
            {
                var line = Of(scheme, points);
                series.Add(new FigureSeries($"{FigurePalette.For(scheme).DisplayName}, adversarial errors", X(line), line.Select(r => (double)r.ToleranceAdversarial).ToList(), FigureStyle.DashedLine) { Scheme = scheme, Shade = 1 });
            }
        }

        return FigurePlot.Render(
            new FigureLayout(title, "nodes P", allSchemes ? "erring nodes tolerated per iteration (min over the passes)" : "erring nodes tolerated (continuous random errors)")
            {
                YFromZero = true,
                IntegerY = true,
                XTicks = nodes.Select(p => (double)p).ToList(),

                // Up to nine series share a point where float64 delivers the exact tolerance: side
                // by side they would spread two P steps wide and pull the lines off their P. They
                // are drawn on one another instead, and the legend names every equality.
                SideBySide = false,
            },
            series);
    }
}
