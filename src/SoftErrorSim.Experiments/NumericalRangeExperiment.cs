using System.Globalization;
using SoftErrorSim.Core.Coding;
using SoftErrorSim.Core.Faults;
using SoftErrorSim.Core.MonteCarlo;
using SoftErrorSim.Core.Schemes;
using SoftErrorSim.Core.Statistics;
using SoftErrorSim.Reporting;

namespace SoftErrorSim.Experiments;

/// <summary>
/// Figure 8 (SPEC 8.8): where float64 can run GPD. Decode success and miscorrections against P on
/// real Chebyshev points and on the unit circle, at m = n = 4 and at CodeNet's storage 1/20
/// (m = 4, n = 5), each point a rate campaign at a stated error rate beside its oracle.
/// </summary>
internal sealed class NumericalRangeExperiment : Experiment
{
    /// <summary>
    /// The per-node error rate of every campaign: high enough that the oracle falls well below 1
    /// where P is close to K (P - K - 1 = 1 to 3 at the smallest P), low enough that the errors stay
    /// far from the cliff of the largest codes, where the circle's refusals of the hardest random
    /// sets (SPEC 2) would move the success rate.
    /// </summary>
    private const double ErrorRate = 0.1;

    private static readonly EvaluationPointKind[] PointKinds = [EvaluationPointKind.UnitCircle, EvaluationPointKind.Chebyshev];

    public override string Id => "numerical-range";

    public override string Question => "Where can float64 run GPD? Decode success and miscorrections against P on real Chebyshev points and on the unit circle, at m = n = 4 (storage 1/16) and at CodeNet's storage 1/20 (m = 4, n = 5), every node erring at eps = 0.1.";

    public override string Theory => "In exact arithmetic both point choices decode up to P - K - 1 erring nodes: success = sum_{e <= P-K-1} C(P,e) eps^e (1 - eps)^(P-e) (the oracle). In float64 the decoding contract (SPEC 4) refuses a decode whose wanted blocks it cannot read to 1e-6 from the rows left: the monomial systems on Chebyshev points (condition number 1.1e10 for (40, 28)) are refused from the first backward decode on, while on the P-th roots of unity the full system has condition number 1. A refusal is a detected failure, never a wrong result.";

    public override ExperimentOutput Run(ExperimentContext context)
    {
        var trials = context.Quick ? 30 : 600;
        var storages = new[]
        {
            (M: 4, N: 4, Nodes: context.Quick ? new[] { 32 } : [30, 32, 36, 40, 48, 64]),
            (M: 4, N: 5, Nodes: context.Quick ? new[] { 40 } : [36, 40, 44, 48, 64]),
        };
        var shape = new PassShape(48, 48);
        var rows = new List<RangeRow>();
        foreach (var (m, n, nodes) in storages)
        {
            foreach (var p in nodes)
            {
                foreach (var points in PointKinds)
                {
                    foreach (var pass in new[] { PassKind.Forward, PassKind.Backward })
                    {
                        context.CancellationToken.ThrowIfCancellationRequested();
                        var code = Configurations.Gpd(p, m, n) with { Points = points };
                        var settings = new RateCampaignSettings
                        {
                            Code = code,
                            Pass = pass,
                            Shape = shape,
                            Model = new ErrorValueModel { Kind = ErrorModelKind.Gaussian },
                            ErrorRates = [ErrorRate],
                            Trials = trials,
                            Seed = context.Seed,
                            Threads = context.Threads,
                        };
                        var result = RateCampaign.Run(settings, null, context.CancellationToken)[0];
                        rows.Add(new RangeRow(m, n, p, EvaluationPoints.Name(points), CodeConfiguration.Name(pass), GpdScheme.Threshold(code, pass), result.Counts, result.AnalyticSuccessRate!.Value, result.MaxConditionNumber));
                    }
                }
            }
        }

        var circle = rows.Where(r => r.Points == "unit-circle").ToList();
        var alpha = FalseAlarm.NumericalRange / circle.Count;
        var outside = circle.Where(r => !BinomialAcceptance.Holds(r.Counts.Successes, r.Counts.Trials, r.Oracle, alpha)).ToList();
        var miscorrected = rows.Where(r => r.Counts.Miscorrected > 0).ToList();

        // Real points fail where the circle decodes: every Chebyshev backward point lies below the
        // acceptance region of its oracle, every decode of it refused (detected), none wrong.
        var chebyshevBackward = rows.Where(r => r.Points == "chebyshev" && r.Pass == "backward").ToList();
        var notFailing = chebyshevBackward.Where(r => BinomialAcceptance.Region(r.Counts.Trials, r.Oracle, alpha).Low <= r.Counts.Successes).ToList();
        string Where(IEnumerable<RangeRow> bad) => string.Join("; ", bad.Take(4).Select(r => r.Label));
        var checks = new List<ExperimentCheck>
        {
            Check("no decode is miscorrected, on either point choice, at any P (exact: refusal, never a wrong result)", miscorrected.Count == 0, miscorrected.Count == 0 ? $"{rows.Count} campaigns of {trials} decodes" : Where(miscorrected)),
            Check(
                $"unit circle: every success rate lies in the exact binomial acceptance region of the oracle ({circle.Count} tests at {FalseAlarm.Text(alpha)} each)",
                outside.Count == 0,
                outside.Count == 0 ? "both passes, both storages, every P" : Where(outside)),
            Check(
                "Chebyshev points: every backward campaign lies below the acceptance region of its oracle, where the circle's lies inside it (exact here: the contract refuses them)",
                notFailing.Count == 0,
                notFailing.Count == 0 ? $"success {chebyshevBackward.Max(r => r.Counts.SuccessRate):0.###} at most; refused {chebyshevBackward.Sum(r => r.Counts.Detected)} of {chebyshevBackward.Sum(r => r.Counts.Trials)}" : Where(notFailing)),
        };

        var figures = new Dictionary<string, byte[]>();
        foreach (var (m, n, nodes) in storages)
        {
            var name = m == 4 && n == 4 ? "figure.png" : "figure-storage-20.png";
            figures[name] = Figure(rows.Where(r => r.M == m && r.N == n).ToList(), m, n, nodes, trials);
        }

        return new ExperimentOutput(
            CsvTable.Write(RangeRow.Columns, rows.Select(r => r.Fields())),
            figures,
            new { error_rate = ErrorRate, trials, splits = storages.Select(s => new { m = s.M, n = s.N, nodes = s.Nodes }).ToList(), block_rows = shape.BlockRows, block_cols = shape.BlockCols, false_alarm = FalseAlarm.NumericalRange },
            checks);
    }

    private static byte[] Figure(IReadOnlyList<RangeRow> rows, int m, int n, IReadOnlyList<int> nodes, int trials)
    {
        var series = new List<FigureSeries>();
        List<RangeRow> Of(string points, string pass) => rows.Where(r => r.Points == points && r.Pass == pass).OrderBy(r => r.Nodes).ToList();
        List<double> X(List<RangeRow> line) => line.Select(r => (double)r.Nodes).ToList();
        // The oracle of each pass as a dashed curve and the unit circle's decodes as points on it,
        // in GPD's colour (a darker shade for the backward pass); Chebyshev points in their own.
        foreach (var (pass, shade, realSlot) in new[] { ("forward", 0, 0), ("backward", 1, 3) })
        {
            var k = pass == "forward" ? PolyDotThresholds.Forward(m, n) : PolyDotThresholds.Backward(m, n);
            var circle = Of("unit-circle", pass);
            series.Add(new FigureSeries($"oracle, {pass} (K = {k}): P - K - 1 correctable", X(circle), circle.Select(r => r.Oracle).ToList(), FigureStyle.DashedLine) { Scheme = "gpd", Shade = shade });
            series.Add(new FigureSeries($"unit circle, {pass}", X(circle), circle.Select(r => r.Counts.SuccessRate).ToList(), FigureStyle.Markers)
            {
                Scheme = "gpd",
                Shade = shade,
                Low = circle.Select(r => r.Counts.Wilson.Low).ToList(),
                High = circle.Select(r => r.Counts.Wilson.High).ToList(),
            });
            var real = Of("chebyshev", pass);
            series.Add(new FigureSeries($"Chebyshev, {pass}", X(real), real.Select(r => r.Counts.SuccessRate).ToList())
            {
                Color = realSlot,
                Low = real.Select(r => r.Counts.Wilson.Low).ToList(),
                High = real.Select(r => r.Counts.Wilson.High).ToList(),
            });
        }

        var all = rows.GroupBy(r => r.Nodes).OrderBy(g => g.Key).ToList();
        series.Add(new FigureSeries("miscorrected (either point choice, either pass)", all.Select(g => (double)g.Key).ToList(), all.Select(g => (double)g.Sum(r => r.Counts.Miscorrected) / g.Sum(r => r.Counts.Trials)).ToList(), FigureStyle.Markers) { Color = 1 });
        return FigurePlot.Render(
            new FigureLayout(
                string.Create(CultureInfo.InvariantCulture, $"Where float64 decodes GPD: m = {m}, n = {n} (storage 1/{m * n}), eps = {ErrorRate} per node"),
                string.Create(CultureInfo.InvariantCulture, $"nodes P ({trials} decodes per point, gaussian errors at random nodes)"),
                "decode success rate (95% Wilson intervals); miscorrected fraction")
            {
                YFromZero = true,
                YTicksUpTo = 1,
                XTicks = nodes.Select(p => (double)p).ToList(),
            },
            series);
    }

    /// <summary>One campaign: a split, P, a point choice and a pass.</summary>
    private sealed record RangeRow(int M, int N, int Nodes, string Points, string Pass, int Threshold, OutcomeCounts Counts, double Oracle, double MaxConditionNumber)
    {
        public static readonly string[] Columns =
        [
            "m", "n", "nodes", "points", "pass", "threshold", "error_rate", "trials", "clean", "corrected", "detected", "miscorrected",
            "success_rate", "ci_low", "ci_high", "analytic_success_rate", "max_condition_number",
        ];

        public string Label => string.Create(CultureInfo.InvariantCulture, $"{M}x{N} P={Nodes} {Points} {Pass}: {Counts.Successes}/{Counts.Trials} vs oracle {Oracle:0.####}");

        public IReadOnlyList<string> Fields() =>
        [
            InvariantText.Whole(M), InvariantText.Whole(N), InvariantText.Whole(Nodes), Points, Pass, InvariantText.Whole(Threshold), InvariantText.Number(ErrorRate),
            InvariantText.Whole(Counts.Trials), InvariantText.Whole(Counts.Clean), InvariantText.Whole(Counts.Corrected), InvariantText.Whole(Counts.Detected), InvariantText.Whole(Counts.Miscorrected),
            InvariantText.Number(Counts.SuccessRate), InvariantText.Number(Counts.Wilson.Low), InvariantText.Number(Counts.Wilson.High), InvariantText.Number(Oracle), InvariantText.Number(MaxConditionNumber),
        ];
    }
}
