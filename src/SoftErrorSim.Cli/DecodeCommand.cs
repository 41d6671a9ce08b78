using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using SoftErrorSim.Core.Coding;
using SoftErrorSim.Core.Decoding;
using SoftErrorSim.Core.MonteCarlo;
using SoftErrorSim.Core.Passes;
using SoftErrorSim.Core.Schemes;
using SoftErrorSim.Reporting;

namespace SoftErrorSim.Cli;

/// <summary>`softerrorsim decode`: Monte Carlo of single decodes against an exact number of injected errors.</summary>
public static class DecodeCommand
{
    /// <summary>Builds the verb.</summary>
    public static Command Create(Invocation invocation)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        var console = invocation.Console;
        var command = new Command("decode", "Monte Carlo of single decodes with exactly e erring nodes, for each e in a range; writes decode.csv, decode.png and manifest.json.");
        var code = new CodeOptions();
        code.AddTo(command);
        var campaign = new CampaignOptions(defaultTrials: 2000);
        campaign.AddTo(command);
        var faults = new FaultOptions(stepRates: false);
        faults.AddTo(command);
        var errors = new Option<string?>("--errors") { Description = "Erring nodes per decode, FROM:TO inclusive. Default: 0 to every node of the pass." };
        command.Options.Add(errors);

        command.SetAction(async (result, cancellationToken) =>
        {
            var started = DateTimeOffset.UtcNow;
            var clock = Stopwatch.StartNew();
            var (configuration, shape) = code.Bind(result);
            var passKind = campaign.Pass(result);
            var settings = new DecodeCampaignSettings
            {
                Code = configuration,
                Pass = passKind,
                Shape = shape,
                Model = campaign.Model(result),
                Decoder = campaign.Decoder(result),
                Trials = campaign.Trials(result),
                Seed = campaign.Seed(result),
                Threads = campaign.Threads(result),
                NodeRates = faults.Environment(result).NodeRates,
            };

            // Validate everything, including the error range against the pass, before any work.
            var (from, to) = result.GetValue(errors) is { } range
                ? CodeOptions.ParseRange(range, "--errors")
                : (0, CodedPass.ActiveNodeCount(configuration, passKind));
            settings = settings with { MinErrors = from, MaxErrors = to };
            DecodeCampaign.Validate(settings);
            var folder = invocation.Claim(campaign.Output(result), ["decode.csv", "decode.png", "manifest.json"], campaign.Force(result));
            invocation.StartWork();

            using var progress = ProgressLine.For(console, campaign.Progress(result), "decode", "trials");
            var outcome = await Task.Run(() => DecodeCampaign.Run(settings, progress?.Campaign(), cancellationToken), cancellationToken).ConfigureAwait(false);
            progress?.Finish();

            var report = CodeReport.For(configuration, shape);
            var tolerance = Tolerance(report, passKind, settings.EffectiveDecoder);
            var rows = DecodeCsv.Rows(outcome, tolerance);
            var files = new Dictionary<string, byte[]>
            {
                ["decode.csv"] = Encoding.UTF8.GetBytes(DecodeCsv.Write(rows)),
                ["decode.png"] = DecodePlot.Render(rows, tolerance),
                ["manifest.json"] = Manifest.Create(
                    "decode",
                    invocation.Arguments,
                    new
                    {
                        code = configuration,
                        pass = CodeConfiguration.Name(passKind),
                        shape,
                        model = settings.Model,
                        decoder = Names.Kebab(settings.EffectiveDecoder),
                        errors = new[] { from, to },
                        trials = settings.Trials,
                        threads = settings.Threads,
                    },
                    settings.Seed,
                    clock.Elapsed,
                    started,
                    new Dictionary<string, JsonNode?>
                    {
                        ["recovery_threshold"] = outcome.RecoveryThreshold,
                        ["guaranteed_tolerance"] = tolerance,
                        ["detection_reasons"] = new JsonObject(outcome.DetectionReasons.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
                    }),
            };
            invocation.Commit(() => OutputFolder.Write(folder, files), cancellationToken);
            await console.Out.WriteAsync(Summary(outcome, folder)).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The tolerance the decoder guarantees in this pass (the dashed line of the figure).</summary>
    public static int Tolerance(CodeReport report, PassKind pass, DecoderKind decoder)
    {
        ArgumentNullException.ThrowIfNull(report);
        var p = pass switch
        {
            PassKind.Forward => report.Forward,
            PassKind.Backward => report.Backward,
            _ => report.MatMat!,
        };
        return decoder == DecoderKind.BoundedDistance ? p.ToleranceAdversarial : p.ToleranceProbabilistic;
    }

    private static string Summary(DecodeCampaignResult campaign, string folder)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"K = {campaign.RecoveryThreshold}, {campaign.ActiveNodeCount} computing nodes, {campaign.Settings.Trials} trials per error count\n");
        text.Append("errors  success  [95% Wilson]        clean  corrected  detected  miscorrected\n");
        foreach (var row in campaign.Rows)
        {
            var c = row.Counts;
            var w = c.Wilson;
            text.Append(CultureInfo.InvariantCulture, $"{row.Errors,6}  {c.SuccessRate,7:0.0000}  [{w.Low:0.0000}, {w.High:0.0000}]  {c.Clean,7}  {c.Corrected,9}  {c.Detected,8}  {c.Miscorrected,12}\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"wrote {Path.Combine(folder, "decode.csv")}, decode.png, manifest.json\n");
        return text.ToString();
    }
}
