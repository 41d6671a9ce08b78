using System.Text.Json.Nodes;
using SoftErrorSim.Core.Faults;
using SoftErrorSim.Core.MonteCarlo;
using SoftErrorSim.Core.Training;

namespace SoftErrorSim.Cli;

/// <summary>The fault environment as manifests record it: the rate of every step kind and of every node actually used.</summary>
public static class FaultReport
{
    /// <summary>
    /// A campaign's environment: the spread and step rates, then per configuration and error rate
    /// every node's probability of a wrong output and the injector's check of itself there
    /// (<paramref name="checks"/>; null where none was made: the stratified estimator strikes exact counts).
    /// </summary>
    public static JsonObject Campaign(SweepPlan plan, RateCampaignSettings template, IReadOnlyList<PointInjectorCheck>? checks = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(template);
        var byPoint = (checks ?? []).ToDictionary(c => (c.Configuration, c.ErrorRate), c => c.Checks);
        return new JsonObject
        {
            ["node_rates"] = template.Environment.NodeRates?.CanonicalText() ?? "equal",
            ["step_rates"] = StepRates(template.Environment),
            ["burst_rate"] = template.Environment.BurstRate,
            ["burst_size"] = template.Environment.BurstRate > 0 ? template.Environment.BurstSize : null,
            ["injector_false_alarm"] = checks is { Count: > 0 } ? InjectorCheck.FalseAlarm : null,
            ["configurations"] = new JsonArray(plan.Configurations.Select((code, configuration) => (JsonNode?)new JsonObject
            {
                ["scheme"] = Core.Coding.CodeConfiguration.Name(code.Scheme),
                ["nodes"] = code.NodeCount,
                ["m"] = code.RowSplit,
                ["n"] = code.ColumnSplit,
                ["rates"] = new JsonArray(template.ErrorRates.Select(rate => (JsonNode?)new JsonObject
                {
                    ["error_rate"] = rate,
                    ["node_rates"] = Numbers(CampaignFaults.NodeRates(template with { Code = code }, rate) ?? Enumerable.Repeat(rate, code.NodeCount).ToArray()),
                    ["injector_check"] = byPoint.TryGetValue((configuration, rate), out var check) ? Checks(check) : null,
                }).ToArray()),
            }).ToArray()),
        };
    }

    /// <summary>The step kinds' own rates (those not listed run at the default rate).</summary>
    public static JsonObject StepRates(FaultEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var result = new JsonObject();
        foreach (var (step, rate) in environment.StepRates.OrderBy(s => s.Key))
        {
            result[FaultEnvironment.Name(step)] = rate;
        }

        return result;
    }

    /// <summary>
    /// A training run's environment: every step kind's rate on every node (kinds never struck
    /// left out), and the injector's check of itself per step kind.
    /// </summary>
    public static JsonObject Training(TrainingResult run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var settings = run.Settings;
        var nodes = FaultRates.NodeCount(settings);
        var rates = FaultRates.Rates(settings, nodes);
        var perKind = new JsonObject();
        for (var k = 0; k < FaultSites.StepKinds; k++)
        {
            var kind = (FaultSteps)(1 << k);
            if ((FaultRates.Steps(settings) & kind) != 0 && settings.Scheme != TrainingScheme.FaultFree)
            {
                perKind[FaultRecord.Name(kind)] = Numbers(Enumerable.Range(0, nodes).Select(p => rates[(p * FaultSites.StepKinds) + k]));
            }
        }

        return new JsonObject
        {
            ["default_rate"] = settings.ErrorRate,
            ["node_rates"] = settings.Environment.NodeRates?.CanonicalText() ?? "equal",
            ["step_rates"] = StepRates(settings.Environment),
            ["burst_rate"] = settings.Scheme == TrainingScheme.FaultFree ? 0 : settings.Environment.BurstRate,
            ["burst_size"] = settings.Environment.BurstRate > 0 && settings.Scheme != TrainingScheme.FaultFree ? settings.Environment.BurstSize : null,
            ["rates"] = perKind,
            ["faults_logged"] = run.FaultLog.Count,
            ["burst_faults_logged"] = run.FaultLog.Count(f => f.Cause != FaultCause.Independent),
            ["injector_check"] = Checks(run.InjectorChecks),
        };
    }

    /// <summary>
    /// The injector's checks as manifests state them: per step kind (or "burst": one draw per
    /// coded product or decode at the burst rate) the draws, the faults, the expected count and the
    /// verdict, and the same for each rate group (the level each was checked at beside it).
    /// </summary>
    public static JsonArray Checks(IEnumerable<InjectorCheck> checks)
    {
        ArgumentNullException.ThrowIfNull(checks);
        return new JsonArray(checks.Select(c => (JsonNode?)new JsonObject
        {
            ["step_kind"] = c.Kind,
            ["opportunities"] = c.Opportunities,
            ["faults"] = c.Faults,
            ["expected_faults"] = c.ExpectedFaults,
            ["in_acceptance_region"] = c.InRegion,
            ["false_alarm"] = InjectorCheck.FalseAlarm,
            ["group_level"] = c.GroupAlpha,
            ["detail"] = c.Detail,
            ["rate_groups"] = new JsonArray(c.Groups.Select(g => (JsonNode?)new JsonObject
            {
                ["rate"] = g.Rate,
                ["nodes"] = g.Nodes,
                ["opportunities"] = g.Opportunities,
                ["faults"] = g.Faults,
                ["expected_faults"] = g.ExpectedFaults,
                ["in_acceptance_region"] = g.InRegion,
            }).ToArray()),
        }).ToArray());
    }

    /// <summary>One warning line per step kind whose fault count lies outside the exact acceptance region of its rates.</summary>
    public static IEnumerable<string> Warnings(TrainingResult run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return run.InjectorChecks.Where(c => !c.InRegion).Select(c =>
            $"warning: {TrainingSettings.Name(run.Settings.Scheme)} {c.Kind} faults: {c.Detail} (the injector may be drifting; false-alarm level {InjectorCheck.FalseAlarm.ToString(System.Globalization.CultureInfo.InvariantCulture)})");
    }

    /// <summary>One warning line per sweep point and kind whose count lies outside the exact acceptance region of its rates.</summary>
    public static IEnumerable<string> Warnings(SweepPlan plan, IReadOnlyList<PointInjectorCheck> checks)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(checks);
        return checks.SelectMany(point => point.Checks.Where(c => !c.InRegion).Select(c =>
        {
            var code = plan.Configurations[point.Configuration];
            return string.Create(
                System.Globalization.CultureInfo.InvariantCulture,
                $"warning: {Core.Coding.CodeConfiguration.Name(code.Scheme)} P={code.NodeCount} m={code.RowSplit} n={code.ColumnSplit} error rate {point.ErrorRate:R} {c.Kind} faults: {c.Detail} (the injector may be drifting; false-alarm level {InjectorCheck.FalseAlarm})");
        }));
    }

    /// <summary>A JSON array of numbers.</summary>
    public static JsonArray Numbers(IEnumerable<double> values) => new(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
}
