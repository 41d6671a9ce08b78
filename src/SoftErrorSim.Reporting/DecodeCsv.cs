using System.Globalization;
using SoftErrorSim.Core.Coding;
using SoftErrorSim.Core.Faults;
using SoftErrorSim.Core.MonteCarlo;
using static SoftErrorSim.Reporting.InvariantText;

namespace SoftErrorSim.Reporting;

/// <summary>One row of decode.csv: one error count of a decode campaign.</summary>
public sealed record DecodeCsvRow(
    string Scheme,
    int Nodes,
    int M,
    int N,
    int? D,
    string Pass,
    int Threshold,
    string ErrorModel,
    int Errors,
    long Trials,
    long Clean,
    long Corrected,
    long Detected,
    long Miscorrected,
    double SuccessRate,
    double CiLow,
    double CiHigh,
    ulong Seed,
    string Decoder,
    double MaxConditionNumber,
    int? Tolerance = null);

/// <summary>Writes and reads decode.csv with the invariant culture (a comma-decimal locale never leaks in).</summary>
public static class DecodeCsv
{
    /// <summary>The header, in order.</summary>
    public static readonly string[] Columns =
    [
        "scheme", "nodes", "m", "n", "d", "pass", "threshold", "error_model", "errors", "trials", "clean", "corrected",
        "detected", "miscorrected", "success_rate", "ci_low", "ci_high", "seed", "decoder", "max_condition_number", "tolerance",
    ];

    /// <summary>The rows of a campaign result; <paramref name="tolerance"/> is the decoder's guaranteed tolerance (the figure's dashed line), kept in every row so `plot` can redraw the figure from the CSV alone.</summary>
    public static IReadOnlyList<DecodeCsvRow> Rows(DecodeCampaignResult result, int? tolerance = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        var s = result.Settings;
        return result.Rows.Select(r =>
        {
            var interval = r.Counts.Wilson;
            return new DecodeCsvRow(
                CodeConfiguration.Name(s.Code.Scheme),
                s.Code.NodeCount,
                s.Code.RowSplit,
                s.Code.ColumnSplit,
                s.Code.BatchSplit,
                CodeConfiguration.Name(s.Pass),
                result.RecoveryThreshold,
                ErrorValueModel.Name(s.Model.Kind),
                r.Errors,
                r.Counts.Trials,
                r.Counts.Clean,
                r.Counts.Corrected,
                r.Counts.Detected,
                r.Counts.Miscorrected,
                r.Counts.SuccessRate,
                interval.Low,
                interval.High,
                s.Seed,
                DecoderName(s.EffectiveDecoder),
                r.MaxConditionNumber,
                tolerance);
        }).ToList();
    }

    /// <summary>The command-line name of a decoder.</summary>
    public static string DecoderName(SoftErrorSim.Core.Decoding.DecoderKind kind) =>
        kind == SoftErrorSim.Core.Decoding.DecoderKind.BoundedDistance ? "bounded-distance" : "probability-one";

    /// <summary>Writes the CSV text of <paramref name="rows"/>.</summary>
    public static string Write(IEnumerable<DecodeCsvRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return CsvTable.Write(Columns, rows.Select(row => (IReadOnlyList<string>)
        [
            row.Scheme, Whole(row.Nodes), Whole(row.M), Whole(row.N), Optional(row.D), row.Pass, Whole(row.Threshold),
            row.ErrorModel, Whole(row.Errors), Whole(row.Trials), Whole(row.Clean), Whole(row.Corrected), Whole(row.Detected),
            Whole(row.Miscorrected), Number(row.SuccessRate), Number(row.CiLow), Number(row.CiHigh),
            row.Seed.ToString(CultureInfo.InvariantCulture), row.Decoder, Number(row.MaxConditionNumber), Optional(row.Tolerance),
        ]));
    }

    /// <summary>Reads decode.csv text back (for `plot`, merges and tests); throws <see cref="InvalidDataException"/> when malformed.</summary>
    public static IReadOnlyList<DecodeCsvRow> Read(string text)
    {
        try
        {
            return CsvTable.Read(text, Columns, "decode.csv").Select(f => new DecodeCsvRow(
                f[0], ParseInt(f[1]), ParseInt(f[2]), ParseInt(f[3]), ParseOptionalInt(f[4]), f[5], ParseInt(f[6]), f[7],
                ParseInt(f[8]), ParseLong(f[9]), ParseLong(f[10]), ParseLong(f[11]), ParseLong(f[12]), ParseLong(f[13]),
                ParseDouble(f[14]), ParseDouble(f[15]), ParseDouble(f[16]), ParseULong(f[17]), f[18],
                ParseDouble(f[19]), ParseOptionalInt(f[20]))).ToList();
        }
        catch (FormatException e)
        {
            throw new InvalidDataException($"malformed decode.csv: {e.Message}", e);
        }
    }
}
