using SoftErrorSim.Core.Coding;
using SoftErrorSim.Core.Faults;
using SoftErrorSim.Core.MonteCarlo;
using SoftErrorSim.Core.Statistics;
using SoftErrorSim.Reporting;
using static SoftErrorSim.Reporting.InvariantText;

namespace SoftErrorSim.Experiments.Regress;

/// <summary>One point of a regression suite: a decode campaign at an exact error count or a rate campaign at one eps.</summary>
/// <param name="Id">Stable name (the key into the baseline).</param>
/// <param name="Code">The configuration.</param>
/// <param name="Pass">The pass.</param>
/// <param name="Model">The error model.</param>
/// <param name="Errors">Exact erring nodes (decode points), or null.</param>
/// <param name="ErrorRate">Per-node error rate (rate points), or null.</param>
/// <param name="ExactSuccess">The exact success probability of exact-count points, where theory fixes it (1 within the tolerance, 0 beyond the detection bound).</param>
public sealed record RegressPoint(string Id, CodeConfiguration Code, PassKind Pass, ErrorModelKind Model, int? Errors, double? ErrorRate, double? ExactSuccess);

/// <summary>What one point gave, and whether it held against the oracle and the baseline.</summary>
/// <param name="Point">The point.</param>
/// <param name="Trials">Trials run.</param>
/// <param name="Successes">Decodes whose result was correct.</param>
/// <param name="Expected">The exact or analytic success probability, where theory gives one.</param>
/// <param name="OracleHolds">Whether the successes lie in the exact acceptance region of <paramref name="Expected"/>.</param>
/// <param name="BaselineTrials">The baseline's trials, when it has the point.</param>
/// <param name="BaselineSuccesses">The baseline's successes.</param>
/// <param name="BaselineHolds">Whether the fresh and baseline success intervals overlap.</param>
/// <param name="Miscorrected">Decodes that returned a wrong result as good: the outcome that matters most.</param>
/// <param name="MiscorrectionHolds">
/// The miscorrection gate: exactly zero for continuous random errors on a coded scheme (the
/// decoding contract); elsewhere the fresh and baseline miscorrection intervals must overlap.
/// </param>
/// <param name="BaselineMiscorrected">The baseline's miscorrections.</param>
public sealed record RegressRow(RegressPoint Point, long Trials, long Successes, double? Expected, bool? OracleHolds, long? BaselineTrials, long? BaselineSuccesses, bool? BaselineHolds, long Miscorrected = 0, bool? MiscorrectionHolds = null, long? BaselineMiscorrected = null)
{
    /// <summary>Every applicable check held.</summary>
    public bool Passed => OracleHolds != false && BaselineHolds != false && MiscorrectionHolds != false;
}

/// <summary>
/// The nightly gate (SPEC 7, `regress`): fresh runs of a suite of decode and sweep points, each
/// rate checked against the analytic oracle (exact binomial acceptance region: Clopper-Pearson
/// duality) and against the committed baseline (two Clopper-Pearson intervals must overlap), with
/// every test at level alpha/M so the family-wise false-alarm rate is at most alpha (Bonferroni).
/// </summary>
public static class RegressSuite
{
    /// <summary>The family-wise false-alarm rate of a run.</summary>
    public const double FamilyAlpha = 0.01;

    /// <summary>The committed baseline built into the tool (experiments/regress/nightly-baseline.csv).</summary>
    public static string EmbeddedBaseline()
    {
        using var stream = typeof(RegressSuite).Assembly.GetManifestResourceStream("nightly-baseline.csv")
            ?? throw new InvalidDataException("the committed baseline is missing from the tool");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>The nightly suite: GPD cliffs in both passes and both models, and rate points of every scheme with an analytic oracle.</summary>
    public static IReadOnlyList<RegressPoint> Nightly { get; } = BuildNightly();

    /// <summary>Runs the suite; <paramref name="sabotage"/> alters rate campaigns (only for proving that the gate can fail).</summary>
    public static IReadOnlyList<RegressRow> Run(
        IReadOnlyList<RegressPoint> suite,
        ulong seed,
        int? trials,
        int threads,
        IReadOnlyDictionary<string, (long Trials, long Successes, long Miscorrected)> baseline,
        Func<CampaignSettings, CampaignSettings>? sabotage = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(suite);
        ArgumentNullException.ThrowIfNull(baseline);
        var tests = suite.Count(p => p.ExactSuccess is not null || p.ErrorRate is not null) + (2 * suite.Count(p => baseline.ContainsKey(p.Id)));
        var alpha = FamilyAlpha / Math.Max(tests, 1);
        var rows = new List<RegressRow>();
        foreach (var point in suite)
        {
            cancellationToken.ThrowIfCancellationRequested();
            OutcomeCounts counts;
            double? expected;
            var shape = new PassShape(16, 16);
            if (point.Errors is { } errors)
            {
                CampaignSettings settings = new DecodeCampaignSettings { Code = point.Code, Pass = point.Pass, Shape = shape, Model = new ErrorValueModel { Kind = point.Model }, Trials = trials ?? 2000, Seed = seed, Threads = threads, MinErrors = errors, MaxErrors = errors };
                var result = DecodeCampaign.Run((DecodeCampaignSettings)(sabotage is null ? settings : sabotage(settings)), null, cancellationToken);
                counts = result.Rows[0].Counts;
                expected = point.ExactSuccess;
            }
            else
            {
                CampaignSettings settings = new RateCampaignSettings { Code = point.Code, Pass = point.Pass, Shape = shape, Model = new ErrorValueModel { Kind = point.Model }, Trials = trials ?? 20_000, Seed = seed, Threads = threads, ErrorRates = [point.ErrorRate!.Value] };
                var row = RateCampaign.Run((RateCampaignSettings)(sabotage is null ? settings : sabotage(settings)), null, cancellationToken)[0];
                counts = row.Counts;
                expected = row.AnalyticSuccessRate;
            }

            bool? oracle = expected is { } p ? Holds(counts.Successes, counts.Trials, p, alpha) : null;
            bool? againstBaseline = null;
            long? baseTrials = null;
            long? baseSuccesses = null;
            long? baseMiscorrected = null;
            bool? miscorrection = MustNotMiscorrect(point) ? counts.Miscorrected == 0 : null;
            if (baseline.TryGetValue(point.Id, out var b))
            {
                (baseTrials, baseSuccesses, baseMiscorrected) = (b.Trials, b.Successes, b.Miscorrected);
                againstBaseline = Overlap(counts.Successes, counts.Trials, b.Successes, b.Trials, alpha);
                miscorrection ??= Overlap(counts.Miscorrected, counts.Trials, b.Miscorrected, b.Trials, alpha);
            }

            rows.Add(new RegressRow(point, counts.Trials, counts.Successes, expected, oracle, baseTrials, baseSuccesses, againstBaseline, counts.Miscorrected, miscorrection, baseMiscorrected));
        }

        return rows;
    }

    /// <summary>
    /// Continuous random errors on a coded scheme: the decoding contract allows no miscorrection at
    /// all (a wrong result is never accepted, whatever the error count), so the gate is exact: 0.
    /// </summary>
    public static bool MustNotMiscorrect(RegressPoint point)
    {
        ArgumentNullException.ThrowIfNull(point);
        return point.Model == ErrorModelKind.Gaussian && point.Code.Scheme != SchemeKind.Uncoded;
    }

    /// <summary>Whether two binomial counts agree: their Clopper-Pearson intervals, each at level alpha/2, overlap.</summary>
    private static bool Overlap(long fresh, long freshTrials, long old, long oldTrials, double alpha)
    {
        var a = BinomialInterval.ClopperPearson(fresh, freshTrials, alpha / 2);
        var b = BinomialInterval.ClopperPearson(old, oldTrials, alpha / 2);
        return a.Low <= b.High && b.Low <= a.High;
    }

    /// <summary>A deliberately broken injector that never strikes <paramref name="node"/>: the sabotage that proves the gate can fail (rate points only).</summary>
    internal static CampaignSettings SpareNode(CampaignSettings settings, int node) =>
        settings is RateCampaignSettings rate ? rate with { ExemptNode = node } : settings;

    /// <summary>A deliberately broken decoder that accepts what it should flag: every detected decode becomes a wrong result returned as good.</summary>
    internal static CampaignSettings AcceptDetected(CampaignSettings settings) => settings with { AcceptDetected = true };

    /// <summary>Whether x successes in n trials lie in the exact two-sided acceptance region of p at level alpha (p inside the Clopper-Pearson interval of x).</summary>
    public static bool Holds(long successes, long trials, double p, double alpha) => BinomialAcceptance.Holds(successes, trials, p, alpha);

    /// <summary>The CSV columns of a report (the baseline file is a report).</summary>
    public static readonly string[] Columns =
    [
        "point", "scheme", "nodes", "m", "n", "pass", "error_model", "errors", "error_rate", "trials", "successes", "success_rate",
        "expected_rate", "oracle_holds", "baseline_trials", "baseline_successes", "baseline_holds", "miscorrected", "baseline_miscorrected",
        "miscorrection_holds", "passed",
    ];

    /// <summary>The report's CSV text.</summary>
    public static string Write(IEnumerable<RegressRow> rows) => CsvTable.Write(Columns, rows.Select(r => (IReadOnlyList<string>)
    [
        r.Point.Id, CodeConfiguration.Name(r.Point.Code.Scheme), Whole(r.Point.Code.NodeCount), Whole(r.Point.Code.RowSplit), Whole(r.Point.Code.ColumnSplit),
        CodeConfiguration.Name(r.Point.Pass), ErrorValueModel.Name(r.Point.Model), Optional(r.Point.Errors), Optional(r.Point.ErrorRate), Whole(r.Trials),
        Whole(r.Successes), Number((double)r.Successes / r.Trials), Optional(r.Expected), Flag(r.OracleHolds),
        r.BaselineTrials is { } t ? Whole(t) : string.Empty, r.BaselineSuccesses is { } s ? Whole(s) : string.Empty, Flag(r.BaselineHolds),
        Whole(r.Miscorrected), r.BaselineMiscorrected is { } bm ? Whole(bm) : string.Empty, Flag(r.MiscorrectionHolds), Flag(r.Passed),
    ]));

    /// <summary>Reads a baseline (a report CSV): point id to trials, successes and miscorrections.</summary>
    public static IReadOnlyDictionary<string, (long Trials, long Successes, long Miscorrected)> ReadBaseline(string text)
    {
        try
        {
            return CsvTable.Read(text, Columns, "baseline").ToDictionary(f => f[0], f => (ParseLong(f[9]), ParseLong(f[10]), ParseLong(f[17])), StringComparer.Ordinal);
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw new InvalidDataException($"malformed baseline: {e.Message}", e);
        }
    }

    private static string Flag(bool? value) => value is null ? string.Empty : value.Value ? "true" : "false";

    private static List<RegressPoint> BuildNightly()
    {
        var gpd = new CodeConfiguration { Scheme = SchemeKind.Gpd, NodeCount = 12, RowSplit = 2, ColumnSplit = 2 };
        var mds = new CodeConfiguration { Scheme = SchemeKind.Mds, NodeCount = 12, RowSplit = 2, ColumnSplit = 2, RowNodes = 4, ColumnNodes = 4 };
        var replication = new CodeConfiguration { Scheme = SchemeKind.Replication, NodeCount = 12, RowSplit = 2, ColumnSplit = 2 };
        var uncoded = new CodeConfiguration { Scheme = SchemeKind.Uncoded, NodeCount = 4, RowSplit = 2, ColumnSplit = 2 };
        return
        [
            // Exact-count cliffs (K_fwd = 5, K_bwd = 6): success 1 within P - K - 1, 0 from P - K.
            new("gpd-forward-gaussian-e6", gpd, PassKind.Forward, ErrorModelKind.Gaussian, 6, null, 1),
            new("gpd-forward-gaussian-e7", gpd, PassKind.Forward, ErrorModelKind.Gaussian, 7, null, 0),
            new("gpd-backward-gaussian-e5", gpd, PassKind.Backward, ErrorModelKind.Gaussian, 5, null, 1),
            new("gpd-backward-gaussian-e6", gpd, PassKind.Backward, ErrorModelKind.Gaussian, 6, null, 0),
            new("gpd-forward-adversarial-e3", gpd, PassKind.Forward, ErrorModelKind.Adversarial, 3, null, 1),
            new("gpd-forward-adversarial-e4", gpd, PassKind.Forward, ErrorModelKind.Adversarial, 4, null, null),
            new("gpd-forward-bitflip-e6", gpd, PassKind.Forward, ErrorModelKind.BitFlip, 6, null, null),

            // The paper's literal construction on real Chebyshev points: the same cliff.
            new("gpd-chebyshev-forward-gaussian-e6", gpd with { Points = EvaluationPointKind.Chebyshev }, PassKind.Forward, ErrorModelKind.Gaussian, 6, null, 1),

            // Rate points against the binomial-tail oracle.
            new("gpd-forward-eps0.2", gpd, PassKind.Forward, ErrorModelKind.Gaussian, null, 0.2, null),
            new("gpd-forward-eps0.3", gpd, PassKind.Forward, ErrorModelKind.Gaussian, null, 0.3, null),
            new("gpd-backward-eps0.3", gpd, PassKind.Backward, ErrorModelKind.Gaussian, null, 0.3, null),
            new("mds-forward-eps0.05", mds, PassKind.Forward, ErrorModelKind.Gaussian, null, 0.05, null),
            new("mds-forward-eps0.1", mds, PassKind.Forward, ErrorModelKind.Gaussian, null, 0.1, null),
            new("replication-forward-eps0.05", replication, PassKind.Forward, ErrorModelKind.Gaussian, null, 0.05, null),
            new("replication-forward-eps0.1", replication, PassKind.Forward, ErrorModelKind.Gaussian, null, 0.1, null),
            new("uncoded-forward-eps0.05", uncoded, PassKind.Forward, ErrorModelKind.Gaussian, null, 0.05, null),
        ];
    }
}

