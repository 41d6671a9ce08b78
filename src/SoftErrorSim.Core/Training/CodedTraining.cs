using MathNet.Numerics.LinearAlgebra;

namespace SoftErrorSim.Core.Training;

/// <summary>
/// Decentralised coded training on P simulated unreliable nodes (SPEC 5): the entry points. The
/// network maths is <see cref="Network"/>, the step loop <see cref="TrainingRun"/>, the fault
/// environment <see cref="FaultSites"/>, the accounting <see cref="Ledger"/>, the checkpoint
/// <see cref="Checkpoint"/>; every scheme stores its layers through its own CodedLayer.
/// </summary>
public static class CodedTraining
{
    /// <summary>Rollbacks within one round after which the run gives up (the error rate is too high for the scheme).</summary>
    public const int MaxRollbacksPerRound = 200;

    /// <summary>Runs one scheme on the given data.</summary>
    public static TrainingResult Run(TrainingSettings settings, Dataset train, Dataset test, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        settings.Validate();
        if (train.Features != settings.Layers[0] || train.Classes != settings.Layers[^1])
        {
            throw new ArgumentException($"the layer widths must start with the data's {train.Features} features and end with its {train.Classes} classes (got {string.Join(",", settings.Layers)})");
        }

        if (train.Count < settings.TrainSamples || test.Count < settings.TestSamples)
        {
            throw new ArgumentException($"the data holds {train.Count} training and {test.Count} test samples, fewer than asked for");
        }

        return new TrainingRun(settings, train, test, progress, null, cancellationToken).Run();
    }

    /// <summary>A run whose faults strike exactly where <paramref name="forced"/> says (the error rate is ignored): for targeted tests.</summary>
    internal static TrainingResult Run(TrainingSettings settings, Dataset train, Dataset test, Func<FaultSite, bool> forced)
    {
        settings.Validate();
        return new TrainingRun(settings, train, test, null, forced, CancellationToken.None).Run();
    }

    /// <summary>The initial weights every scheme of a comparison starts from (<see cref="Network.InitialWeights"/>).</summary>
    public static Matrix<double>[] InitialWeights(IReadOnlyList<int> layers, ulong seed) => Network.InitialWeights(layers, seed);
}
