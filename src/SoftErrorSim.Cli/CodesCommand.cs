using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using SoftErrorSim.Core.Coding;
using SoftErrorSim.Core.Schemes;
using SoftErrorSim.Reporting;

namespace SoftErrorSim.Cli;

/// <summary>`softerrorsim codes`: the parameters of one configuration.</summary>
public static class CodesCommand
{
    /// <summary>Builds the verb.</summary>
    public static Command Create(Invocation invocation)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        var console = invocation.Console;
        var command = new Command("codes", "Print one configuration's thresholds, tolerances, storage, communication and condition numbers.");
        var options = new CodeOptions();
        options.AddTo(command);
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of a table." };
        command.Options.Add(json);
        command.SetAction(result =>
        {
            var (code, shape) = options.Bind(result);
            invocation.StartWork();
            var report = CodeReport.For(code, shape, achieved: true);
            console.Out.Write(result.GetValue(json) ? ToJson(report).ToJsonString(Json.Options) + "\n" : ToTable(report));
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The JSON object of a report; condition numbers rounded to four significant digits so the text is stable across machines.</summary>
    public static JsonObject ToJson(CodeReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var c = report.Configuration;
        var json = new JsonObject
        {
            ["scheme"] = CodeConfiguration.Name(c.Scheme),
            ["nodes"] = c.NodeCount,
            ["m"] = c.RowSplit,
            ["n"] = c.ColumnSplit,
            ["d"] = c.BatchSplit,
            ["threshold_forward"] = report.Forward.Threshold,
            ["threshold_backward"] = report.Backward.Threshold,
            ["threshold_matmat"] = report.MatMat?.Threshold,
            ["threshold_unit"] = report.ThresholdUnit,
            ["tolerance_adversarial_forward"] = report.Forward.ToleranceAdversarial,
            ["tolerance_probabilistic_forward"] = report.Forward.ToleranceProbabilistic,
            ["tolerance_adversarial_backward"] = report.Backward.ToleranceAdversarial,
            ["tolerance_probabilistic_backward"] = report.Backward.ToleranceProbabilistic,
            ["tolerance_adversarial_matmat"] = report.MatMat?.ToleranceAdversarial,
            ["tolerance_probabilistic_matmat"] = report.MatMat?.ToleranceProbabilistic,
            ["storage_words_per_node"] = report.StorageWordsPerNode,
            ["words_sent_per_node_forward"] = report.Forward.WordsSentPerNode,
            ["words_sent_per_node_backward"] = report.Backward.WordsSentPerNode,
            ["words_sent_per_node_matmat"] = report.MatMat?.WordsSentPerNode,
            ["condition_number_forward"] = Significant(report.Forward.ConditionNumber),
            ["condition_number_backward"] = Significant(report.Backward.ConditionNumber),
            ["condition_number_matmat"] = Significant(report.MatMat?.ConditionNumber),
            ["flops_per_node_forward"] = report.Forward.FlopsPerNode,
            ["flops_per_node_backward"] = report.Backward.FlopsPerNode,
            ["flops_per_node_matmat"] = report.MatMat?.FlopsPerNode,
            ["achieved_tolerance_probabilistic_forward"] = report.Forward.AchievedAdjacent,
            ["achieved_tolerance_probabilistic_backward"] = report.Backward.AchievedAdjacent,
            ["achieved_random_tolerance_probabilistic_forward"] = report.Forward.AchievedRandom,
            ["achieved_random_tolerance_probabilistic_backward"] = report.Backward.AchievedRandom,
            ["condition_number_forward_clustered"] = Significant(report.Forward.ConditionNumberClustered),
            ["condition_number_backward_clustered"] = Significant(report.Backward.ConditionNumberClustered),
            ["beyond_float64"] = report.BeyondFloat64,
            ["copies_per_block"] = report.CopiesPerBlock,
            ["points"] = c.Scheme == SchemeKind.Gpd ? EvaluationPoints.Name(c.Points) : null,
            ["row_nodes"] = c.RowNodes,
            ["col_nodes"] = c.ColumnNodes,
            ["parity"] = c.Scheme == SchemeKind.Mds ? c.Parity.ToString().ToLowerInvariant() : null,
            ["block_rows"] = report.Shape.BlockRows,
            ["block_cols"] = report.Shape.BlockCols,
        };
        return json;
    }

    private static double? Significant(double? value) =>
        value is { } v && double.IsFinite(v) && v != 0
            ? double.Parse(v.ToString("G4", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture)
            : value;

    private static string ToTable(CodeReport report)
    {
        var c = report.Configuration;
        var lines = new List<(string, string)>
        {
            ("scheme", CodeConfiguration.Name(c.Scheme)),
            ("nodes P", Int(c.NodeCount)),
            ("split m x n (x d)", c.BatchSplit is { } d ? $"{c.RowSplit} x {c.ColumnSplit} x {d}" : $"{c.RowSplit} x {c.ColumnSplit}"),
        };
        if (c.Scheme == SchemeKind.Gpd)
        {
            lines.Add(("evaluation points", EvaluationPoints.IsComplex(c.Points) ? "unit-circle (P-th roots of unity, row-paired complex code)" : EvaluationPoints.Name(c.Points)));
        }
        if (c.Scheme == SchemeKind.Mds)
        {
            lines.Add(("grid Pr x Pc", $"{c.RowNodes} x {c.ColumnNodes}, {c.Parity.ToString().ToLowerInvariant()} parity"));
        }

        if (c.Scheme == SchemeKind.Replication)
        {
            lines.Add(("copies per block r", Int(report.CopiesPerBlock)));
        }

        lines.Add(("storage per node", $"{Long(report.StorageWordsPerNode)} words ({report.Shape.BlockRows} x {report.Shape.BlockCols} block)"));
        void Pass(string name, PassReport? pass)
        {
            if (pass is null)
            {
                return;
            }

            lines.Add(($"{name}: recovery threshold K", $"{Int(pass.Threshold)} {report.ThresholdUnit}"));
            lines.Add(($"{name}: tolerance, adversarial", $"{Int(pass.ToleranceAdversarial)} erring nodes"));
            lines.Add(($"{name}: tolerance, probabilistic", $"{Int(pass.ToleranceProbabilistic)} erring nodes"));
            if (pass.AchievedAdjacent is { } adjacent && pass.AchievedRandom is { } random)
            {
                lines.Add(($"{name}: achieved in float64", adjacent < 0
                    ? "none: even a clean decode is refused as too ill-conditioned"
                    : $"{Int(adjacent)} erring nodes at any adjacent positions, {Int(random)} at 99% of random positions"));
            }

            lines.Add(($"{name}: words sent per node", Long(pass.WordsSentPerNode)));
            lines.Add(($"{name}: flops per node", FormattableString.Invariant($"{pass.FlopsPerNode:0}")));
            if (pass.ConditionNumber is { } kappa)
            {
                var clustered = pass.ConditionNumberClustered is { } k2 ? FormattableString.Invariant($", clustered K-subset {k2:0.00e0}") : string.Empty;
                lines.Add(($"{name}: condition number", FormattableString.Invariant($"{kappa:0.00e0} (all outputs){clustered}")));
            }
        }

        Pass("forward", report.Forward);
        Pass("backward", report.Backward);
        Pass("matmat", report.MatMat);
        if (report.BeyondFloat64)
        {
            lines.Add(("warning", "a decoding system is beyond float64: the decoding contract refuses its decodes (detected); use --points unit-circle"));
        }

        var width = lines.Max(l => l.Item1.Length);
        return string.Concat(lines.Select(l => $"{l.Item1.PadRight(width)}  {l.Item2}\n"));
    }

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Long(long value) => value.ToString(CultureInfo.InvariantCulture);
}
