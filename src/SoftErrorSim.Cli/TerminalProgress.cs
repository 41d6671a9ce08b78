using System.Diagnostics;
using System.Globalization;
using SoftErrorSim.Core.MonteCarlo;

namespace SoftErrorSim.Cli;

/// <summary>
/// Draws "points done, trials done, trials per second, time left" on one terminal line of stderr, at most five
/// times a second. Only created when stderr is a terminal.
/// </summary>
public sealed class TerminalProgress(TextWriter error, string label) : IProgress<CampaignProgress>, IDisposable
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Lock _gate = new();
    private long _lastDrawMs = -1000;
    private long? _baseline;
    private bool _drawn;

    /// <inheritdoc />
    public void Report(CampaignProgress value)
    {
        lock (_gate)
        {
            var now = _clock.ElapsedMilliseconds;
            if (now - _lastDrawMs < 200 && value.TrialsDone < value.TrialsTotal)
            {
                return;
            }

            _lastDrawMs = now;
            _baseline ??= value.TrialsDone; // trials kept from an interrupted run do not count towards the rate
            var rate = (value.TrialsDone - _baseline.Value) / Math.Max(_clock.Elapsed.TotalSeconds, 1e-9);
            var points = value.PointsTotal > 0 ? string.Create(CultureInfo.InvariantCulture, $"{value.PointsDone}/{value.PointsTotal} points, ") : string.Empty;
            var left = rate > 0 ? (value.TrialsTotal - value.TrialsDone) / rate : double.NaN;
            error.Write(string.Create(
                CultureInfo.InvariantCulture,
                $"\r{label}: {points}{value.TrialsDone}/{value.TrialsTotal} trials ({100.0 * value.TrialsDone / value.TrialsTotal:0}%), {rate:0} trials/s, {left:0}s left   "));
            _drawn = true;
        }
    }

    /// <summary>Ends the progress line.</summary>
    public void Finish()
    {
        lock (_gate)
        {
            if (_drawn)
            {
                error.WriteLine();
                _drawn = false;
            }
        }
    }

    /// <inheritdoc />
    public void Dispose() => Finish();
}
