using System.Globalization;
using SoftErrorSim.Core.Faults;
using SoftErrorSim.Core.Schemes;

namespace SoftErrorSim.Core.Training;

/// <summary>
/// The rate of every node and step kind of a training run (SPEC 3): the default rate, overridden
/// per step kind, spread over the nodes. The default environment gives every node and enabled
/// step the default rate, so its draws are exactly those of a single rate.
/// </summary>
public static class FaultRates
{
    /// <summary>The nodes a run's layers are spread over: P for gpd, the grid for mds, r mn for replication, mn for uncoded and fault-free.</summary>
    public static int NodeCount(TrainingSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var code = settings.Code;
        return settings.Scheme switch
        {
            TrainingScheme.Gpd or TrainingScheme.Mds => code.NodeCount,
            TrainingScheme.Replication => ReplicationScheme.Copies(code) * code.BlockCount,
            _ => code.BlockCount,
        };
    }

    /// <summary>The step kinds that can be struck: those enabled, and every kind given its own rate.</summary>
    public static FaultSteps Steps(TrainingSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var steps = settings.Steps;
        foreach (var step in settings.Environment.StepRates.Keys)
        {
            steps |= Step(step);
        }

        return steps;
    }

    /// <summary>The step flag of a step kind (the kinds are listed in the order of the flags' bits).</summary>
    public static FaultSteps Step(StepKind kind) => (FaultSteps)(1 << (int)kind);

    /// <summary>Every node's rate of every step kind, [node * <see cref="FaultSites.StepKinds"/> + kind]; zero where the kind is not struck, and everywhere in the fault-free run.</summary>
    public static double[] Rates(TrainingSettings settings, int nodeCount)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var rates = new double[nodeCount * FaultSites.StepKinds];
        if (settings.Scheme == TrainingScheme.FaultFree)
        {
            return rates;
        }

        var steps = Steps(settings);
        for (var k = 0; k < FaultSites.StepKinds; k++)
        {
            if ((steps & (FaultSteps)(1 << k)) == 0)
            {
                continue;
            }

            var nodeRates = settings.Environment.NodeRatesFor((StepKind)k, nodeCount, settings.ErrorRate, settings.Seed);
            for (var p = 0; p < nodeCount; p++)
            {
                rates[(p * FaultSites.StepKinds) + k] = nodeRates[p];
            }
        }

        return rates;
    }

    /// <summary>Throws <see cref="ArgumentException"/> unless the environment fits the run's nodes.</summary>
    public static void Validate(TrainingSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var nodes = NodeCount(settings);
        settings.Environment.Validate(nodes);
        if (settings.Cost.NodeFlopsPerSecond is { } speeds && speeds.Count != nodes)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"‹node-flops› lists {speeds.Count} speeds for {nodes} nodes: give one per node"));
        }

        if (settings.ReplayFaults?.FirstOrDefault(f => f.Node < 0 || f.Node >= nodes) is { } stray)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"‹replay-faults› names node {stray.Node}, but this run has {nodes} nodes"));
        }

        if (settings.ReplayFaults?.FirstOrDefault(f => f.FaultKind != TrainingSettings.Model(settings.Fault).Kind) is { } other)
        {
            throw new ArgumentException($"‹replay-faults› holds {ErrorValueModel.Name(other.FaultKind)} faults, but this run's faults are {ErrorValueModel.Name(TrainingSettings.Model(settings.Fault).Kind)}: replay with the same ‹fault›");
        }
    }

    /// <summary>The fault sites of a run.</summary>
    internal static FaultSites Sites(TrainingSettings settings, int nodeCount, Func<FaultSite, bool>? forced)
    {
        var faultFree = settings.Scheme == TrainingScheme.FaultFree;
        return new FaultSites(
            nodeCount,
            settings.Seed,
            Rates(settings, nodeCount),
            Steps(settings),
            TrainingSettings.Model(settings.Fault),
            faultFree ? null : forced,
            settings.Scheme != TrainingScheme.Uncoded,
            faultFree ? null : settings.ReplayFaults,
            faultFree ? null : settings.Environment);
    }
}
