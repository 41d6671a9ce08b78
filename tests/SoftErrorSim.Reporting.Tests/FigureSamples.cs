using System.Buffers.Binary;
using System.Globalization;
using SoftErrorSim.Core.Statistics;

namespace SoftErrorSim.Reporting.Tests;

/// <summary>Rows and checks shared by the figure tests.</summary>
internal static class FigureSamples
{
    /// <summary>One sweep.csv row with counts; the success rate and Wilson interval follow from them as SweepCsv computes them.</summary>
    public static SweepCsvRow Sweep(string scheme, int nodes, double rate, long trials, long clean, long corrected, long detected, long miscorrected, double? analyticFailure = null)
    {
        var successes = clean + corrected;
        var interval = BinomialInterval.Wilson(successes, trials);
        return new SweepCsvRow(
            scheme, nodes, 2, 2, null, "forward", "gaussian", rate, trials, clean, corrected, detected, miscorrected,
            (double)successes / trials, interval.Low, interval.High, analyticFailure is { } f ? 1 - f : null, 1, "probability-one",
            scheme == "mds" ? 4 : null, scheme == "mds" ? 4 : null, analyticFailure);
    }

    /// <summary>A sweep over nine rates where GPD never fails, replication fails detectably and uncoded fails silently.</summary>
    public static IReadOnlyList<SweepCsvRow> SweepRows(params double[] rates) =>
        (rates.Length == 0 ? [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.3] : rates).SelectMany(rate =>
        {
            const long Trials = 2000;
            var replicationFailures = (long)Math.Round(Trials * Math.Min(0.5, 30 * rate * rate));
            var uncodedFailures = (long)Math.Round(Trials * (1 - Math.Pow(1 - rate, 4)));
            return new[]
            {
                Sweep("gpd", 12, rate, Trials, Trials - 100, 100, 0, 0, Math.Pow(rate, 7)),
                Sweep("replication", 12, rate, Trials, Trials - replicationFailures, 0, replicationFailures, 0, 30 * rate * rate),
                Sweep("uncoded", 4, rate, Trials, Trials - uncodedFailures, 0, 0, uncodedFailures, 1 - Math.Pow(1 - rate, 4)),
            };
        }).ToList();

    /// <summary>A train.csv row.</summary>
    public static TrainCsvRow Train(string scheme, int round, double loss, double accuracy, double seconds = 0.01) =>
        new(scheme, round, 100L * round, loss, accuracy, 300, 300, 0, 0, 0, 0, 0, seconds * round, 1e5, 1e4, loss, 0, 12, 5, 6, scheme == "fault-free" ? 0 : 3e-4, 1);

    /// <summary>Five schemes over four rounds: the coded ones equal fault-free at every round, uncoded worse.</summary>
    public static IReadOnlyList<TrainCsvRow> TrainRows() =>
        new[] { "fault-free", "gpd", "mds", "replication", "uncoded" }.SelectMany(scheme => Enumerable.Range(1, 4).Select(round =>
            scheme == "uncoded"
                ? Train(scheme, round, 1.4 - (0.1 * round), 0.3 + (0.08 * round))
                : Train(scheme, round, 1.3 - (0.15 * round), 0.35 + (0.12 * round)))).ToList();

    /// <summary>decode.csv rows of the cliff at P - K - 1 = 6.</summary>
    public static IReadOnlyList<DecodeCsvRow> DecodeRows() =>
        Enumerable.Range(0, 13).Select(e => new DecodeCsvRow(
            "gpd", 12, 2, 2, null, "forward", 5, "gaussian", e, 100, e == 0 ? 100 : 0, e is > 0 and <= 6 ? 100 : 0, e > 6 ? 97 : 0, e > 6 ? 3 : 0,
            e <= 6 ? 1.0 : 0.0, e <= 6 ? 0.96 : 0.0, e <= 6 ? 1.0 : 0.04, 1, "probability-one", 20, 6)).ToList();

    /// <summary>Asserts that bytes are a PNG of the given size that holds a drawn figure.</summary>
    public static void AssertPng(byte[] png, int width, int height)
    {
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        // IHDR: width and height are big-endian at bytes 16 and 20.
        Assert.Equal(width, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16, 4)));
        Assert.Equal(height, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20, 4)));
        // A blank 1200 x 800 PNG compresses to a few kilobytes; axes, ticks, legend and data take tens.
        Assert.True(png.Length > 20_000, $"{png.Length} bytes: too small to hold a drawn figure");
    }

    /// <summary>Runs <paramref name="action"/> with the current culture set to <paramref name="culture"/>.</summary>
    public static void Under(string culture, Action action)
    {
        var (saved, savedUi) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(culture);
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);
            action();
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
            CultureInfo.CurrentUICulture = savedUi;
        }
    }
}
