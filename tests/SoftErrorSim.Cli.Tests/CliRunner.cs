using System.CommandLine;

namespace SoftErrorSim.Cli.Tests;

/// <summary>Runs a literal command line in process with captured output.</summary>
internal static class CliRunner
{
    public static (int Exit, string Out, string Error) Run(string commandLine) =>
        Run(commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries));

    /// <summary>Runs the given arguments as they are (an empty string stays an argument).</summary>
    public static (int Exit, string Out, string Error) Run(string[] args, Action<RootCommand, Invocation>? extend = null, CliConsole? console = null, CancellationToken cancellationToken = default)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        console = console is null ? new CliConsole(output, error, false) : console with { Out = output, Error = error };
        var exit = CliApp.RunAsync(args, console, extend, cancellationToken).GetAwaiter().GetResult();
        return (exit, output.ToString(), error.ToString());
    }

    public static string TempFolder()
    {
        var path = Path.Combine(Path.GetTempPath(), "softerrorsim-tests", Guid.NewGuid().ToString("N"));
        return path;
    }

    /// <summary>The non-empty lines of a text.</summary>
    public static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
