using SoftErrorSim.Core.Training;
using SoftErrorSim.Reporting;

namespace SoftErrorSim.Cli;

/// <summary>Reads the files the fault environment names; anything missing or malformed is a <see cref="UsageException"/> (exit 2, one line).</summary>
public static class FaultFiles
{
    /// <summary>Reads a faults.csv for --replay-faults: per scheme, its faults.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<FaultRecord>> ReadLog(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new UsageException($"--replay-faults: cannot read '{path}': {e.Message.Split('\n')[0].Trim()}");
        }

        try
        {
            return FaultLogCsv.Read(text);
        }
        catch (FormatException e)
        {
            throw new UsageException($"--replay-faults: '{path}' is not a fault log: {e.Message}");
        }
    }
}
