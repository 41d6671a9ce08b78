// Over 300 lines: the settings record, its enums and CodeNet's preset are one description of a run; half of it is XML docs.
using System.Globalization;
using SoftErrorSim.Core.Coding;
using SoftErrorSim.Core.Faults;

namespace SoftErrorSim.Core.Training;

/// <summary>How the weight matrices are spread over the nodes (SPEC 5).</summary>
public enum TrainingScheme
{
    /// <summary>Generalized PolyDot: every node stores one coded block of every layer.</summary>
    Gpd,

    /// <summary>CodeNet's 2-D systematic MDS grid.</summary>
    Mds,

    /// <summary>floor(P/mn) copies of each of the mn blocks.</summary>
    Replication,

    /// <summary>One copy of each of the mn blocks on mn nodes: no redundancy.</summary>
    Uncoded,

    /// <summary>The reference: the uncoded partition with no faults at all.</summary>
    FaultFree,
}

/// <summary>What a soft error does in training (SPEC 3).</summary>
public enum FaultKind
{
    /// <summary>CodeNet's model: a persistent perturbation of 0.5% of the stored weights, uniform in [-5, 5] (on vectors: of 0.5% of the entries).</summary>
    SparseWeight,

    /// <summary>A continuous random error scaled to the value's RMS.</summary>
    Gaussian,

    /// <summary>One flipped bit of one random entry.</summary>
    BitFlip,
}

/// <summary>How the initial weights are drawn.</summary>
public enum WeightInitialization
{
    /// <summary>He-normal: N(0, 2 / fan_in), for ReLU networks (our default).</summary>
    HeNormal,

    /// <summary>Glorot-normal: N(0, 2 / (fan_in + fan_out)), as in CodeNet's implementation.</summary>
    GlorotNormal,
}

/// <summary>The node-local steps a soft error can strike (SPEC 3), each at the per-node error rate.</summary>
[Flags]
public enum FaultSteps
{
    /// <summary>No step.</summary>
    None = 0,

    /// <summary>The local encoding of a product's input.</summary>
    Encode = 1,

    /// <summary>The coded product itself (forward and backward); with sparse-weight faults it perturbs the stored block.</summary>
    Product = 2,

    /// <summary>The node's own decode of the all-gathered outputs.</summary>
    Decode = 4,

    /// <summary>The ReLU (and the softmax gradient at the output).</summary>
    Activation = 8,

    /// <summary>The Hadamard product with f' in the backward pass.</summary>
    Hadamard = 16,

    /// <summary>The coded update of the stored block (persistent).</summary>
    Update = 32,
}

/// <summary>
/// The simple cost model that turns per-node work into simulated time: every step takes the
/// slowest node's arithmetic at <see cref="FlopsPerSecond"/>, plus one all-gather of
/// <see cref="LinkLatencySeconds"/> and the words each node receives at <see cref="WordsPerSecond"/>;
/// a checkpoint (and a rollback's restore) moves every node's stored blocks at <see cref="CheckpointWordsPerSecond"/>.
/// </summary>
public sealed record CostModel
{
    /// <summary>Floating-point operations per second of one node (default 1e9).</summary>
    public double FlopsPerSecond { get; init; } = 1e9;

    /// <summary>Latency of one all-gather (default 10 microseconds).</summary>
    public double LinkLatencySeconds { get; init; } = 1e-5;

    /// <summary>Words (doubles) a node receives per second (default 1.25e8, 1 GB/s).</summary>
    public double WordsPerSecond { get; init; } = 1.25e8;

    /// <summary>Words per second a node writes to (or reads from) checkpoint storage (default 1.25e7, 100 MB/s).</summary>
    public double CheckpointWordsPerSecond { get; init; } = 1.25e7;

    /// <summary>
    /// Every node's own flops rate (SPEC 5: nodes may differ in speed), node p entry p; null: every
    /// node at <see cref="FlopsPerSecond"/>. A step's arithmetic takes as long as the slowest node's.
    /// </summary>
    public IReadOnlyList<double>? NodeFlopsPerSecond { get; init; }

    /// <summary>The flops rate a step's arithmetic runs at: the slowest node's (every node of the run takes part in every step).</summary>
    public double SlowestFlopsPerSecond => NodeFlopsPerSecond is { Count: > 0 } speeds ? speeds.Min() : FlopsPerSecond;

    /// <summary>Throws <see cref="ArgumentException"/> unless every rate is positive and finite.</summary>
    public CostModel Validate()
    {
        if (NodeFlopsPerSecond is { } speeds && speeds.Any(s => !(s > 0) || !double.IsFinite(s)))
        {
            throw new ArgumentException("‹node-flops› values must be positive and finite");
        }

        if (!(FlopsPerSecond > 0) || !(WordsPerSecond > 0) || !(CheckpointWordsPerSecond > 0) || !(LinkLatencySeconds >= 0) || !double.IsFinite(FlopsPerSecond + WordsPerSecond + LinkLatencySeconds))
        {
            throw new ArgumentException("cost model rates must be positive and finite, latency non-negative");
        }

        return this;
    }
}

/// <summary>One training run (SPEC 5): the network, the data sizes, the code, the faults and the run.</summary>
public sealed record TrainingSettings
{
    /// <summary>The scheme.</summary>
    public TrainingScheme Scheme { get; init; } = TrainingScheme.Gpd;

    /// <summary>Layer widths, input first, classes last (at least two entries).</summary>
    public IReadOnlyList<int> Layers { get; init; } = [784, 100, 100, 10];

    /// <summary>SGD step size.</summary>
    public double LearningRate { get; init; } = 0.005;

    /// <summary>Training samples (each seen once per run, in rounds).</summary>
    public int TrainSamples { get; init; } = 2000;

    /// <summary>Test samples, evaluated after every round.</summary>
    public int TestSamples { get; init; } = 500;

    /// <summary>Rounds: the training samples are split into this many equal rounds.</summary>
    public int Rounds { get; init; } = 10;

    /// <summary>Samples per SGD step, B (1: matrix-vector codes; above 1 GPD codes the batch as a matrix).</summary>
    public int Batch { get; init; } = 1;

    /// <summary>The matrix-matrix code's batch split d (GPD, B &gt; 1): the batch's columns are coded in d groups.</summary>
    public int BatchSplit { get; init; } = 1;

    /// <summary>Node count P.</summary>
    public int NodeCount { get; init; } = 8;

    /// <summary>Row split m of every weight matrix.</summary>
    public int RowSplit { get; init; } = 2;

    /// <summary>Column split n of every weight matrix.</summary>
    public int ColumnSplit { get; init; } = 2;

    /// <summary>CodeNet grid rows (mds).</summary>
    public int? RowNodes { get; init; }

    /// <summary>CodeNet grid columns (mds).</summary>
    public int? ColumnNodes { get; init; }

    /// <summary>Per-node probability that a struck step errs, per step.</summary>
    public double ErrorRate { get; init; } = 3e-4;

    /// <summary>What an error does.</summary>
    public FaultKind Fault { get; init; } = FaultKind.SparseWeight;

    /// <summary>Evaluation points of GPD: the unit circle (default) or a real kind (the paper's literal construction).</summary>
    public EvaluationPointKind Points { get; init; } = EvaluationPointKind.UnitCircle;

    /// <summary>Which steps can be struck (CodeNet: products and updates).</summary>
    public FaultSteps Steps { get; init; } = FaultSteps.Product | FaultSteps.Update;

    /// <summary>Samples between verified checkpoints.</summary>
    public int CheckpointEvery { get; init; } = 50;

    /// <summary>Root seed: data split, initial weights, fault streams.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Worker threads for the nodes' products; results do not depend on it.</summary>
    public int Threads { get; init; } = 1;

    /// <summary>The cost model.</summary>
    public CostModel Cost { get; init; } = new();

    /// <summary>Rates per step kind and per node beyond <see cref="ErrorRate"/> (SPEC 3); a step kind given a rate is struck even when <see cref="Steps"/> leaves it out.</summary>
    public FaultEnvironment Environment { get; init; } = new();

    /// <summary>A fault log to replay: exactly its faults strike, no others (null: faults are drawn at the rates).</summary>
    public IReadOnlyList<FaultRecord>? ReplayFaults { get; init; }

    /// <summary>The steps whose timeline the run records (null: none).</summary>
    public TraceWindow? Trace { get; init; }

    /// <summary>Samples per round.</summary>
    public int SamplesPerRound => TrainSamples / Rounds;

    /// <summary>Whether every layer has a bias vector (kept identical on every node and updated with the mean delta; CodeNet's networks have them).</summary>
    public bool Biases { get; init; }

    /// <summary>How the initial weights are drawn.</summary>
    public WeightInitialization Initialization { get; init; } = WeightInitialization.HeNormal;

    /// <summary>A factor applied to every input (MNIST pixels are bytes / 255; CodeNet divides by 128, a factor 255/128).</summary>
    public double InputScale { get; init; } = 1;

    /// <summary>
    /// Whether the first layer also computes (and decodes) its backward product, whose result no
    /// update needs: CodeNet's implementation does, and its fault sites count.
    /// </summary>
    public bool BackwardFirstLayer { get; init; }

    /// <summary>
    /// CodeNet's own setting (SPEC 5; the authors' public code): MNIST, 784-10000-10000-10 with
    /// biases, Glorot-normal initialisation, pixels / 128, batch 1, learning rate 0.005, 2000
    /// training and 500 test samples in 10 rounds, sparse-weight faults at 3e-4 per node per forward
    /// product, backward product (every layer, the first included) and update, verified checkpoints
    /// after every iteration. Storage 1/20 of every
    /// W per node on about 40 nodes: CodeNet's grid (Pr, m, Pc, n) = (7, 5, 6, 4) on 38 nodes;
    /// replication 2 x (5 x 4) on 40; uncoded spread over all 40 nodes (m = 10, n = 4, 1/P each);
    /// GPD on 40 nodes at the split of mn = 20 with the largest per-iteration tolerance, m = 2,
    /// n = 10 (min(P - K_fwd - 1, P - K_bwd - 1) = 9; 4 x 5 gives 4), on the unit circle.
    /// </summary>
    public static TrainingSettings CodeNet(TrainingScheme scheme)
    {
        var common = new TrainingSettings
        {
            Scheme = scheme,
            Layers = [784, 10000, 10000, 10],
            LearningRate = 0.005,
            TrainSamples = 2000,
            TestSamples = 500,
            Rounds = 10,
            ErrorRate = 3e-4,
            Fault = FaultKind.SparseWeight,
            Steps = FaultSteps.Product | FaultSteps.Update,
            Biases = true,
            Initialization = WeightInitialization.GlorotNormal,
            InputScale = 255.0 / 128,
            BackwardFirstLayer = true,

            // CodeNet verifies and checkpoints every iteration: a detected decode costs one step
            // (with 360 fault sites per sample on 40 nodes, a 50-sample interval would rarely be
            // crossed by replication's 2 copies).
            CheckpointEvery = 1,
        };
        return scheme switch
        {
            TrainingScheme.Gpd => common with { NodeCount = 40, RowSplit = 2, ColumnSplit = 10 },
            TrainingScheme.Mds => common with { NodeCount = 38, RowSplit = 5, ColumnSplit = 4, RowNodes = 7, ColumnNodes = 6 },
            TrainingScheme.Replication => common with { NodeCount = 40, RowSplit = 5, ColumnSplit = 4 },
            _ => common with { NodeCount = 40, RowSplit = 10, ColumnSplit = 4 },
        };
    }

    /// <summary>The code configuration every layer uses (P, m, n, grid).</summary>
    public CodeConfiguration Code => new()
    {
        Scheme = Scheme switch
        {
            TrainingScheme.Gpd => SchemeKind.Gpd,
            TrainingScheme.Mds => SchemeKind.Mds,
            TrainingScheme.Replication => SchemeKind.Replication,
            _ => SchemeKind.Uncoded,
        },
        NodeCount = Scheme == TrainingScheme.Mds && RowNodes is { } pr && ColumnNodes is { } pc
            ? CodeConfiguration.CodeNetNodeCount(pr, RowSplit, pc, ColumnSplit)
            : NodeCount,
        RowSplit = RowSplit,
        ColumnSplit = ColumnSplit,
        BatchSplit = Scheme == TrainingScheme.Gpd && Batch > 1 ? BatchSplit : null,
        RowNodes = Scheme == TrainingScheme.Mds ? RowNodes : null,
        Points = Points,
        ColumnNodes = Scheme == TrainingScheme.Mds ? ColumnNodes : null,
    };

    /// <summary>What a fault of the given kind does, as the one fault injector's model.</summary>
    public static ErrorValueModel Model(FaultKind kind) => kind switch
    {
        FaultKind.SparseWeight => ErrorValueModel.SparseWeight,
        FaultKind.Gaussian => new ErrorValueModel { Kind = ErrorModelKind.Gaussian },
        _ => new ErrorValueModel { Kind = ErrorModelKind.BitFlip },
    };

    /// <summary>The command-line name of a scheme.</summary>
    public static string Name(TrainingScheme scheme) => scheme == TrainingScheme.FaultFree ? "fault-free" : scheme.ToString().ToLowerInvariant();

    /// <summary>Checks everything that does not need the data; throws <see cref="ArgumentException"/> or <see cref="InvalidConfigurationException"/> with a one-line reason.</summary>
    public TrainingSettings Validate()
    {
        if (Layers.Count < 2 || Layers.Any(w => w < 1))
        {
            throw new ArgumentException($"‹layers› needs at least two positive widths (got {string.Join(",", Layers)})");
        }

        if (Layers[^1] < 2)
        {
            throw new ArgumentException("the last layer must have at least two classes");
        }

        if (!(LearningRate > 0) || !double.IsFinite(LearningRate))
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"‹learning-rate› must be positive (got {LearningRate})"));
        }

        if (Rounds < 1 || TrainSamples < Rounds || TrainSamples % Rounds != 0)
        {
            throw new ArgumentException($"‹train-samples› ({TrainSamples}) must be a positive multiple of ‹rounds› ({Rounds})");
        }

        if (TestSamples < 1)
        {
            throw new ArgumentException($"‹test-samples› must be positive (got {TestSamples})");
        }

        if (!(ErrorRate >= 0 && ErrorRate <= 1))
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"‹error-rate› must lie in [0, 1] (got {ErrorRate})"));
        }

        if (CheckpointEvery < 1)
        {
            throw new ArgumentException($"‹checkpoint-every› must be positive (got {CheckpointEvery})");
        }

        if (Batch < 1 || SamplesPerRound % Batch != 0 || CheckpointEvery % Batch != 0)
        {
            throw new ArgumentException($"‹batch› ({Batch}) must be positive and divide the samples per round ({SamplesPerRound}) and ‹checkpoint-every› ({CheckpointEvery})");
        }

        if (BatchSplit < 1 || Batch % BatchSplit != 0)
        {
            throw new ArgumentException($"‹d› ({BatchSplit}) must be positive and divide ‹batch› ({Batch})");
        }

        if (!(InputScale > 0) || !double.IsFinite(InputScale))
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"the input scale must be positive and finite (got {InputScale})"));
        }

        if (Threads < 1)
        {
            throw new ArgumentException($"‹threads› must be positive (got {Threads})");
        }

        Cost.Validate();
        if (Scheme == TrainingScheme.Mds && (RowNodes is null || ColumnNodes is null))
        {
            throw new InvalidConfigurationException("mds training needs ‹row-nodes› and ‹col-nodes›");
        }

        var code = Code.Validate();
        if (Scheme == TrainingScheme.Gpd)
        {
            var d = code.BatchSplit ?? 1;
            var k = Math.Max((code.RowSplit * code.ColumnSplit * d) + code.ColumnSplit - 1, (2 * code.RowSplit * code.ColumnSplit) - code.ColumnSplit);
            if (code.NodeCount <= k)
            {
                throw new InvalidConfigurationException($"gpd training needs P > max(K_fwd{(d > 1 ? " with d = " + d.ToString(CultureInfo.InvariantCulture) : string.Empty)}, K_bwd) = {k} so that every decode can be checked (got P = {code.NodeCount})");
            }

            // Every decode of the run reads its wanted blocks through these systems (or through
            // subsets of them): when the decoding contract refuses even a clean decode on all
            // nodes, every decode would be detected and the run could only roll back.
            foreach (var pass in new[] { PassKind.Forward, PassKind.Backward })
            {
                if (!Schemes.CodeReport.CleanDecodeAccepted(code, pass, d > 1 ? Batch : 1, Math.Max(Layers.Max(), 1)))
                {
                    throw new InvalidConfigurationException(string.Create(
                        CultureInfo.InvariantCulture,
                        $"gpd with P = {code.NodeCount}, m = {code.RowSplit}, n = {code.ColumnSplit} on {EvaluationPoints.Name(code.Points)} points: the {CodeConfiguration.Name(pass)} decoding system is too ill-conditioned for float64 (even a clean decode's estimated error exceeds {Decoding.DecodingTolerance.SuccessRelativeError:0e0}), so every decode would be detected; use unit-circle points (‹points› unit-circle) or a smaller m n for this P"));
                }
            }
        }

        if (Scheme is TrainingScheme.Uncoded or TrainingScheme.FaultFree or TrainingScheme.Replication && code.NodeCount < code.RowSplit * code.ColumnSplit)
        {
            throw new InvalidConfigurationException($"{Name(Scheme)} needs at least mn = {code.RowSplit * code.ColumnSplit} nodes (got {code.NodeCount})");
        }

        FaultRates.Validate(this);

        return this;
    }
}
