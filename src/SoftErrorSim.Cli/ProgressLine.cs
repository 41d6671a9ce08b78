using System.Diagnostics;
using System.Globalization;
using SoftErrorSim.Core.MonteCarlo;

namespace SoftErrorSim.Cli;

/// <summary>
/// Progress on stderr. On a terminal: one line redrawn at most five times a second. Elsewhere
/// (Slurm, CI logs), with `--progress always`: a plain line when the work starts, one every
/// <see cref="CliConsole.ProgressInterval"/>, and one when it ends. The rate and the time left come
/// from the last <see cref="Window"/> of reports, so a slow start (JIT, the first checkpoint) or work
/// kept from an interrupted run does not skew them; until the window spans a second of work the
/// line says "estimating" rather than a number.
/// </summary>
public sealed class ProgressLine : IDisposable
{
    /// <summary>How far back the rate looks.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(20);

    private static readonly TimeSpan TerminalRedraw = TimeSpan.FromMilliseconds(200);
    private readonly TextWriter _error;
    private readonly string _label;
    private readonly string _unit;
    private readonly bool _terminal;
    private readonly TimeSpan _interval;
    private readonly Func<TimeSpan> _clock;
    private readonly Lock _gate = new();
    private readonly Queue<(TimeSpan At, long Done)> _recent = new();
    private TimeSpan? _lastWrite;
    private (long Done, long Total, string? Detail)? _last;
    private bool _drawn;
    private bool _finished;

    /// <summary>Creates a progress line; <paramref name="clock"/> (for tests) defaults to a stopwatch started now.</summary>
    public ProgressLine(TextWriter error, string label, string unit, bool terminal, TimeSpan interval, Func<TimeSpan>? clock = null)
    {
        _error = error;
        _label = label;
        _unit = unit;
        _terminal = terminal;
        _interval = interval;
        if (clock is null)
        {
            var watch = Stopwatch.StartNew();
            clock = () => watch.Elapsed;
        }

        _clock = clock;
    }

    /// <summary>
    /// The progress line <paramref name="mode"/> asks for on <paramref name="console"/>, or null:
    /// auto draws only on a terminal, always also writes plain lines elsewhere, never draws nothing.
    /// </summary>
    public static ProgressLine? For(CliConsole console, string mode, string label, string unit)
    {
        ArgumentNullException.ThrowIfNull(console);
        return mode switch
        {
            "never" => null,
            "always" => new ProgressLine(console.Error, label, unit, console.ShowProgress, console.ProgressInterval),
            _ => console.ShowProgress ? new ProgressLine(console.Error, label, unit, terminal: true, console.ProgressInterval) : null,
        };
    }

    /// <summary>
    /// Like <see cref="For"/>, but one plain line per report, for work that comes in a few long
    /// pieces whose results are printed between them (a redrawn line would mix with them).
    /// </summary>
    public static ProgressLine? Lines(CliConsole console, string mode, string label, string unit)
    {
        ArgumentNullException.ThrowIfNull(console);
        return mode == "always" || (mode == "auto" && console.ShowProgress)
            ? new ProgressLine(console.Error, label, unit, terminal: false, TimeSpan.Zero)
            : null;
    }

    /// <summary>Relays a campaign's progress (trials, and points when there are several).</summary>
    public IProgress<CampaignProgress> Campaign() => new Relay<CampaignProgress>(p =>
        Report(p.TrialsDone, p.TrialsTotal, p.PointsTotal > 0 ? string.Create(CultureInfo.InvariantCulture, $"{p.PointsDone}/{p.PointsTotal} points") : null));

    /// <summary>Records that <paramref name="done"/> of <paramref name="total"/> units are done; <paramref name="detail"/> is shown before the count.</summary>
    public void Report(long done, long total, string? detail = null)
    {
        lock (_gate)
        {
            if (_finished)
            {
                return;
            }

            var now = _clock();
            _recent.Enqueue((now, done));
            while (_recent.Count > 2 && now - _recent.Peek().At > Window)
            {
                _recent.Dequeue();
            }

            _last = (done, total, detail);
            // In a log the last count is written by Finish, with the time it took.
            var due = _lastWrite is not { } last || now - last >= (_terminal ? TerminalRedraw : _interval);
            if (_terminal ? due || done >= total : due && done < total)
            {
                Write(now);
            }
        }
    }

    /// <summary>Ends the line: on a terminal it moves to the next line; in a log it writes the final count.</summary>
    public void Finish()
    {
        lock (_gate)
        {
            if (_finished)
            {
                return;
            }

            if (!_terminal && _last is not null)
            {
                Write(_clock(), final: true);
            }

            _finished = true;
            if (_drawn)
            {
                _error.WriteLine();
                _drawn = false;
            }
        }
    }

    /// <inheritdoc />
    public void Dispose() => Finish();

    /// <summary>The text of one progress line (without the leading carriage return).</summary>
    public string Text(TimeSpan now, bool final = false)
    {
        lock (_gate)
        {
            if (_last is not { } last)
            {
                return $"{_label}: starting";
            }

            var (done, total, detail) = last;
            var percent = total > 0 ? Math.Floor(100.0 * done / total) : 0;
            var counts = string.Create(CultureInfo.InvariantCulture, $"{(detail is null ? string.Empty : detail + ", ")}{done}/{total} {_unit} ({percent:0}%)");
            if (final)
            {
                return string.Create(CultureInfo.InvariantCulture, $"{_label}: {counts} after {Duration(now.TotalSeconds)}");
            }

            var (first, latest) = (_recent.Peek(), (At: now, Done: done));
            var span = (latest.At - first.At).TotalSeconds;
            var rate = span >= 1 ? (latest.Done - first.Done) / span : double.NaN;
            if (!(rate > 0))
            {
                return $"{_label}: {counts}, estimating time left";
            }

            return string.Create(CultureInfo.InvariantCulture, $"{_label}: {counts}, {Rate(rate)} {_unit}/s, {Duration((total - done) / rate)} left");
        }
    }

    private void Write(TimeSpan now, bool final = false)
    {
        var text = Text(now, final);
        _lastWrite = now;
        if (_terminal)
        {
            _error.Write("\r" + text + "   ");
            _drawn = true;
        }
        else
        {
            _error.WriteLine(text);
        }

        _error.Flush();
    }

    private static string Rate(double rate) =>
        rate.ToString(rate < 10 ? "0.0" : "0", CultureInfo.InvariantCulture);

    /// <summary>A duration for people: seconds under two minutes, then minutes, then hours, then days.</summary>
    public static string Duration(double seconds) => seconds switch
    {
        < 120 => string.Create(CultureInfo.InvariantCulture, $"{seconds:0} s"),
        < 7200 => string.Create(CultureInfo.InvariantCulture, $"{seconds / 60:0} min"),
        < 172_800 => string.Create(CultureInfo.InvariantCulture, $"{seconds / 3600:0.0} h"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{seconds / 86_400:0} days"),
    };

    private sealed class Relay<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
