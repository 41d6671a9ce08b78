using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using SoftErrorSim.Core.Coding;
using SoftErrorSim.Reporting;

namespace SoftErrorSim.Cli;

/// <summary>
/// The composition root: builds the verbs, parses, runs one command line in the invariant culture,
/// answers interrupts, and maps every outcome to an exit code: 0 success, 1 a check failed, 2 bad
/// usage or input (one line), 70 a bug (one line, the stack trace in error.log), 130 interrupted
/// (one line saying what was kept).
/// </summary>
public static partial class CliApp
{
    /// <summary>How long an interrupted command may take to stop by itself before it is given up (its line is printed either way).</summary>
    public static readonly TimeSpan InterruptGrace = TimeSpan.FromSeconds(1);

    /// <summary>The root command with all verbs, for one invocation.</summary>
    public static RootCommand Build(Invocation invocation)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        var root = new RootCommand("SoftErrorSim: Monte Carlo fault injection for coded distributed DNN training on unreliable nodes.");
        root.Subcommands.Add(CodesCommand.Create(invocation));
        root.Subcommands.Add(DecodeCommand.Create(invocation));
        root.Subcommands.Add(SweepCommand.Create(invocation));
        root.Subcommands.Add(TrainCommand.Create(invocation));
        root.Subcommands.Add(ReproduceCommand.Create(invocation));
        root.Subcommands.Add(RegressCommand.Create(invocation));
        root.Subcommands.Add(MergeCommand.Create(invocation));
        root.Subcommands.Add(PlotCommand.Create(invocation));
        return root;
    }

    /// <summary>Parses and runs one command line; returns the exit code.</summary>
    public static Task<int> RunAsync(string[] args, CliConsole console, CancellationToken cancellationToken) =>
        RunAsync(args, console, null, cancellationToken);

    /// <summary>Parses and runs one command line with extra verbs added by <paramref name="extend"/> (tests plant faults this way).</summary>
    internal static async Task<int> RunAsync(string[] args, CliConsole console, Action<RootCommand, Invocation>? extend, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(console);

        // Every number the tool reads or writes (options, help, CSV, JSON, figures, progress) is
        // invariant: the culture is set for the whole invocation, and it flows into every task.
        var (culture, uiCulture) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;
        ArgumentNullException.ThrowIfNull(args);

        // An interrupt is answered by timers and continuations on the thread pool, while the work
        // fills the pool's minimum (one thread per --threads): raise it, lest the answer wait
        // for the pool to grow by a thread every half second.
        ThreadPool.GetMinThreads(out var workers, out var ports);
        ThreadPool.SetMinThreads(Math.Max(workers, Environment.ProcessorCount + 32), ports);
        using var invocation = new Invocation(console, [.. args]);
        try
        {
            var root = Build(invocation);
            extend?.Invoke(root, invocation);
            CommandLineRules.Apply(root);
            var parsed = root.Parse(args);
            if (parsed.Errors.Count > 0)
            {
                await console.Error.WriteLineAsync($"error: {OneLine(parsed.Errors[0].Message)} (see --help)").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            return await InvokeAsync(parsed, invocation, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
            CultureInfo.CurrentUICulture = uiCulture;
        }
    }

    private static async Task<int> InvokeAsync(ParseResult parsed, Invocation invocation, CancellationToken cancellationToken)
    {
        var console = invocation.Console;

        // The command library's own signal handling would kill the process silently when a block
        // of work outlasts its timeout; Program handles the signals and cancels this token instead.
        var configuration = new InvocationConfiguration { Output = console.Out, Error = console.Error, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null };
        var run = Task.Run(() => parsed.InvokeAsync(configuration, cancellationToken), CancellationToken.None);
        var interrupted = Task.Delay(Timeout.Infinite, cancellationToken);
        if (await Task.WhenAny(run, interrupted).ConfigureAwait(false) != run)
        {
            // Interrupted: give the command a moment to stop by itself; then give it up, unless it
            // is already writing its results (then it is about to finish: let it).
            if (await Task.WhenAny(run, Task.Delay(InterruptGrace, CancellationToken.None)).ConfigureAwait(false) != run && invocation.TryAbandon())
            {
                // The given-up command ends by itself when it sees the cancellation; its exception is of no interest.
                _ = run.ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
                await console.Error.WriteLineAsync(invocation.CancelLine()).ConfigureAwait(false);
                return ExitCodes.Cancelled;
            }
        }

        try
        {
            return await run.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await console.Error.WriteLineAsync(invocation.CancelLine()).ConfigureAwait(false);
            return ExitCodes.Cancelled;
        }
        catch (Exception e) when (IsUserError(e, invocation))
        {
            await console.Error.WriteLineAsync($"error: {OneLine(e.Message)}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        catch (Exception e)
        {
            await console.Error.WriteLineAsync(InternalError(e, invocation, parsed)).ConfigureAwait(false);
            return ExitCodes.Internal;
        }
    }

    /// <summary>
    /// Whether an exception reports the user's input rather than a bug: the CLI's own usage errors,
    /// Core's invalid configurations, damaged or foreign input files, an unusable output folder, and
    /// plain <see cref="ArgumentException"/>s thrown while the command was still validating its input
    /// (Core's validation methods throw those). Anything else is a bug.
    /// </summary>
    public static bool IsUserError(Exception exception, Invocation invocation)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentNullException.ThrowIfNull(invocation);
        return exception is UsageException or InvalidConfigurationException or InvalidDataException or OutputFolderException or UnauthorizedAccessException
            || (exception is IOException && exception.GetType() != typeof(FileNotFoundException) && exception.GetType() != typeof(DirectoryNotFoundException))
            || (exception.GetType() == typeof(ArgumentException) && !invocation.Working);
    }

    /// <summary>Writes the whole exception to error.log (in the output folder when there is one, else a temporary file) and returns the one line to print.</summary>
    private static string InternalError(Exception exception, Invocation invocation, ParseResult parsed)
    {
        var log = new StringBuilder();
        log.Append(CultureInfo.InvariantCulture, $"softerrorsim {Manifest.Version} internal error at {DateTimeOffset.UtcNow:O}\n");
        log.Append(CultureInfo.InvariantCulture, $"command line: {string.Join(' ', parsed.Tokens.Select(t => t.Value))}\n\n");
        log.Append(exception).Append('\n');
        string path;
        try
        {
            path = invocation.Output is { } output
                ? Path.Combine(output.Directory, "error.log")
                : Path.Combine(Path.GetTempPath(), string.Create(CultureInfo.InvariantCulture, $"softerrorsim-error-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Environment.ProcessId}.log"));
            File.WriteAllText(path, log.ToString());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            path = "(error.log could not be written: " + e.Message + ")";
        }

        var what = exception is OutOfMemoryException ? "ran out of memory" : $"{exception.GetType().Name}: {OneLine(exception.Message)}";
        return $"internal error: {what} (details in {path}; please report it)";
    }

    /// <summary>
    /// Core names the settings it validates with markers, ‹learning-rate› (it knows no command
    /// line); on the command line every setting is the option of the same name: --learning-rate.
    /// </summary>
    public static string SpellFlags(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message.Replace("‹", "--", StringComparison.Ordinal).Replace("›", string.Empty, StringComparison.Ordinal);
    }

    /// <summary>One line of plain words from a message: no line breaks, no .NET type names, no "(Parameter 'x')", setting markers spelt as options.</summary>
    public static string OneLine(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var text = Whitespace().Replace(SpellFlags(message).ReplaceLineEndings(" "), " ").Trim();
        text = ParameterSuffix().Replace(text, string.Empty);
        return TypeName().Replace(text, m => m.Groups["type"].Value switch
        {
            "Int32" or "Int64" => "an integer",
            "UInt64" or "UInt32" => "a whole number",
            "Double" or "Single" => "a number",
            "Boolean" => "true or false",
            _ => "a value",
        });
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"\s*\(Parameter '[^']*'\)")]
    private static partial Regex ParameterSuffix();

    [GeneratedRegex(@"'?System\.(Nullable`1\[System\.)?(?<type>[A-Za-z0-9]+)\]?'?")]
    private static partial Regex TypeName();
}
