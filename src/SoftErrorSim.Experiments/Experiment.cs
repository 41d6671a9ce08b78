using SoftErrorSim.Reporting;

namespace SoftErrorSim.Experiments;

/// <summary>How `reproduce` runs an experiment: full size or a smoke run, the seed, the threads.</summary>
public sealed record ExperimentContext(bool Quick, ulong Seed, int Threads, CancellationToken CancellationToken);

/// <summary>One check of an experiment's result against its theory.</summary>
public sealed record ExperimentCheck(string Name, bool Passed, string Detail);

/// <summary>What an experiment produced: its data (CSV text), its figure(s), its parameters and its checks.</summary>
public sealed record ExperimentOutput(
    string Csv,
    IReadOnlyDictionary<string, byte[]> Figures,
    object Parameters,
    IReadOnlyList<ExperimentCheck> Checks);

/// <summary>
/// One figure of SPEC section 8 (experiments/README.md maps each id to its question): what it
/// asks, the theory it is checked against, and how to produce its data and figure.
/// </summary>
public abstract class Experiment
{
    /// <summary>The stable kebab-case id (the folder name under results/).</summary>
    public abstract string Id { get; }

    /// <summary>The question the figure answers.</summary>
    public abstract string Question { get; }

    /// <summary>The theory the run is checked against.</summary>
    public abstract string Theory { get; }

    /// <summary>Runs the experiment.</summary>
    public abstract ExperimentOutput Run(ExperimentContext context);

    /// <summary>Every experiment, in figure order.</summary>
    public static IReadOnlyList<Experiment> All { get; } =
    [
        new ToleranceExperiment(),
        new GainExperiment(),
        new CliffExperiment(),
        new RateExperiment(),
        new SplitExperiment(),
        new TrainingExperiment(),
        new CheckpointExperiment(),
        new NumericalRangeExperiment(),
        new FaultEnvironmentExperiment(),
    ];

    /// <summary>A check from a condition.</summary>
    protected static ExperimentCheck Check(string name, bool passed, string detail) => new(name, passed, detail);

    /// <summary>An invariant-culture number for a CSV field.</summary>
    protected static string N(double value) => InvariantText.Number(value);

    /// <summary>An invariant-culture integer for a CSV field.</summary>
    protected static string I(long value) => InvariantText.Whole(value);
}
