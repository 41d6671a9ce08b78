using System.CommandLine;
using SoftErrorSim.Core.Coding;

namespace SoftErrorSim.Cli;

/// <summary>The composition root: builds the verbs, parses, maps every failure to an exit code.</summary>
public static class CliApp
{
    /// <summary>The root command with all verbs.</summary>
    public static RootCommand Build(CliConsole console)
    {
        var root = new RootCommand("SoftErrorSim: Monte Carlo fault injection for coded distributed DNN training on unreliable nodes.");
        root.Subcommands.Add(CodesCommand.Create(console));
        root.Subcommands.Add(DecodeCommand.Create(console));
        root.Subcommands.Add(SweepCommand.Create(console));
        root.Subcommands.Add(TrainCommand.Create(console));
        root.Subcommands.Add(ReproduceCommand.Create(console));
        root.Subcommands.Add(RegressCommand.Create(console));
        root.Subcommands.Add(MergeCommand.Create(console));
        root.Subcommands.Add(PlotCommand.Create(console));
        return root;
    }

    /// <summary>Parses and runs one command line; returns the exit code.</summary>
    public static async Task<int> RunAsync(string[] args, CliConsole console, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(console);
        var root = Build(console);
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            await console.Error.WriteLineAsync($"error: {OneLine(parsed.Errors[0].Message)} (see --help)").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        try
        {
            return await parsed.InvokeAsync(new InvocationConfiguration { Output = console.Out, Error = console.Error, EnableDefaultExceptionHandler = false }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is UsageException or InvalidConfigurationException or ArgumentException or IOException or UnauthorizedAccessException or InvalidDataException)
        {
            await console.Error.WriteLineAsync($"error: {OneLine(e.Message)}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        catch (OperationCanceledException)
        {
            await console.Error.WriteLineAsync("cancelled: nothing was written").ConfigureAwait(false);
            return ExitCodes.Cancelled;
        }
    }

    private static string OneLine(string message)
    {
        var text = System.Text.RegularExpressions.Regex.Replace(message.ReplaceLineEndings(" "), @"\s+", " ").Trim();
        foreach (var (clr, plain) in TypeNames)
        {
            text = text.Replace(clr, plain, StringComparison.Ordinal);
        }

        return text;
    }

    private static readonly (string Clr, string Plain)[] TypeNames =
    [
        ("'System.Nullable`1[System.Int32]'", "an integer"),
        ("'System.Int32'", "an integer"),
        ("'System.UInt64'", "a non-negative integer"),
        ("'System.Double'", "a number"),
    ];
}
