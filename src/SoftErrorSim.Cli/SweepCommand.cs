using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using SoftErrorSim.Core.Coding;
using SoftErrorSim.Core.MonteCarlo;
using SoftErrorSim.Core.Passes;
using SoftErrorSim.Reporting;

namespace SoftErrorSim.Cli;

/// <summary>`softerrorsim sweep`: Monte Carlo over schemes x nodes x code parameters x per-node error rate, beside the analytic oracle.</summary>
public static class SweepCommand
{
    /// <summary>Builds the verb.</summary>
    public static Command Create(CliConsole console)
    {
        ArgumentNullException.ThrowIfNull(console);
        var command = new Command("sweep", "Monte Carlo over the cross product of schemes, nodes, splits and per-node error rates, with the analytic success rate in every row; writes sweep.csv, sweep.png and manifest.json.");
        var schemes = new Option<string>("--schemes") { Description = "Comma list of gpd, mds, replication, uncoded.", DefaultValueFactory = _ => "gpd,replication,uncoded" };
        var nodes = new Option<string>("--nodes") { Description = "LIST of node counts P (integers, ranges FROM:TO:STEP).", DefaultValueFactory = _ => "12" };
        var m = new Option<string>("--m") { Description = "LIST of row splits m.", DefaultValueFactory = _ => "2" };
        var n = new Option<string>("--n") { Description = "LIST of column splits n.", DefaultValueFactory = _ => "2" };
        var d = new Option<string?>("--d") { Description = "LIST of batch splits d (gpd matmat)." };
        var q = new Option<string?>("--q") { Description = "LIST of Q: plain real (P, Q) MDS codes, run as gpd with m = Q, n = 1." };
        var rowNodes = new Option<string?>("--row-nodes") { Description = "LIST of CodeNet grid rows Pr (mds)." };
        var colNodes = new Option<string?>("--col-nodes") { Description = "LIST of CodeNet grid columns Pc (mds)." };
        var pointKind = Names.Option("--points", "Evaluation points of gpd: chebyshev, equispaced or random.", EvaluationPointKind.Chebyshev, Names.Kebab);
        var parity = Names.Option("--parity", "CodeNet parity rows: gaussian or chebyshev.", ParityKind.Gaussian, Names.Kebab);
        var rates = new Option<string>("--error-rate") { Description = "LIST of per-node error rates in [0, 1] (numbers, LO:HI:logK, LO:HI:linK).", DefaultValueFactory = _ => "1e-3:0.3:log10" };
        var blockRows = new Option<int>("--block-rows") { Description = "R, rows of each weight block (forward output length, words).", DefaultValueFactory = _ => 16 };
        var blockCols = new Option<int>("--block-cols") { Description = "C, columns of each weight block (backward output length, words).", DefaultValueFactory = _ => 16 };
        var campaign = new CampaignOptions(defaultTrials: 2000);
        foreach (var option in new Option[] { schemes, nodes, m, n, d, q, rowNodes, colNodes, pointKind, parity, rates, blockRows, blockCols })
        {
            command.Options.Add(option);
        }

        campaign.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            var started = DateTimeOffset.UtcNow;
            var clock = Stopwatch.StartNew();
            IReadOnlyList<int> Optional(Option<string?> option) =>
                result.GetValue(option) is { } text ? ListSyntax.Integers(text, option.Name) : [];
            var axes = new SweepAxes
            {
                Schemes = result.GetValue(schemes)!.Split(',', StringSplitOptions.TrimEntries).Select(s =>
                    Enum.GetValues<SchemeKind>().Any(k => CodeConfiguration.Name(k) == s)
                        ? Names.Parse<SchemeKind>(s, CodeConfiguration.Name)
                        : throw new UsageException($"--schemes: unknown scheme '{s}' (gpd, mds, replication, uncoded)")).Distinct().ToList(),
                Nodes = ListSyntax.Integers(result.GetValue(nodes)!, "--nodes"),
                RowSplits = ListSyntax.Integers(result.GetValue(m)!, "--m"),
                ColumnSplits = ListSyntax.Integers(result.GetValue(n)!, "--n"),
                BatchSplits = Optional(d),
                Q = Optional(q),
                RowNodes = Optional(rowNodes),
                ColumnNodes = Optional(colNodes),
                Points = Names.Parse<EvaluationPointKind>(result.GetValue(pointKind), Names.Kebab),
                Parity = Names.Parse<ParityKind>(result.GetValue(parity), Names.Kebab),
            };
            var pass = campaign.Pass(result);
            var template = new RateCampaignSettings
            {
                Code = new CodeConfiguration { Scheme = SchemeKind.Uncoded, NodeCount = 1 },
                Pass = pass,
                Shape = new PassShape(result.GetValue(blockRows), result.GetValue(blockCols)).Validate(),
                Model = campaign.Model(result),
                Decoder = campaign.Decoder(result),
                ErrorRates = ListSyntax.Reals(result.GetValue(rates)!, "--error-rate"),
                Trials = campaign.Trials(result),
                Seed = campaign.Seed(result),
                Threads = campaign.Threads(result),
            };
            var plan = SweepPlan.Expand(axes, pass);
            if (plan.Configurations.Count == 0)
            {
                throw new UsageException($"no combination can run: {(plan.Skipped.Count > 0 ? plan.Skipped[0].Reason : "empty lists")}");
            }

            foreach (var code in plan.Configurations)
            {
                RateCampaign.Validate(template with { Code = code });
            }

            var folder = campaign.Output(result);
            OutputFolder.EnsureWritable(folder);
            using var progress = console.ShowProgress ? new TerminalProgress(console.Error, "sweep") : null;
            var points = await Task.Run(() => Sweep.Run(plan, template, progress, cancellationToken), cancellationToken).ConfigureAwait(false);
            progress?.Finish();

            var rows = SweepCsv.Rows(points, template);
            var files = new Dictionary<string, byte[]>
            {
                ["sweep.csv"] = Encoding.UTF8.GetBytes(SweepCsv.Write(rows)),
                ["sweep.png"] = SweepPlot.Render(rows),
                ["manifest.json"] = Manifest.Create(
                    "sweep",
                    Environment.GetCommandLineArgs().Skip(1).ToArray(),
                    new
                    {
                        axes,
                        pass = CodeConfiguration.Name(pass),
                        shape = template.Shape,
                        model = template.Model,
                        decoder = Names.Kebab(template.EffectiveDecoder),
                        error_rates = template.ErrorRates,
                        trials = template.Trials,
                        threads = template.Threads,
                    },
                    template.Seed,
                    clock.Elapsed,
                    started,
                    new Dictionary<string, JsonNode?>
                    {
                        ["configurations"] = plan.Configurations.Count,
                        ["skipped"] = new JsonArray(plan.Skipped.Select(s => (JsonNode?)new JsonObject { ["combination"] = s.Description, ["reason"] = s.Reason }).ToArray()),
                    }),
            };
            OutputFolder.Write(folder, files);
            var summary = new StringBuilder();
            summary.Append(CultureInfo.InvariantCulture, $"{plan.Configurations.Count} configurations x {template.ErrorRates.Count} error rates x {template.Trials} trials; {plan.Skipped.Count} combinations skipped (listed in manifest.json)\n");
            summary.Append(CultureInfo.InvariantCulture, $"wrote {Path.Combine(folder, "sweep.csv")}, sweep.png, manifest.json\n");
            await console.Out.WriteAsync(summary.ToString()).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }
}
