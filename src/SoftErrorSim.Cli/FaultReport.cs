using System.Text.Json.Nodes;
using SoftErrorSim.Core.Faults;
using SoftErrorSim.Core.MonteCarlo;

namespace SoftErrorSim.Cli;

/// <summary>The fault environment as manifests record it: the rate of every step kind and of every node actually used.</summary>
public static class FaultReport
{
    /// <summary>A campaign's environment: the spread and step rates, then per configuration and error rate every node's probability of a wrong output.</summary>
    public static JsonObject Campaign(SweepPlan plan, RateCampaignSettings template)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(template);
        return new JsonObject
        {
            ["node_rates"] = template.Environment.NodeRates?.CanonicalText() ?? "equal",
            ["step_rates"] = StepRates(template.Environment),
            ["configurations"] = new JsonArray(plan.Configurations.Select(code => (JsonNode?)new JsonObject
            {
                ["scheme"] = Core.Coding.CodeConfiguration.Name(code.Scheme),
                ["nodes"] = code.NodeCount,
                ["m"] = code.RowSplit,
                ["n"] = code.ColumnSplit,
                ["rates"] = new JsonArray(template.ErrorRates.Select(rate => (JsonNode?)new JsonObject
                {
                    ["error_rate"] = rate,
                    ["node_rates"] = Numbers(CampaignFaults.NodeRates(template with { Code = code }, rate) ?? Enumerable.Repeat(rate, code.NodeCount).ToArray()),
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

    /// <summary>A JSON array of numbers.</summary>
    public static JsonArray Numbers(IEnumerable<double> values) => new(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
}
