using System.CommandLine;
using System.Globalization;
using SoftErrorSim.Reporting;

namespace SoftErrorSim.Cli;

/// <summary>`softerrorsim plot CSV [--out PNG]`: redraws a figure from its CSV alone.</summary>
public static class PlotCommand
{
    /// <summary>Builds the verb.</summary>
    public static Command Create(Invocation invocation)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        var console = invocation.Console;
        var command = new Command("plot", "Redraws the figure of a sweep.csv, decode.csv or train.csv from the CSV alone.");
        var csv = new Argument<string>("CSV") { Description = "A sweep.csv, decode.csv or train.csv written by softerrorsim." };
        var output = new Option<string?>("--out") { Description = "The PNG to write. Default: the CSV's path with .png." };
        var force = new Option<bool>("--force") { Description = "Overwrite the PNG if it exists." };
        command.Arguments.Add(csv);
        command.Options.Add(output);
        command.Options.Add(force);
        command.SetAction(async (result, cancellationToken) =>
        {
            var input = result.GetValue(csv)!;
            if (!File.Exists(input))
            {
                throw new UsageException($"{input}: no such file");
            }

            var target = result.GetValue(output) ?? Path.ChangeExtension(input, ".png");
            if (!target.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
            {
                throw new UsageException($"--out must name a .png file (got '{target}')");
            }

            if (File.Exists(target) && !result.GetValue(force))
            {
                throw new UsageException($"{target} exists; add --force to redraw over it, or name another --out");
            }

            var png = Render(await File.ReadAllTextAsync(input, cancellationToken).ConfigureAwait(false), input);
            var folder = Path.GetDirectoryName(Path.GetFullPath(target))!;
            invocation.Commit(() => OutputFolder.Write(folder, new Dictionary<string, byte[]> { [Path.GetFileName(target)] = png }), cancellationToken);
            await console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"wrote {target}")).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The figure of a CSV, recognised by its header.</summary>
    public static byte[] Render(string text, string name)
    {
        ArgumentNullException.ThrowIfNull(text);
        var header = text.Split('\n', 2)[0].TrimEnd('\r');
        if (header == string.Join(',', SweepCsv.Columns))
        {
            var rows = SweepCsv.Read(text);
            return rows.Count > 0 ? SweepPlot.Render(rows) : throw new InvalidDataException($"{name}: no rows to plot");
        }

        if (header == string.Join(',', DecodeCsv.Columns))
        {
            var rows = DecodeCsv.Read(text);
            return rows.Count > 0 ? DecodePlot.Render(rows, rows[0].Tolerance) : throw new InvalidDataException($"{name}: no rows to plot");
        }

        if (header == string.Join(',', TrainCsv.Columns))
        {
            var rows = TrainCsv.Read(text);
            return rows.Count > 0 ? TrainPlot.Render(rows) : throw new InvalidDataException($"{name}: no rows to plot");
        }

        throw new InvalidDataException($"{name}: not a sweep.csv, decode.csv or train.csv (unrecognised header)");
    }
}
