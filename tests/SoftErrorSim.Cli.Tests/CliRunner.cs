namespace SoftErrorSim.Cli.Tests;

/// <summary>Runs a literal command line in process with captured output.</summary>
internal static class CliRunner
{
    public static (int Exit, string Out, string Error) Run(string commandLine)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var args = commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var exit = CliApp.RunAsync(args, new CliConsole(output, error, false), CancellationToken.None).GetAwaiter().GetResult();
        return (exit, output.ToString(), error.ToString());
    }

    public static string TempFolder()
    {
        var path = Path.Combine(Path.GetTempPath(), "softerrorsim-tests", Guid.NewGuid().ToString("N"));
        return path;
    }
}
