namespace SoftErrorSim.Reporting;

/// <summary>
/// Writes a result folder so that nothing is ever half-written: each file goes to a temporary
/// sibling first and is renamed into place only after every file has been written.
/// </summary>
public static class OutputFolder
{
    /// <summary>The lock file a run holds inside its output folder while it runs.</summary>
    public const string LockFileName = ".softerrorsim.lock";

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

    /// <summary>
    /// Takes <paramref name="directory"/> for one run: creates it if missing, locks it against every
    /// other run (an OS lock on <see cref="LockFileName"/>, released by the OS if the process dies,
    /// so a crash never leaves a stale lock), and refuses it when it already holds any of
    /// <paramref name="results"/> (paths relative to the folder) unless <paramref name="overwrite"/>.
    /// Throws <see cref="OutputFolderException"/> with a one-line reason. Dispose the claim to unlock;
    /// a folder the claim created that is still empty then is removed again.
    /// </summary>
    public static OutputClaim Claim(string directory, IEnumerable<string> results, bool overwrite)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentNullException.ThrowIfNull(results);
        var full = Path.GetFullPath(directory);
        var created = FirstMissing(full);
        FileStream lockFile;
        try
        {
            Directory.CreateDirectory(full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            RemoveIfEmpty(full, created);
            throw new OutputFolderException($"output folder '{directory}' is not writable: {e.Message}", e);
        }

        var lockPath = Path.Combine(full, LockFileName);
        try
        {
            lockFile = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
        }
        catch (UnauthorizedAccessException e)
        {
            RemoveIfEmpty(full, created);
            throw new OutputFolderException($"output folder '{directory}' is not writable: {e.Message}", e);
        }
        catch (IOException e) when (File.Exists(lockPath))
        {
            // The lock file is there and another process holds its lock.
            throw new OutputFolderException($"output folder '{directory}' is in use by another softerrorsim run; wait for it to finish or choose another --out", e);
        }
        catch (IOException e)
        {
            RemoveIfEmpty(full, created);
            throw new OutputFolderException($"output folder '{directory}' is not writable: {e.Message}", e);
        }

        var claim = new OutputClaim(full, created, lockFile);
        var present = results.Where(r => File.Exists(Path.Combine(full, r))).ToList();
        if (present.Count > 0 && !overwrite)
        {
            claim.Dispose();
            throw new OutputFolderException(
                $"output folder '{directory}' already holds results of another run ({string.Join(", ", present.Take(3))}{(present.Count > 3 ? ", ..." : string.Empty)}); add --force to overwrite them, or choose another --out");
        }

        return claim;
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

    /// <summary>The outermost folder of <paramref name="full"/> that does not exist yet (null when it exists).</summary>
    private static string? FirstMissing(string full)
    {
        string? missing = null;
        for (var folder = full; !string.IsNullOrEmpty(folder) && !Directory.Exists(folder); folder = Path.GetDirectoryName(folder))
        {
            missing = folder;
        }

        return missing;
    }

    /// <summary>Removes <paramref name="full"/> and its parents up to <paramref name="created"/> while they are empty.</summary>
    internal static void RemoveIfEmpty(string full, string? created)
    {
        if (created is null)
        {
            return;
        }

        for (var folder = full; folder is not null && folder.Length >= created.Length; folder = Path.GetDirectoryName(folder))
        {
            try
            {
                if (!Directory.Exists(folder) || Directory.EnumerateFileSystemEntries(folder).Any())
                {
                    return;
                }

                Directory.Delete(folder);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return; // another process wrote into it meanwhile: it is no longer ours to remove
            }
        }
    }
}

/// <summary>An output folder held by one run (see <see cref="OutputFolder.Claim"/>).</summary>
public sealed class OutputClaim : IDisposable
{
    private readonly string? _created;
    private FileStream? _lock;

    internal OutputClaim(string directory, string? created, FileStream lockFile)
    {
        Directory = directory;
        _created = created;
        _lock = lockFile;
    }

    /// <summary>The folder's full path.</summary>
    public string Directory { get; }

    /// <summary>True when the claim created the folder (it is removed again if the run leaves it empty).</summary>
    public bool Created => _created is not null;

    /// <summary>Unlocks the folder (the lock file goes with the lock) and removes the folder if this claim created it and nothing was written.</summary>
    public void Dispose()
    {
        var held = Interlocked.Exchange(ref _lock, null);
        if (held is null)
        {
            return;
        }

        held.Dispose();
        OutputFolder.RemoveIfEmpty(Directory, _created);
    }
}

/// <summary>An output folder that cannot be used: not writable, in use by another run, or holding another run's results.</summary>
public sealed class OutputFolderException : IOException
{
    /// <summary>Creates the exception with its one-line message.</summary>
    public OutputFolderException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with no message.</summary>
    public OutputFolderException()
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public OutputFolderException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
