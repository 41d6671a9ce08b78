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
    /// <summary>The series a row belongs to in the figure (everything but the error rate).</summary>
    public string SeriesLabel =>
        $"{Scheme} P={Nodes} m={M} n={N}" + (D is { } d ? $" d={d}" : string.Empty) + (RowNodes is { } pr ? $" ({pr}x{ColumnNodes} grid)" : string.Empty);
}

/// <summary>Writes and reads sweep.csv with the invariant culture.</summary>
public static class SweepCsv
{
    /// <summary>The header, in order: the columns first, then decoder, CodeNet grid and the directly computed analytic failure rate.</summary>
    public static readonly string[] Columns =
    [
        "scheme", "nodes", "m", "n", "d", "pass", "error_model", "error_rate", "trials", "clean", "corrected", "detected",
        "miscorrected", "success_rate", "ci_low", "ci_high", "analytic_success_rate", "seed", "decoder", "row_nodes", "col_nodes",
        "analytic_failure_rate",
    ];

    /// <summary>The rows of a sweep.</summary>
    public static IReadOnlyList<SweepCsvRow> Rows(IEnumerable<SweepPoint> points, RateCampaignSettings template)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(template);
        return points.Select(p =>
        {
            var interval = p.Row.Counts.Wilson;
            return new SweepCsvRow(
                CodeConfiguration.Name(p.Code.Scheme), p.Code.NodeCount, p.Code.RowSplit, p.Code.ColumnSplit, p.Code.BatchSplit,
                CodeConfiguration.Name(template.Pass), ErrorValueModel.Name(template.Model.Kind), p.Row.ErrorRate, p.Row.Counts.Trials,
                p.Row.Counts.Clean, p.Row.Counts.Corrected, p.Row.Counts.Detected, p.Row.Counts.Miscorrected, p.Row.Counts.SuccessRate,
                interval.Low, interval.High, p.Row.AnalyticSuccessRate, template.Seed, DecodeCsv.DecoderName(template.EffectiveDecoder),
                p.Code.RowNodes, p.Code.ColumnNodes, p.Row.AnalyticFailureRate);
        }).ToList();
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
            Optional(r.AnalyticFailureRate),
        ]));
    }

    /// <summary>Reads sweep.csv text; throws <see cref="InvalidDataException"/> when malformed.</summary>
    public static IReadOnlyList<SweepCsvRow> Read(string text)
    {
        try
        {
            return CsvTable.Read(text, Columns, "sweep.csv").Select(f => new SweepCsvRow(
                f[0], ParseInt(f[1]), ParseInt(f[2]), ParseInt(f[3]), ParseOptionalInt(f[4]), f[5], f[6], ParseDouble(f[7]), ParseLong(f[8]),
                ParseLong(f[9]), ParseLong(f[10]), ParseLong(f[11]), ParseLong(f[12]), ParseDouble(f[13]), ParseDouble(f[14]),
                ParseDouble(f[15]), ParseOptionalDouble(f[16]), ParseULong(f[17]), f[18],
                ParseOptionalInt(f[19]), ParseOptionalInt(f[20]), ParseOptionalDouble(f[21]))).ToList();
        }
        catch (FormatException e)
        {
            throw new InvalidDataException($"malformed sweep.csv: {e.Message}", e);
        }
    }
}
