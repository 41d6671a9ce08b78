namespace SoftErrorSim.Cli;

/// <summary>Where a command writes: its output, its errors, and whether progress may be drawn.</summary>
/// <param name="Out">Standard output: tables and JSON.</param>
/// <param name="Error">Standard error: one-line errors and progress.</param>
/// <param name="ShowProgress">True only when standard error is a terminal.</param>
public sealed record CliConsole(TextWriter Out, TextWriter Error, bool ShowProgress)
{
    /// <summary>The process console; progress only when stderr is a terminal (never in CI logs or pipes).</summary>
    public static CliConsole System() => new(Console.Out, Console.Error, !Console.IsErrorRedirected);
}

/// <summary>Bad usage or bad input: reported as one line on stderr with exit code 2.</summary>
public sealed class UsageException : Exception
{
    /// <summary>Creates the exception with its one-line message.</summary>
    public UsageException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with no message.</summary>
    public UsageException()
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public UsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The process exit codes of SPEC 7.</summary>
public static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Success = 0;

    /// <summary>A check failed (regression).</summary>
    public const int CheckFailed = 1;

    /// <summary>Bad usage or bad input.</summary>
    public const int Usage = 2;

    /// <summary>Interrupted by Ctrl-C (128 + SIGINT, the shell convention); nothing is written.</summary>
    public const int Cancelled = 130;
}
