using System.Globalization;
using SoftErrorSim.Core.Coding;
using SoftErrorSim.Core.Faults;
using SoftErrorSim.Core.MonteCarlo;
using static SoftErrorSim.Reporting.InvariantText;

namespace SoftErrorSim.Reporting;

/// <summary>One row of sweep.csv: one configuration at one per-node error rate.</summary>
public sealed record SweepCsvRow(
    string Scheme,
    int Nodes,
    int M,
    int N,
    int? D,
    string Pass,
    string ErrorModel,
    double ErrorRate,
    long Trials,
    long Clean,
    long Corrected,
    long Detected,
    long Miscorrected,
    double SuccessRate,
    double CiLow,
    double CiHigh,
    double? AnalyticSuccessRate,
    ulong Seed,
    string Decoder,
    int? RowNodes,
    int? ColumnNodes,
    double? AnalyticFailureRate)
{
    /// <summary>How the failure rate was estimated: plain (Monte Carlo at the rate) or stratified (exact weights of the number of erring nodes, exact-count trials per stratum).</summary>
    public string Estimator { get; init; } = SweepCsv.Plain;

    /// <summary>The estimated failure rate (detected or miscorrected), 1 - success, with its digits kept.</summary>
    public double FailureRate { get; init; }

    /// <summary>Lower end of the failure rate's 95% interval (plain: Wilson; stratified: Bonferroni-combined Clopper-Pearson).</summary>
    public double FailureCiLow { get; init; }

    /// <summary>Upper end of the failure rate's 95% interval.</summary>
    public double FailureCiHigh { get; init; }

    /// <summary>The failure rate's standard error.</summary>
    public double FailureStandardError { get; init; }

    /// <summary>The estimated silent-failure (miscorrection) rate.</summary>
    public double SilentRate { get; init; }

    /// <summary>Lower end of the silent-failure rate's 95% interval.</summary>
    public double SilentCiLow { get; init; }

    /// <summary>Upper end of the silent-failure rate's 95% interval.</summary>
    public double SilentCiHigh { get; init; }

    /// <summary>Whether the row holds a stratified estimate (its counts are then those of exact-count trials, not a sample at the rate).</summary>
    public bool IsStratified => Estimator == SweepCsv.Stratified;

    /// <summary>The series a row belongs to in the figure (everything but the error rate).</summary>
    public string SeriesLabel =>
        $"{Scheme} P={Nodes} m={M} n={N}" + (D is { } d ? $" d={d}" : string.Empty) + (RowNodes is { } pr ? $" ({pr}x{ColumnNodes} grid)" : string.Empty);
}

/// <summary>Writes and reads sweep.csv with the invariant culture.</summary>
public static class SweepCsv
{
    /// <summary>The estimator name of plain Monte Carlo rows.</summary>
    public const string Plain = "plain";

    /// <summary>The estimator name of stratified rows.</summary>
    public const string Stratified = "stratified";

    /// <summary>The header before the estimator columns were added: files with it still read (as plain rows).</summary>
    public static readonly string[] LegacyColumns =
    [
        "scheme", "nodes", "m", "n", "d", "pass", "error_model", "error_rate", "trials", "clean", "corrected", "detected",
        "miscorrected", "success_rate", "ci_low", "ci_high", "analytic_success_rate", "seed", "decoder", "row_nodes", "col_nodes",
        "analytic_failure_rate",
    ];

    /// <summary>
    /// The header, in order: the columns first, then decoder, CodeNet grid and the directly
    /// computed analytic failure rate, then the estimator and its failure and silent-failure
    /// estimates. For stratified rows the counts are those of the exact-count trials (not a sample
    /// at the rate: their ratios mean nothing), success_rate is 1 - failure_rate and ci_low/ci_high
    /// the failure interval's complement.
    /// </summary>
    public static readonly string[] Columns =
    [
        .. LegacyColumns, "estimator", "failure_rate", "failure_ci_low", "failure_ci_high", "failure_standard_error",
        "silent_failure_rate", "silent_ci_low", "silent_ci_high",
    ];

    /// <summary>The rows of a sweep.</summary>
    public static IReadOnlyList<SweepCsvRow> Rows(IEnumerable<SweepPoint> points, RateCampaignSettings template)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(template);
        return points.Select(p =>
        {
            var row = new SweepCsvRow(
                CodeConfiguration.Name(p.Code.Scheme), p.Code.NodeCount, p.Code.RowSplit, p.Code.ColumnSplit, p.Code.BatchSplit,
                CodeConfiguration.Name(template.Pass), ErrorValueModel.Name(template.Model.Kind), p.Row.ErrorRate, p.Row.Counts.Trials,
                p.Row.Counts.Clean, p.Row.Counts.Corrected, p.Row.Counts.Detected, p.Row.Counts.Miscorrected, 0, 0, 0,
                p.Row.AnalyticSuccessRate, template.Seed, DecodeCsv.DecoderName(template.EffectiveDecoder),
                p.Code.RowNodes, p.Code.ColumnNodes, p.Row.AnalyticFailureRate);
            return p.Stratified is { } stratified ? WithStratified(row, stratified.Failure, stratified.Silent) : WithPlain(row);
        }).ToList();
    }

    /// <summary>A row's plain estimates from its counts: success rate and Wilson interval, failure and silent-failure rates with their Wilson intervals and the binomial standard error.</summary>
    public static SweepCsvRow WithPlain(SweepCsvRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var counts = new OutcomeCounts(row.Clean, row.Corrected, row.Detected, row.Miscorrected);
        var success = counts.Wilson;
        var failures = counts.Detected + counts.Miscorrected;
        var failure = ExactEnds(Core.Statistics.BinomialInterval.Wilson(failures, counts.Trials), failures, counts.Trials);
        var silent = ExactEnds(Core.Statistics.BinomialInterval.Wilson(counts.Miscorrected, counts.Trials), counts.Miscorrected, counts.Trials);
        var rate = counts.Trials == 0 ? double.NaN : (double)failures / counts.Trials;
        return row with
        {
            SuccessRate = counts.SuccessRate,
            CiLow = success.Low,
            CiHigh = success.High,
            Estimator = Plain,
            FailureRate = rate,
            FailureCiLow = failure.Low,
            FailureCiHigh = failure.High,
            FailureStandardError = Math.Sqrt(rate * (1 - rate) / counts.Trials),
            SilentRate = counts.Trials == 0 ? double.NaN : (double)counts.Miscorrected / counts.Trials,
            SilentCiLow = silent.Low,
            SilentCiHigh = silent.High,
        };
    }

    /// <summary>
    /// The Wilson interval with its exact ends at no event (low 0) and all events (high 1): the
    /// formula's centre - half leaves a rounding residue there (2^-60 at 0 of 300), which a rate
    /// column should not print. The older success columns keep the formula's bytes.
    /// </summary>
    private static Core.Statistics.ProportionInterval ExactEnds(Core.Statistics.ProportionInterval wilson, long events, long trials) =>
        trials == 0 ? wilson : new(events == 0 ? 0 : wilson.Low, events == trials ? 1 : wilson.High);

    /// <summary>A row's stratified estimates: success is 1 - failure, its interval the failure interval's complement.</summary>
    public static SweepCsvRow WithStratified(SweepCsvRow row, StratifiedEstimate failure, StratifiedEstimate silent)
    {
        ArgumentNullException.ThrowIfNull(row);
        return row with
        {
            SuccessRate = 1 - failure.Rate,
            CiLow = 1 - failure.High,
            CiHigh = 1 - failure.Low,
            Estimator = Stratified,
            FailureRate = failure.Rate,
            FailureCiLow = failure.Low,
            FailureCiHigh = failure.High,
            FailureStandardError = failure.StandardError,
            SilentRate = silent.Rate,
            SilentCiLow = silent.Low,
            SilentCiHigh = silent.High,
        };
    }

    /// <summary>The CSV text.</summary>
    public static string Write(IEnumerable<SweepCsvRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return CsvTable.Write(Columns, rows.Select(r => (IReadOnlyList<string>)
        [
            r.Scheme, Whole(r.Nodes), Whole(r.M), Whole(r.N), Optional(r.D), r.Pass, r.ErrorModel, Number(r.ErrorRate),
            Whole(r.Trials), Whole(r.Clean), Whole(r.Corrected), Whole(r.Detected), Whole(r.Miscorrected), Number(r.SuccessRate),
            Number(r.CiLow), Number(r.CiHigh), Optional(r.AnalyticSuccessRate),
            r.Seed.ToString(CultureInfo.InvariantCulture), r.Decoder, Optional(r.RowNodes), Optional(r.ColumnNodes),
            Optional(r.AnalyticFailureRate), r.Estimator, Number(r.FailureRate), Number(r.FailureCiLow), Number(r.FailureCiHigh),
            Number(r.FailureStandardError), Number(r.SilentRate), Number(r.SilentCiLow), Number(r.SilentCiHigh),
        ]));
    }

    /// <summary>Reads sweep.csv text; throws <see cref="InvalidDataException"/> when malformed.</summary>
    public static IReadOnlyList<SweepCsvRow> Read(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        try
        {
            // A file written before the estimator columns existed holds plain rows: their estimates follow from the counts.
            var legacy = text.StartsWith(string.Join(',', LegacyColumns) + "\n", StringComparison.Ordinal);
            return CsvTable.Read(text, legacy ? LegacyColumns : Columns, "sweep.csv").Select(f =>
            {
                var row = new SweepCsvRow(
                    f[0], ParseInt(f[1]), ParseInt(f[2]), ParseInt(f[3]), ParseOptionalInt(f[4]), f[5], f[6], ParseDouble(f[7]), ParseLong(f[8]),
                    ParseLong(f[9]), ParseLong(f[10]), ParseLong(f[11]), ParseLong(f[12]), ParseDouble(f[13]), ParseDouble(f[14]),
                    ParseDouble(f[15]), ParseOptionalDouble(f[16]), ParseULong(f[17]), f[18],
                    ParseOptionalInt(f[19]), ParseOptionalInt(f[20]), ParseOptionalDouble(f[21]));
                if (legacy)
                {
                    return WithPlain(row) with { SuccessRate = row.SuccessRate, CiLow = row.CiLow, CiHigh = row.CiHigh };
                }

                if (f[22] is not (Plain or Stratified))
                {
                    throw new FormatException($"unknown estimator '{f[22]}' (plain, stratified)");
                }

                return row with
                {
                    Estimator = f[22],
                    FailureRate = ParseDouble(f[23]),
                    FailureCiLow = ParseDouble(f[24]),
                    FailureCiHigh = ParseDouble(f[25]),
                    FailureStandardError = ParseDouble(f[26]),
                    SilentRate = ParseDouble(f[27]),
                    SilentCiLow = ParseDouble(f[28]),
                    SilentCiHigh = ParseDouble(f[29]),
                };
            }).ToList();
        }
        catch (FormatException e)
        {
            throw new InvalidDataException($"malformed sweep.csv: {e.Message}", e);
        }
    }
}
