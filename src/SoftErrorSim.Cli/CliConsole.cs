namespace SoftErrorSim.Cli;

/// <summary>Where a command writes: its output, its errors, and whether standard error is a terminal.</summary>
/// <param name="Out">Standard output: tables and JSON.</param>
/// <param name="Error">Standard error: one-line errors and progress.</param>
/// <param name="ShowProgress">True when standard error is a terminal: `--progress auto` draws there and nowhere else.</param>
public sealed record CliConsole(TextWriter Out, TextWriter Error, bool ShowProgress)
{
    /// <summary>How often `--progress always` writes a plain line when standard error is not a terminal.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The process console; progress is drawn by default only when stderr is a terminal (never in CI logs or pipes).</summary>
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

/// <summary>The process exit codes (README, "Exit codes").</summary>
public static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Success = 0;

    /// <summary>A check failed (regression).</summary>
    public const int CheckFailed = 1;

    /// <summary>Bad usage or bad input.</summary>
    public const int Usage = 2;

    /// <summary>A bug: an exception nobody expected (70 is EX_SOFTWARE of BSD sysexits.h); the stack trace goes to error.log.</summary>
    public const int Internal = 70;

    /// <summary>Interrupted by Ctrl-C or SIGTERM (128 + SIGINT, the shell convention, for both); one line says what was kept.</summary>
    public const int Cancelled = 130;
}
