using SoftErrorSim.Core.MonteCarlo;
using static SoftErrorSim.Reporting.InvariantText;

namespace SoftErrorSim.Reporting;

/// <summary>
/// One row of strata.csv, written beside sweep.csv by a stratified sweep: one stratum (e erring
/// nodes) of one point (<see cref="Point"/>, the 0-based row of sweep.csv), its exact weight, how
/// it is estimated, its allocated trials and the outcome counts of the trials run. It is what
/// `merge` adds up per stratum, and a capability curve P(fail | e) in its own right.
/// </summary>
public sealed record SweepStrataRow(
    int Point,
    string Scheme,
    int Nodes,
    int M,
    int N,
    int? D,
    int? RowNodes,
    int? ColumnNodes,
    double ErrorRate,
    int Errors,
    double Weight,
    string Kind,
    double ExactFailure,
    double ExactSilent,
    int Allocated,
    long Trials,
    long Clean,
    long Corrected,
    long Detected,
    long Miscorrected)
{
    /// <summary>The outcome counts.</summary>
    public OutcomeCounts Counts => new(Clean, Corrected, Detected, Miscorrected);

    /// <summary>The stratum as the estimator sees it.</summary>
    public Stratum Stratum => new(Errors, Weight, SweepStrataCsv.ParseKind(Kind), ExactFailure, ExactSilent, Allocated, 0);

    /// <summary>P(fail | e): exact, or the fraction of the stratum's trials that failed (NaN without trials).</summary>
    public double FailureGivenErrors => Kind == SweepStrataCsv.KindName(StratumKind.Exact)
        ? ExactFailure
        : Trials == 0 ? double.NaN : (double)(Detected + Miscorrected) / Trials;
}

/// <summary>Writes and reads strata.csv with the invariant culture.</summary>
public static class SweepStrataCsv
{
    /// <summary>The file name beside sweep.csv.</summary>
    public const string FileName = "strata.csv";

    /// <summary>The header.</summary>
    public static readonly string[] Columns =
    [
        "point", "scheme", "nodes", "m", "n", "d", "row_nodes", "col_nodes", "error_rate", "errors", "weight", "kind", "exact_failure",
        "exact_silent", "allocated_trials", "trials", "clean", "corrected", "detected", "miscorrected", "failure_given_errors",
    ];

    /// <summary>The name of a stratum kind in the file.</summary>
    public static string KindName(StratumKind kind) => kind switch
    {
        StratumKind.Exact => "exact",
        StratumKind.Checked => "checked",
        _ => "sampled",
    };

    /// <summary>Parses a stratum kind.</summary>
    public static StratumKind ParseKind(string name) => name switch
    {
        "exact" => StratumKind.Exact,
        "checked" => StratumKind.Checked,
        "sampled" => StratumKind.Sampled,
        _ => throw new FormatException($"unknown stratum kind '{name}' (exact, checked, sampled)"),
    };

    /// <summary>The strata rows of a stratified sweep's points, point after point.</summary>
    public static IReadOnlyList<SweepStrataRow> Rows(IReadOnlyList<SweepPoint> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        var rows = new List<SweepStrataRow>();
        for (var i = 0; i < points.Count; i++)
        {
            var p = points[i];
            if (p.Stratified is not { } stratified)
            {
                continue;
            }

            for (var s = 0; s < stratified.Strata.Count; s++)
            {
                var stratum = stratified.Strata[s];
                var c = stratified.Counts[s];
                rows.Add(new SweepStrataRow(
                    i, Core.Coding.CodeConfiguration.Name(p.Code.Scheme), p.Code.NodeCount, p.Code.RowSplit, p.Code.ColumnSplit, p.Code.BatchSplit,
                    p.Code.RowNodes, p.Code.ColumnNodes, p.Row.ErrorRate, stratum.Errors, stratum.Weight, KindName(stratum.Kind),
                    stratum.ExactFailure, stratum.ExactSilent, stratum.Trials, c.Trials, c.Clean, c.Corrected, c.Detected, c.Miscorrected));
            }
        }

        return rows;
    }

    /// <summary>The CSV text.</summary>
    public static string Write(IEnumerable<SweepStrataRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return CsvTable.Write(Columns, rows.Select(r => (IReadOnlyList<string>)
        [
            Whole(r.Point), r.Scheme, Whole(r.Nodes), Whole(r.M), Whole(r.N), Optional(r.D), Optional(r.RowNodes), Optional(r.ColumnNodes),
            Number(r.ErrorRate), Whole(r.Errors), Number(r.Weight), r.Kind, Number(r.ExactFailure), Number(r.ExactSilent), Whole(r.Allocated),
            Whole(r.Trials), Whole(r.Clean), Whole(r.Corrected), Whole(r.Detected), Whole(r.Miscorrected),
            r.Trials == 0 && r.Kind != KindName(StratumKind.Exact) ? string.Empty : Number(r.FailureGivenErrors),
        ]));
    }

    /// <summary>Reads strata.csv text; throws <see cref="InvalidDataException"/> when malformed.</summary>
    public static IReadOnlyList<SweepStrataRow> Read(string text)
    {
        try
        {
            return CsvTable.Read(text, Columns, FileName).Select(f =>
            {
                var row = new SweepStrataRow(
                    ParseInt(f[0]), f[1], ParseInt(f[2]), ParseInt(f[3]), ParseInt(f[4]), ParseOptionalInt(f[5]), ParseOptionalInt(f[6]),
                    ParseOptionalInt(f[7]), ParseDouble(f[8]), ParseInt(f[9]), ParseDouble(f[10]), f[11], ParseDouble(f[12]), ParseDouble(f[13]),
                    ParseInt(f[14]), ParseLong(f[15]), ParseLong(f[16]), ParseLong(f[17]), ParseLong(f[18]), ParseLong(f[19]));
                ParseKind(row.Kind);
                if (row.Counts.Trials != row.Trials || row.Clean < 0 || row.Corrected < 0 || row.Detected < 0 || row.Miscorrected < 0)
                {
                    throw new FormatException($"point {row.Point} stratum {row.Errors}: the outcome counts do not add up to its {row.Trials} trials");
                }

                return row;
            }).ToList();
        }
        catch (FormatException e)
        {
            throw new InvalidDataException($"malformed {FileName}: {e.Message}", e);
        }
    }

    /// <summary>The failure and silent-failure estimates of one point from its strata rows (in order of e).</summary>
    public static (StratifiedEstimate Failure, StratifiedEstimate Silent) Estimate(IReadOnlyList<SweepStrataRow> strata)
    {
        ArgumentNullException.ThrowIfNull(strata);
        return StratifiedCampaign.Estimate(strata.Select(s => s.Stratum).ToArray(), strata.Select(s => s.Counts).ToArray());
    }
}
