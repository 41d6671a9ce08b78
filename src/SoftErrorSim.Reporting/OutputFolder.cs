namespace SoftErrorSim.Reporting;

/// <summary>
/// Writes a result folder so that nothing is ever half-written: each file goes to a temporary
/// sibling first and is renamed into place only after every file has been written.
/// </summary>
public static class OutputFolder
{
    /// <summary>Creates the folder if needed and proves it writable; throws <see cref="IOException"/> with a one-line reason otherwise.</summary>
    public static void EnsureWritable(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        try
        {
            Directory.CreateDirectory(directory);
            var probe = Path.Combine(directory, $".write-probe-{Environment.ProcessId}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new IOException($"output folder '{directory}' is not writable: {e.Message}", e);
        }
    }

    /// <summary>Writes all files (name to content) into <paramref name="directory"/>, atomically per file, renaming only at the end.</summary>
    public static void Write(string directory, IReadOnlyDictionary<string, byte[]> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        EnsureWritable(directory);
        var staged = new List<(string Temporary, string Final)>();
        try
        {
            foreach (var (name, content) in files)
            {
                var final = Path.Combine(directory, name);
                var temporary = Path.Combine(directory, $".{name}.{Environment.ProcessId}.tmp");
                File.WriteAllBytes(temporary, content);
                staged.Add((temporary, final));
            }

            foreach (var (temporary, final) in staged)
            {
                File.Move(temporary, final, overwrite: true);
            }
        }
        finally
        {
            foreach (var (temporary, _) in staged)
            {
                if (File.Exists(temporary))
                {
                    File.Delete(temporary);
                }
            }
        }
    }
}
