using System.Globalization;
using System.Text;
using SoftErrorSim.Core.Faults;
using SoftErrorSim.Core.Training;

namespace SoftErrorSim.Reporting;

/// <summary>
/// faults.csv (SPEC 3, the fault log): one row per injected fault, in the run's order, with the
/// invariant culture. Its stream_state column is what a replay needs to redraw the fault exactly;
/// the other columns say where it struck, what it did, why (cause: independent, burst, or both)
/// and what the cluster made of it. Logs written before the cause column (no bursts) still read.
/// </summary>
public static class FaultLogCsv
{
    /// <summary>The header.</summary>
    public static readonly string[] Columns =
    [
        "scheme", "step", "sample", "layer", "pass", "node", "step_kind", "fault_kind", "detail", "verdict", "cause", "stream_state",
    ];

    /// <summary>The header of logs written before bursts (every fault independent).</summary>
    private static readonly string[] ColumnsWithoutCause = [.. Columns.Where(c => c != "cause")];

    /// <summary>The file's text for the runs' logs, one scheme after another.</summary>
    public static string Write(IEnumerable<(string Scheme, IReadOnlyList<FaultRecord> Faults)> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var text = new StringBuilder(string.Join(",", Columns)).Append('\n');
        foreach (var (scheme, faults) in runs)
        {
            foreach (var f in faults)
            {
                text.Append(CultureInfo.InvariantCulture, $"{scheme},{f.Step},{f.Sample},{f.Layer},{(f.Forward ? "forward" : "backward")},{f.Node},{FaultRecord.Name(f.Kind)},{ErrorValueModel.Name(f.FaultKind)},{f.Detail.Replace(',', ';')},{FaultRecord.Name(f.Verdict)},{FaultRecord.Name(f.Cause)},{f.StreamState}\n");
            }
        }

        return text.ToString();
    }

    /// <summary>Reads a fault log: per scheme, its faults. Throws <see cref="FormatException"/> naming the first line that is wrong.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<FaultRecord>> Read(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var withCause = lines.Count > 0 && lines[0] == string.Join(",", Columns);
        if (!withCause && (lines.Count == 0 || lines[0] != string.Join(",", ColumnsWithoutCause)))
        {
            throw new FormatException($"the first line must be the header {string.Join(",", Columns)}");
        }

        var runs = new Dictionary<string, List<FaultRecord>>(StringComparer.Ordinal);
        for (var i = 1; i < lines.Count; i++)
        {
            if (lines[i].Length == 0)
            {
                continue;
            }

            var f = lines[i].Split(',');
            var shaped = f.Length == (withCause ? Columns : ColumnsWithoutCause).Length;
            var cause = (FaultCause?)FaultCause.Independent;
            if (withCause && shaped)
            {
                cause = Enum.GetValues<FaultCause>().Where(c => FaultRecord.Name(c) == f[10]).Select(c => (FaultCause?)c).FirstOrDefault();
                f = [.. f[..10], f[11]];
            }

            if (!shaped
                || cause is null
                || !long.TryParse(f[1], NumberStyles.None, CultureInfo.InvariantCulture, out var step)
                || !int.TryParse(f[2], NumberStyles.None, CultureInfo.InvariantCulture, out var sample)
                || !int.TryParse(f[3], NumberStyles.None, CultureInfo.InvariantCulture, out var layer)
                || f[4] is not ("forward" or "backward")
                || !int.TryParse(f[5], NumberStyles.None, CultureInfo.InvariantCulture, out var node)
                || !Enum.GetValues<FaultSteps>().Any(s => s != FaultSteps.None && FaultRecord.Name(s) == f[6])
                || !Enum.GetValues<ErrorModelKind>().Any(k => ErrorValueModel.Name(k) == f[7])
                || !Enum.GetValues<FaultVerdict>().Any(v => FaultRecord.Name(v) == f[9])
                || !IsState(f[10]))
            {
                throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"line {i + 1} is not a fault row ({Columns.Length} fields: {string.Join(",", Columns)})"));
            }

            var record = new FaultRecord(
                step,
                sample,
                layer,
                f[4] == "forward",
                node,
                Enum.GetValues<FaultSteps>().First(s => s != FaultSteps.None && FaultRecord.Name(s) == f[6]),
                Enum.GetValues<ErrorModelKind>().First(k => ErrorValueModel.Name(k) == f[7]),
                f[8],
                Enum.GetValues<FaultVerdict>().First(v => FaultRecord.Name(v) == f[9]),
                f[10])
            {
                Cause = cause.Value,
            };
            if (!runs.TryGetValue(f[0], out var list))
            {
                runs[f[0]] = list = [];
            }

            list.Add(record);
        }

        return runs.ToDictionary(r => r.Key, r => (IReadOnlyList<FaultRecord>)r.Value, StringComparer.Ordinal);
    }

    private static bool IsState(string text) => text.Length == 64 && text.All(char.IsAsciiHexDigitLower);
}
