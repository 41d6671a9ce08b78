using MathNet.Numerics.LinearAlgebra;
using SoftErrorSim.Core.Coding;
using SoftErrorSim.Core.Decoding;
using SoftErrorSim.Core.Faults;
using SoftErrorSim.Core.Randomness;

namespace SoftErrorSim.Core.Training;

/// <summary>One round of a training run: the model's quality and everything the cluster did.</summary>
public sealed record TrainingRow(
    string Scheme,
    int Round,
    long SamplesSeen,
    double Loss,
    double TestLoss,
    double TestAccuracy,
    long Decodes,
    long Clean,
    long Corrected,
    long Detected,
    long Miscorrected,
    long Repairs,
    long Rollbacks,
    long FaultsInjected,
    double SimulatedSeconds,
    double Flops,
    double WordsSent);

/// <summary>A whole run: its rows, the thresholds its decodes used, and what the run had to adapt or gave up on.</summary>
public sealed record TrainingResult(
    TrainingSettings Settings,
    IReadOnlyList<TrainingRow> Rows,
    int NodeCount,
    int ForwardThreshold,
    int BackwardThreshold,
    IReadOnlyList<string> Notes,
    string? Stopped)
{
    /// <summary>Simulated time of one checkpoint write or restore (the cost model's checkpoint bandwidth).</summary>
    public double CheckpointTransferSeconds { get; init; }

    /// <summary>How many fault draws the run made (sites where a fault could strike, re-executed steps included).</summary>
    public long FaultOpportunities { get; init; }

    /// <summary>Per step kind: the draws made and how many struck (the injector's own record, against which its rate is checked).</summary>
    public IReadOnlyList<FaultDrawCount> FaultDraws { get; init; } = [];

    /// <summary>Every decode that blamed nodes, in order: where it happened and whom it blamed (for targeted tests).</summary>
    internal IReadOnlyList<BlameEvent> Blames { get; init; } = [];
}

/// <summary>The fault draws of one step kind over a run: each is one Bernoulli(eps) trial of one node at one site.</summary>
public sealed record FaultDrawCount(FaultSteps Step, long Opportunities, long Strikes);

/// <summary>A decode (or storage check, Layer -1 direction false) that blamed nodes.</summary>
internal sealed record BlameEvent(int Sample, int Layer, bool Forward, IReadOnlyList<int> Nodes);

/// <summary>Progress of a training run.</summary>
public readonly record struct TrainingProgress(long SamplesDone, long SamplesTotal, long Rollbacks);

/// <summary>
/// Decentralised coded training on P simulated unreliable nodes (SPEC 5). Per sample and layer
/// every node encodes its own copy of the input, multiplies by its stored block, the outputs are
/// all-gathered and every node decodes the whole result itself and applies the nonlinearity
/// itself; backwards likewise with the transposed products and the Hadamard product with f'; then
/// every node applies the coded rank-one update to its stored block. A soft error can strike any
/// of these node-local steps. A node whose copy went wrong errs in its next coded output, where
/// the next decode blames it; a blamed node's block is repaired from good nodes. A detected decode
/// rolls the run back to the last checkpoint, and checkpoints are taken only after a verification
/// pass over the stored blocks.
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
            throw new ArgumentException($"--layers must start with the data's {train.Features} features and end with its {train.Classes} classes (got {string.Join(",", settings.Layers)})");
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

    /// <summary>The initial weights every scheme of a comparison starts from: He-normal, from the seed alone.</summary>
    public static Matrix<double>[] InitialWeights(IReadOnlyList<int> layers, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(layers);
        return Enumerable.Range(0, layers.Count - 1).Select(l =>
        {
            var random = StreamKey.Source(seed, StreamKey.Hash("initial-weights"), (ulong)l);
            var scale = Math.Sqrt(2.0 / layers[l]);
            var values = new double[layers[l + 1] * layers[l]];
            random.FillGaussian(values);
            for (var i = 0; i < values.Length; i++)
            {
                values[i] *= scale;
            }

            return Matrix<double>.Build.Dense(layers[l + 1], layers[l], values);
        }).ToArray();
    }

    /// <summary>The network's logits for one input with plain (unpadded) weights: ReLU between layers, none at the end.</summary>
    public static double[] Logits(IReadOnlyList<Matrix<double>> weights, double[] input)
    {
        ArgumentNullException.ThrowIfNull(weights);
        var activation = input;
        for (var l = 0; l < weights.Count; l++)
        {
            var output = new double[weights[l].RowCount];
            BlockProducts.Multiply(weights[l], activation, output);
            activation = l < weights.Count - 1 ? Relu(output) : output;
        }

        return activation;
    }

    /// <summary>Softmax cross-entropy of logits against a class, computed stably.</summary>
    public static double CrossEntropy(double[] logits, int label)
    {
        ArgumentNullException.ThrowIfNull(logits);
        var max = logits.Max();
        var sum = logits.Sum(z => Math.Exp(z - max));
        return -(logits[label] - max - Math.Log(sum));
    }

    /// <summary>softmax(z) - onehot(label): the gradient of the cross-entropy with respect to the logits.</summary>
    public static double[] OutputGradient(double[] logits, int label)
    {
        ArgumentNullException.ThrowIfNull(logits);
        var max = logits.Max();
        var exp = logits.Select(z => Math.Exp(z - max)).ToArray();
        var sum = exp.Sum();
        var gradient = exp.Select(e => e / sum).ToArray();
        gradient[label] -= 1;
        return gradient;
    }

    /// <summary>max(0, z) entrywise.</summary>
    public static double[] Relu(double[] values) => values.Select(v => v > 0 ? v : 0).ToArray();

    /// <summary>g * relu'(z) entrywise (relu'(z) = 1 for z &gt; 0, else 0).</summary>
    public static double[] ReluBackward(double[] gradient, double[] preActivation) =>
        gradient.Select((g, i) => preActivation[i] > 0 ? g : 0).ToArray();

    /// <summary>Test loss and accuracy of plain weights on a data set.</summary>
    public static (double Loss, double Accuracy) Evaluate(IReadOnlyList<Matrix<double>> weights, Dataset data, int samples)
    {
        ArgumentNullException.ThrowIfNull(data);
        double loss = 0;
        var correct = 0;
        for (var s = 0; s < samples; s++)
        {
            var logits = Logits(weights, data.Inputs[s]);
            loss += CrossEntropy(logits, data.Labels[s]);
            var best = 0;
            for (var k = 1; k < logits.Length; k++)
            {
                if (logits[k] > logits[best])
                {
                    best = k;
                }
            }

            correct += best == data.Labels[s] ? 1 : 0;
        }

        return (loss / samples, (double)correct / samples);
    }
}

/// <summary>Where a fault could strike: the sample (attempt), the step kind, the layer, the direction and the node.</summary>
internal readonly record struct FaultSite(int Sample, FaultSteps Step, int Layer, bool Forward, int Node);

/// <summary>The state and loop of one run.</summary>
internal sealed class TrainingRun
{
    private readonly TrainingSettings _settings;
    private readonly Dataset _train;
    private readonly Dataset _test;
    private readonly IProgress<TrainingProgress>? _progress;
    private readonly CancellationToken _cancellationToken;
    private readonly LayerCode[] _layers;
    private readonly Matrix<double>?[] _shadow;
    private readonly RandomSource[] _faults;
    private readonly RandomSource _decodeStream;
    private readonly RandomSource _verifyStream;
    private readonly double _errorRate;
    private readonly int _batch;
    private readonly HashSet<int>[] _corrupted;
    private readonly double[] _nodeFlops;
    private readonly int _nodeCount;
    private long _decodes;
    private long _clean;
    private long _corrected;
    private long _detected;
    private long _miscorrected;
    private long _repairs;
    private long _rollbacks;
    private long _faultsInjected;
    private readonly long[] _opportunities;
    private readonly long[] _strikes;
    private double _simulatedSeconds;
    private double _wordsSent;

    private readonly Func<FaultSite, bool>? _forced;
    private readonly List<BlameEvent> _blames = [];
    private Checkpoint? _checkpoint;
    private int _sample;
    private int _layer;
    private bool _forward;

    public TrainingRun(TrainingSettings settings, Dataset train, Dataset test, IProgress<TrainingProgress>? progress, Func<FaultSite, bool>? forced, CancellationToken cancellationToken)
    {
        _forced = forced;
        _settings = settings;
        _train = train;
        _test = test;
        _progress = progress;
        _cancellationToken = cancellationToken;
        var weights = CodedTraining.InitialWeights(settings.Layers, settings.Seed);
        _layers = weights.Select(w => LayerCode.Create(settings, w)).ToArray();
        _shadow = _layers.Select((layer, l) => layer.NeedsShadow && settings.Scheme != TrainingScheme.FaultFree
            ? Matrix<double>.Build.Dense(layer.PaddedRows, layer.PaddedCols, (i, j) => i < layer.Rows && j < layer.Cols ? weights[l][i, j] : 0)
            : null).ToArray();
        _nodeCount = _layers[0].Stored.Length;
        _faults = Enumerable.Range(0, _nodeCount).Select(p => StreamKey.Source(settings.Seed, StreamKey.Hash("node-faults"), (ulong)p)).ToArray();
        _decodeStream = StreamKey.Source(settings.Seed, StreamKey.Hash("decode"));
        _verifyStream = StreamKey.Source(settings.Seed, StreamKey.Hash("verify"));
        _errorRate = settings.Scheme == TrainingScheme.FaultFree ? 0 : settings.ErrorRate;
        _batch = settings.Batch;
        _nodeFlops = new double[_nodeCount];
        _corrupted = _layers.Select(_ => new HashSet<int>()).ToArray();
        _opportunities = new long[_nodeCount * FaultStepKinds];
        _strikes = new long[_nodeCount * FaultStepKinds];
    }

    private bool Checked => _settings.Scheme != TrainingScheme.FaultFree;

    /// <summary>Simulated time to write (or read back) a checkpoint: every node moves its stored blocks at once.</summary>
    public double CheckpointTransferSeconds =>
        _settings.Cost.LinkLatencySeconds + (_layers.Sum(l => (double)l.BlockRows * l.BlockCols) / _settings.Cost.CheckpointWordsPerSecond);

    public TrainingResult Run()
    {
        var notes = new List<string>();
        for (var l = 0; l < _layers.Length; l++)
        {
            var layer = _layers[l];
            if (layer.PaddedRows != layer.Rows || layer.PaddedCols != layer.Cols)
            {
                notes.Add($"layer {l + 1}: {layer.Rows} x {layer.Cols} padded with zeros to {layer.PaddedRows} x {layer.PaddedCols} so that m = {layer.RowSplit} and n = {layer.ColumnSplit} divide it");
            }
        }

        var rows = new List<TrainingRow>();
        var checkpoint = TakeCheckpoint(0, 0);
        var sample = 0;
        double lossSum = 0;
        long rollbacksThisRound = 0;
        string? stopped = null;
        while (sample < _settings.TrainSamples)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            _sample = sample;
            var ok = Step(sample, out var loss);
            var next = sample + _batch;
            var boundary = next % _settings.CheckpointEvery == 0 || next % _settings.SamplesPerRound == 0;
            if (ok && boundary && Checked)
            {
                ok = Verify();
            }

            if (!ok)
            {
                _rollbacks++;
                if (++rollbacksThisRound > CodedTraining.MaxRollbacksPerRound)
                {
                    stopped = $"gave up in round {(sample / _settings.SamplesPerRound) + 1}: more than {CodedTraining.MaxRollbacksPerRound} rollbacks (the error rate is beyond what {TrainingSettings.Name(_settings.Scheme)} can hold)";
                    break;
                }

                RestoreCheckpoint(checkpoint);
                _simulatedSeconds += CheckpointTransferSeconds; // every node reads its blocks back
                sample = checkpoint.Sample;
                lossSum = checkpoint.LossSum;
                continue;
            }

            lossSum += loss;
            sample = next;
            if (boundary)
            {
                checkpoint = TakeCheckpoint(sample, lossSum);
                _simulatedSeconds += CheckpointTransferSeconds; // every node writes its blocks
            }

            if (sample % _settings.SamplesPerRound == 0)
            {
                var (testLoss, accuracy) = CodedTraining.Evaluate(EffectiveWeights(), _test, _settings.TestSamples);
                rows.Add(new TrainingRow(
                    TrainingSettings.Name(_settings.Scheme),
                    sample / _settings.SamplesPerRound,
                    sample,
                    lossSum / _settings.SamplesPerRound,
                    testLoss,
                    accuracy,
                    _decodes,
                    _clean,
                    _corrected,
                    _detected,
                    _miscorrected,
                    _repairs,
                    _rollbacks,
                    _faultsInjected,
                    _simulatedSeconds,
                    _nodeFlops.Sum(),
                    _wordsSent));
                lossSum = 0;
                rollbacksThisRound = 0;
                checkpoint = TakeCheckpoint(sample, 0);
            }

            _progress?.Report(new TrainingProgress(sample, _settings.TrainSamples, _rollbacks));
        }

        return new TrainingResult(_settings, rows, _nodeCount, _layers.Max(l => l.ForwardThreshold), _layers.Max(l => l.BackwardThreshold), notes, stopped)
        {
            Blames = _blames,
            CheckpointTransferSeconds = CheckpointTransferSeconds,
            FaultOpportunities = _opportunities.Sum(),
            FaultDraws = Enumerable.Range(0, FaultStepKinds)
                .Select(k => new FaultDrawCount((FaultSteps)(1 << k), Enumerable.Range(0, _nodeCount).Sum(p => _opportunities[(p * FaultStepKinds) + k]), Enumerable.Range(0, _nodeCount).Sum(p => _strikes[(p * FaultStepKinds) + k])))
                .Where(c => c.Opportunities > 0)
                .ToArray(),
        };
    }

    /// <summary>
    /// One SGD step on the batch of samples from <paramref name="first"/> through every node; false
    /// when a decode was detected as failed (roll back). Every vector holds the batch's samples one
    /// after another; <paramref name="loss"/> is the sum of their losses.
    /// </summary>
    private bool Step(int first, out double loss)
    {
        loss = double.NaN;
        var depth = _layers.Length;
        var activations = new NodeCopies[depth + 1];
        var preActivations = new NodeCopies[depth + 1];
        activations[0] = new NodeCopies(Enumerable.Range(first, _batch).SelectMany(s => _train.Inputs[s]).ToArray());
        var labels = Enumerable.Range(first, _batch).Select(s => _train.Labels[s]).ToArray();
        for (var l = 0; l < depth; l++)
        {
            (_layer, _forward) = (l, true);
            var layer = _layers[l];
            var layerInput = activations[l];
            var (decoded, honest) = Product(layer, layer.ForwardNodes, layer.ForwardColumns, layer.BlockRows * layer.ForwardColumns, layerInput, p => layer.EncodeForward(p, Fit(layerInput.Of(p), layer.PaddedCols)), layer.ForwardProduct, layer.EncodeFlops.Forward * _batch);
            var shadow = _shadow[l];
            var result = Decode(layer, decoded, forward: true, () => shadow is null
                ? layer.HonestTruth(decoded, honest, forward: true)
                : PerSample(Fit(layerInput.Consensus, layer.PaddedCols), layer.PaddedCols, x => Multiply(shadow, x)), layer.DecodeFlops.Forward);
            if (result is null)
            {
                return false;
            }

            preActivations[l + 1] = LocalFaults(new NodeCopies(Fit(result, layer.Rows)), FaultSteps.Decode);
            activations[l + 1] = l < depth - 1
                ? LocalFaults(preActivations[l + 1].Map(CodedTraining.Relu), FaultSteps.Activation)
                : preActivations[l + 1];
        }

        var classes = _layers[^1].Rows;
        var logits = activations[depth].Consensus;
        loss = labels.Select((label, s) => CodedTraining.CrossEntropy(logits[(s * classes)..((s + 1) * classes)], label)).Sum();
        (_layer, _forward) = (depth - 1, false);
        var deltas = new NodeCopies[depth + 1];

        // The gradient of the batch's mean loss: each sample's softmax - onehot, over B.
        deltas[depth] = LocalFaults(activations[depth].Map(z => labels.SelectMany((label, s) =>
            CodedTraining.OutputGradient(z[(s * classes)..((s + 1) * classes)], label).Select(g => g / _batch)).ToArray()), FaultSteps.Activation);
        for (var l = depth - 1; l >= 1; l--)
        {
            (_layer, _forward) = (l, false);
            var layer = _layers[l];
            var delta = deltas[l + 1];
            var (received, honest) = Product(layer, layer.BackwardNodes, _batch, layer.BlockCols * _batch, delta, p => layer.EncodeBackward(p, Fit(delta.Of(p), layer.PaddedRows)), layer.BackwardProduct, layer.EncodeFlops.Backward * _batch);
            var shadow = _shadow[l];
            var result = Decode(layer, received, forward: false, () => shadow is null
                ? layer.HonestTruth(received, honest, forward: false)
                : PerSample(Fit(delta.Consensus, layer.PaddedRows), layer.PaddedRows, x => TransposeMultiply(shadow, x)), layer.DecodeFlops.Backward);
            if (result is null)
            {
                return false;
            }

            var gradient = LocalFaults(new NodeCopies(Fit(result, layer.Cols)), FaultSteps.Decode);
            deltas[l] = LocalFaults(gradient.Zip(preActivations[l], CodedTraining.ReluBackward), FaultSteps.Hadamard);
        }

        for (var l = 0; l < depth; l++)
        {
            (_layer, _forward) = (l, false);
            Update(l, deltas[l + 1], activations[l]);
        }

        return true;
    }

    /// <summary>
    /// Every node of the step encodes its own input and multiplies; faults strike encodings and
    /// products. Also returns the rows the simulator knows are honest (no fault this step, the
    /// node's input copy and stored block intact): the oracle a decode is checked against.
    /// </summary>
    private (Matrix<double> Received, IReadOnlyList<int> HonestRows) Product(LayerCode layer, IReadOnlyList<int> nodes, int columns, int length, NodeCopies inputs, Func<int, double[]> encode, Action<int, double[], Span<double>> multiply, double encodeFlops)
    {
        var received = Matrix<double>.Build.Dense(nodes.Count, length);
        var faults = new int[nodes.Count];
        var corrupted = _corrupted[_layer];
        var productFlops = 2.0 * layer.BlockRows * layer.BlockCols * columns;
        void Node(int i)
        {
            var p = nodes[i];
            var encoded = encode(p);
            if (Strikes(p, FaultSteps.Encode))
            {
                faults[i]++;
                VectorFaults.Apply(encoded, _settings.Fault, _faults[p]);
            }

            // One draw per product site (CodeNet's model): a struck site either perturbs the stored
            // block persistently (sparse-weight) or spoils this one output (the other kinds).
            var struck = Strikes(p, FaultSteps.Product);
            var persistent = struck && _settings.Fault == FaultKind.SparseWeight;
            if (struck)
            {
                faults[i]++;
            }

            if (persistent)
            {
                ErrorInjection.SparseWeight(layer.Stored[p], _faults[p]);
            }

            var output = new double[length];
            multiply(p, encoded, output);
            if (struck && !persistent)
            {
                VectorFaults.Apply(output, _settings.Fault, _faults[p]);
            }

            received.SetRow(i, output);
            _nodeFlops[p] += productFlops + encodeFlops;
            if (persistent)
            {
                lock (corrupted)
                {
                    corrupted.Add(p);
                }
            }
        }

        if (_settings.Threads > 1 && nodes.Count > 1)
        {
            Parallel.For(0, nodes.Count, new ParallelOptions { MaxDegreeOfParallelism = _settings.Threads }, Node);
        }
        else
        {
            for (var i = 0; i < nodes.Count; i++)
            {
                Node(i);
            }
        }

        _faultsInjected += faults.Sum();
        var deviant = inputs.DeviantNodes;
        var honest = Enumerable.Range(0, nodes.Count).Where(i => faults[i] == 0 && !deviant.Contains(nodes[i]) && !corrupted.Contains(nodes[i])).ToList();
        var sent = (double)(nodes.Count - 1) * length;
        _wordsSent += sent * nodes.Count;
        _simulatedSeconds += ((productFlops + encodeFlops) / _settings.Cost.FlopsPerSecond) + _settings.Cost.LinkLatencySeconds + (sent / _settings.Cost.WordsPerSecond);
        return (received, honest);
    }

    /// <summary>Every node decodes the all-gathered outputs (identically: one decode is simulated, charged to all); null when detected.</summary>
    private double[]? Decode(LayerCode layer, Matrix<double> received, bool forward, Func<double[]?> truth, double decodeFlops)
    {
        for (var p = 0; p < _nodeCount; p++)
        {
            _nodeFlops[p] += decodeFlops;
        }

        _simulatedSeconds += decodeFlops / _settings.Cost.FlopsPerSecond;
        var decoded = forward ? layer.DecodeForward(received, _decodeStream) : layer.DecodeBackward(received, _decodeStream);
        _decodes++;
        if (decoded.Status == DecodeStatus.Detected)
        {
            _detected++;
            return null;
        }

        if (Checked)
        {
            // No truth means fewer honest outputs than the threshold: no decoder can be right then
            // (up to events of probability zero), so an accepted result counts as miscorrected.
            var expected = truth();
            var correct = expected is not null && DecodingTolerance.RelativeError(decoded.Result!, expected) <= DecodingTolerance.SuccessRelativeError;
            if (!correct)
            {
                _miscorrected++;
            }
            else if (decoded.Blamed.Count > 0)
            {
                _corrected++;
            }
            else
            {
                _clean++;
            }
        }
        else
        {
            _clean++;
        }

        if (decoded.Blamed.Count > 0)
        {
            _blames.Add(new BlameEvent(_sample, _layer, _forward, [.. decoded.Blamed]));
        }

        if (decoded.Blamed.Count > 0)
        {
            var repaired = layer.RepairAll(decoded.Blamed.ToHashSet());
            if (repaired is null)
            {
                _detected++;
                return null;
            }

            foreach (var node in repaired)
            {
                _repairs++;
                _nodeFlops[node] += layer.RepairFlops;
                Healed(_layer, node, repaired);
            }
        }

        return decoded.Result;
    }

    /// <summary>Node-local faults of one step on every node's copy.</summary>
    private NodeCopies LocalFaults(NodeCopies copies, FaultSteps step)
    {
        if (_forced is null && (_errorRate == 0 || (_settings.Steps & step) == 0))
        {
            return copies;
        }

        for (var p = 0; p < _nodeCount; p++)
        {
            if (Strikes(p, step))
            {
                _faultsInjected++;
                VectorFaults.Apply(copies.Private(p), _settings.Fault, _faults[p]);
            }
        }

        return copies;
    }

    /// <summary>Every node's coded update from its own copies of delta and input; a struck update corrupts the block persistently.</summary>
    private void Update(int l, NodeCopies delta, NodeCopies input)
    {
        var layer = _layers[l];
        var updateFlops = 2.0 * layer.BlockRows * layer.BlockCols * _batch;
        for (var p = 0; p < layer.Stored.Length; p++)
        {
            var (left, right) = layer.UpdateFactors(p, Fit(delta.Of(p), layer.PaddedRows), Fit(input.Of(p), layer.PaddedCols));
            var struck = Strikes(p, FaultSteps.Update);
            if (delta.DeviantNodes.Contains(p) || input.DeviantNodes.Contains(p))
            {
                _corrupted[l].Add(p); // its update used its own spoilt copies
            }

            if (struck && _settings.Fault == FaultKind.Gaussian)
            {
                VectorFaults.Apply(left, FaultKind.Gaussian, _faults[p]);
            }

            layer.ApplyUpdate(p, left, right, _settings.LearningRate);
            if (struck)
            {
                _faultsInjected++;
                _corrupted[l].Add(p);
                switch (_settings.Fault)
                {
                    case FaultKind.SparseWeight:
                        ErrorInjection.SparseWeight(layer.Stored[p], _faults[p]);
                        break;
                    case FaultKind.BitFlip:
                        var values = layer.Stored[p].AsColumnMajorArray();
                        var index = _faults[p].NextInt(values.Length);
                        values[index] = ErrorInjection.FlipBit(values[index], _faults[p].NextInt(64));
                        break;
                    default:
                        break;
                }
            }

            _nodeFlops[p] += updateFlops;
        }

        _simulatedSeconds += updateFlops / _settings.Cost.FlopsPerSecond;
        if (_shadow[l] is null)
        {
            return; // GPD checks decodes against its honest outputs; the fault-free reference checks nothing
        }

        var deltas = Fit(delta.Consensus, layer.PaddedRows);
        var inputs = Fit(input.Consensus, layer.PaddedCols);
        for (var s = 0; s < _batch; s++)
        {
            BlockProducts.RankOneUpdate(_shadow[l]!, deltas.AsSpan(s * layer.PaddedRows, layer.PaddedRows), inputs.AsSpan(s * layer.PaddedCols, layer.PaddedCols), -_settings.LearningRate);
        }
    }

    /// <summary>The verification pass before a checkpoint: every layer's stored blocks must still form a codeword; located corruption is repaired.</summary>
    private bool Verify()
    {
        for (var l = 0; l < _layers.Length; l++)
        {
            var layer = _layers[l];
            var check = layer.VerifyStorage(_verifyStream);
            _simulatedSeconds += 2.0 * layer.BlockRows * layer.BlockCols / _settings.Cost.FlopsPerSecond;
            if (check.Status == DecodeStatus.Detected)
            {
                return false;
            }

            if (check.Blamed.Count > 0)
            {
                var repaired = layer.RepairAll(check.Blamed.ToHashSet());
                if (repaired is null)
                {
                    return false;
                }

                foreach (var node in repaired)
                {
                    _repairs++;
                    Healed(l, node, repaired);
                }
            }
        }

        return true;
    }

    /// <summary>A repaired block is intact when every block it was rebuilt from was (a corrupted source passes its corruption on).</summary>
    private void Healed(int layer, int node, IReadOnlyList<int> excluded)
    {
        if (!_corrupted[layer].Any(p => p != node && !excluded.Contains(p)))
        {
            _corrupted[layer].Remove(node);
        }
    }

    /// <summary>
    /// One draw of node's fault stream for one site of a step kind (exactly one per site), counted
    /// per node and kind so that the run can show its fault count is what its rate predicts.
    /// </summary>
    private bool Strikes(int node, FaultSteps step)
    {
        if (_forced is not null)
        {
            return _forced(new FaultSite(_sample, step, _layer, _forward, node));
        }

        if (!(_errorRate > 0) || (_settings.Steps & step) == 0)
        {
            return false;
        }

        var slot = (node * FaultStepKinds) + System.Numerics.BitOperations.Log2((uint)step);
        _opportunities[slot]++;
        var struck = _faults[node].NextDouble() < _errorRate;
        if (struck)
        {
            _strikes[slot]++;
        }

        return struck;
    }

    /// <summary>The number of step kinds in <see cref="FaultSteps"/> (one bit each).</summary>
    private const int FaultStepKinds = 6;

    /// <summary>The weights the cluster holds: each layer reconstructed from the nodes its storage check trusts.</summary>
    private Matrix<double>[] EffectiveWeights() => _layers.Select((layer, l) =>
    {
        var check = layer.VerifyStorage(StreamKey.Source(_settings.Seed, StreamKey.Hash("evaluate"), (ulong)l));
        var padded = check.Status == DecodeStatus.Detected
            ? _shadow[l] ?? layer.Reconstruct(_corrupted[l])
            : layer.Reconstruct(check.Blamed.ToHashSet());
        return padded.SubMatrix(0, layer.Rows, 0, layer.Cols);
    }).ToArray();

    /// <summary>
    /// Copies the state into the one checkpoint buffer (allocated once: a checkpoint of a large
    /// model is tens of MB, and allocating it afresh every time would cost more than copying it).
    /// </summary>
    private Checkpoint TakeCheckpoint(int sample, double lossSum)
    {
        _checkpoint ??= new Checkpoint(0, 0, _layers.Select(l => l.Snapshot()).ToArray(), _shadow.Select(s => s?.Clone()).ToArray(), []);
        for (var l = 0; l < _layers.Length; l++)
        {
            for (var p = 0; p < _layers[l].Stored.Length; p++)
            {
                _layers[l].Stored[p].CopyTo(_checkpoint.Stored[l][p]);
            }

            _shadow[l]?.CopyTo(_checkpoint.Shadow[l]!);
        }

        _checkpoint = _checkpoint with { Sample = sample, LossSum = lossSum, Corrupted = _corrupted.Select(c => c.ToArray()).ToArray() };
        return _checkpoint;
    }

    private void RestoreCheckpoint(Checkpoint checkpoint)
    {
        for (var l = 0; l < _layers.Length; l++)
        {
            _layers[l].Restore(checkpoint.Stored[l]);
            checkpoint.Shadow[l]?.CopyTo(_shadow[l]!);
        }

        for (var l = 0; l < _layers.Length; l++)
        {
            _corrupted[l].Clear();
            _corrupted[l].UnionWith(checkpoint.Corrupted[l]);
        }
    }

    /// <summary>Pads or truncates every sample's piece of a batched vector to <paramref name="length"/>.</summary>
    private double[] Fit(double[] values, int length)
    {
        var from = values.Length / _batch;
        if (from == length)
        {
            return values;
        }

        var result = new double[length * _batch];
        for (var s = 0; s < _batch; s++)
        {
            values.AsSpan(s * from, Math.Min(from, length)).CopyTo(result.AsSpan(s * length));
        }

        return result;
    }

    /// <summary>Applies a per-sample function to a batched vector whose samples have <paramref name="length"/> entries.</summary>
    private double[] PerSample(double[] values, int length, Func<double[], double[]> local) =>
        Enumerable.Range(0, _batch).SelectMany(s => local(values.AsSpan(s * length, length).ToArray())).ToArray();

    private static double[] Multiply(Matrix<double> weights, double[] input)
    {
        var output = new double[weights.RowCount];
        BlockProducts.Multiply(weights, input, output);
        return output;
    }

    private static double[] TransposeMultiply(Matrix<double> weights, double[] input)
    {
        var output = new double[weights.ColumnCount];
        BlockProducts.TransposeMultiply(weights, input, output);
        return output;
    }

    private sealed record Checkpoint(int Sample, double LossSum, Matrix<double>[][] Stored, Matrix<double>?[] Shadow, int[][] Corrupted);
}

/// <summary>What a soft error does to a vector a node holds (its encoded input, output, or local copy).</summary>
internal static class VectorFaults
{
    public static void Apply(double[] values, FaultKind kind, RandomSource random)
    {
        if (values.Length == 0)
        {
            return;
        }

        switch (kind)
        {
            case FaultKind.Gaussian:
                // A continuous random error the size of the vector's RMS (1 when it is all zeros).
                var rms = Math.Sqrt(values.Sum(v => double.IsFinite(v) ? v * v : 0) / values.Length);
                var scale = rms > 0 ? rms : 1;
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] += scale * random.NextGaussian();
                }

                break;
            case FaultKind.BitFlip:
                var index = random.NextInt(values.Length);
                values[index] = ErrorInjection.FlipBit(values[index], random.NextInt(64));
                break;
            default:
                // sparse-weight on a vector: 0.5% of its entries (at least one) moved uniformly in [-5, 5].
                var count = Math.Max(1, (int)Math.Round(ErrorInjection.SparseWeightFraction * values.Length));
                foreach (var i in random.Sample(values.Length, count))
                {
                    values[i] += ((2 * random.NextDouble()) - 1) * ErrorInjection.SparseWeightAmplitude;
                }

                break;
        }
    }
}
