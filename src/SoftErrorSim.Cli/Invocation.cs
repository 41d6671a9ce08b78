using System.CommandLine;
using SoftErrorSim.Reporting;

namespace SoftErrorSim.Cli;

/// <summary>
/// The state of one command line while it runs: where it writes, the output folder it holds,
/// whether it is still validating its input (so that an <see cref="ArgumentException"/> is the
/// user's mistake) or already working (so that one is a bug), what an interrupt would keep, and the
/// gate between finishing and being interrupted, so the two can never both happen.
/// </summary>
public sealed class Invocation : IDisposable
{
    private readonly Lock _gate = new();
    private Func<string>? _kept;
    private bool _abandoned;
    private int _commits;
    private bool _committing;

    /// <summary>Creates the state of one invocation of <paramref name="arguments"/> on <paramref name="console"/>.</summary>
    public Invocation(CliConsole console, IReadOnlyList<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(arguments);
        Console = console;
        Arguments = arguments;
    }

    /// <summary>Where the command writes.</summary>
    public CliConsole Console { get; }

    /// <summary>The command line as given (what manifests record).</summary>
    public IReadOnlyList<string> Arguments { get; }

    /// <summary>The output folder the command holds, once it claimed one.</summary>
    public OutputClaim? Output { get; private set; }

    /// <summary>True once the command finished validating its input and started working.</summary>
    public bool Working { get; private set; }

    /// <summary>Marks the end of input validation: from here on an unexpected exception is a bug, not bad input.</summary>
    public void StartWork() => Working = true;

    /// <summary>
    /// Claims the output folder (see <see cref="OutputFolder.Claim"/>): created if missing, locked,
    /// refused when it holds any of <paramref name="results"/> unless <paramref name="force"/>.
    /// Released, and removed again if it was created and is still empty, when the invocation ends.
    /// </summary>
    public string Claim(string folder, IEnumerable<string> results, bool force)
    {
        ArgumentNullException.ThrowIfNull(folder);
        Output = OutputFolder.Claim(folder, results, force);
        return folder;
    }

    /// <summary>Sets what an interrupt at this moment would keep: the whole line printed on cancel.</summary>
    public void KeptOnCancel(Func<string> line)
    {
        lock (_gate)
        {
            _kept = line;
        }
    }

    /// <summary>The line an interrupt prints now.</summary>
    public string CancelLine()
    {
        Func<string>? kept;
        lock (_gate)
        {
            kept = _kept;
        }

        return kept?.Invoke() ?? (_commits > 0 ? "cancelled: the results written so far are whole; the rest were not written" : "cancelled: nothing was written");
    }

    /// <summary>
    /// Writes results unless the invocation was interrupted: either the write happens whole and the
    /// command goes on to report it, or the interrupt wins and nothing is written. Throws
    /// <see cref="OperationCanceledException"/> when the interrupt came first.
    /// </summary>
    public void Commit(Action write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        lock (_gate)
        {
            if (_abandoned)
            {
                throw new OperationCanceledException("interrupted before the results were written", cancellationToken);
            }

            cancellationToken.ThrowIfCancellationRequested();
            _committing = true;
        }

        try
        {
            write();
        }
        finally
        {
            lock (_gate)
            {
                _committing = false;
                _commits++;
            }
        }
    }

    /// <summary>
    /// Gives the command up after an interrupt it did not answer in time: no further commit can
    /// start. False when a commit is under way (the command is finishing; wait for it instead).
    /// </summary>
    public bool TryAbandon()
    {
        lock (_gate)
        {
            if (_committing)
            {
                return false;
            }

            _abandoned = true;
            return true;
        }
    }

    /// <summary>Releases the output folder.</summary>
    public void Dispose()
    {
        Output?.Dispose();
    }
}

/// <summary>The `--force` and `--progress` options every verb that writes a folder shares.</summary>
public static class CommonOptions
{
    /// <summary>--force: overwrite results of another run in the output folder.</summary>
    public static Option<bool> Force() => new("--force") { Description = "Overwrite the results of another run in --out (without it, a folder that holds results is refused; an interrupted sweep always resumes)." };

    /// <summary>--progress auto|always|never.</summary>
    public static Option<string> Progress()
    {
        var option = new Option<string>("--progress")
        {
            Description = "auto: draw progress when stderr is a terminal; always: also write a plain line every 10 s to stderr when it is not (Slurm, CI logs); never.",
            DefaultValueFactory = _ => "auto",
        };
        option.AcceptOnlyFromAmong("auto", "always", "never");
        return option;
    }
}
