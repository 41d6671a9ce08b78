using System.Globalization;
using SoftErrorSim.Core.Training;
using static SoftErrorSim.Reporting.InvariantText;

namespace SoftErrorSim.Reporting;

/// <summary>One row of train.csv: one round of one scheme's run.</summary>
public sealed record TrainCsvRow(
    string Scheme,
    int Round,
    long SamplesSeen,
    double Loss,
    double TestAccuracy,
    long Decodes,
    long Clean,
    long Corrected,
    long Detected,
    long Miscorrected,
    long Repairs,
    long Rollbacks,
    double SimulatedSeconds,
    double Flops,
    double WordsSent,
    double TestLoss,
    long FaultsInjected,
    int Nodes,
    int ForwardThreshold,
    int BackwardThreshold,
    double ErrorRate,
    ulong Seed);

/// <summary>Writes and reads train.csv with the invariant culture.</summary>
public static class TrainCsv
{
    /// <summary>The header: the columns first, then test loss, faults, nodes, thresholds, error rate and seed.</summary>
    public static readonly string[] Columns =
    [
        "scheme", "round", "samples_seen", "loss", "test_accuracy", "decodes", "clean", "corrected", "detected", "miscorrected",
        "repairs", "rollbacks", "simulated_seconds", "flops", "words_sent", "test_loss", "faults_injected", "nodes",
        "forward_threshold", "backward_threshold", "error_rate", "seed",
    ];

    /// <summary>The rows of one run.</summary>
    public static IEnumerable<TrainCsvRow> Rows(TrainingResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var s = result.Settings;
        var rate = s.Scheme == TrainingScheme.FaultFree ? 0 : s.ErrorRate;
        return result.Rows.Select(r => new TrainCsvRow(
            r.Scheme, r.Round, r.SamplesSeen, r.Loss, r.TestAccuracy, r.Decodes, r.Clean, r.Corrected, r.Detected, r.Miscorrected,
            r.Repairs, r.Rollbacks, r.SimulatedSeconds, r.Flops, r.WordsSent, r.TestLoss, r.FaultsInjected, result.NodeCount,
            result.ForwardThreshold, result.BackwardThreshold, rate, s.Seed));
    }

    /// <summary>The CSV text.</summary>
    public static string Write(IEnumerable<TrainCsvRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return CsvTable.Write(Columns, rows.Select(r => (IReadOnlyList<string>)
        [
            r.Scheme, Whole(r.Round), Whole(r.SamplesSeen), Number(r.Loss), Number(r.TestAccuracy), Whole(r.Decodes), Whole(r.Clean),
            Whole(r.Corrected), Whole(r.Detected), Whole(r.Miscorrected), Whole(r.Repairs), Whole(r.Rollbacks), Number(r.SimulatedSeconds),
            Number(r.Flops), Number(r.WordsSent), Number(r.TestLoss), Whole(r.FaultsInjected), Whole(r.Nodes), Whole(r.ForwardThreshold),
            Whole(r.BackwardThreshold), Number(r.ErrorRate), r.Seed.ToString(CultureInfo.InvariantCulture),
        ]));
    }

    /// <summary>Reads train.csv text; throws <see cref="InvalidDataException"/> when malformed.</summary>
    public static IReadOnlyList<TrainCsvRow> Read(string text)
    {
        try
        {
            return CsvTable.Read(text, Columns, "train.csv").Select(f => new TrainCsvRow(
                f[0], ParseInt(f[1]), ParseLong(f[2]), ParseDouble(f[3]), ParseDouble(f[4]), ParseLong(f[5]), ParseLong(f[6]), ParseLong(f[7]),
                ParseLong(f[8]), ParseLong(f[9]), ParseLong(f[10]), ParseLong(f[11]), ParseDouble(f[12]), ParseDouble(f[13]), ParseDouble(f[14]),
                ParseDouble(f[15]), ParseLong(f[16]), ParseInt(f[17]), ParseInt(f[18]), ParseInt(f[19]), ParseDouble(f[20]), ParseULong(f[21]))).ToList();
        }
        catch (FormatException e)
        {
            throw new InvalidDataException($"malformed train.csv: {e.Message}", e);
        }
    }
}
