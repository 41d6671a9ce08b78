using MathNet.Numerics.LinearAlgebra;
using SoftErrorSim.Core.Coding;
using SoftErrorSim.Core.Decoding;
using SoftErrorSim.Core.Randomness;
using SoftErrorSim.Core.Schemes;

namespace SoftErrorSim.Core.Training;

/// <summary>
/// The step loop of one run (SPEC 5). Per sample and layer every node encodes its own copy of the
/// input, multiplies by its stored block, the outputs are all-gathered and every node decodes the
/// whole result itself (simulated once, since it is deterministic, and charged to every node) and
/// applies the nonlinearity itself; backwards likewise with the transposed products and the
/// Hadamard product with f'; then every node applies the coded update to its stored block. Faults
/// strike any of these node-local steps (<see cref="FaultSites"/>). A node whose copy went wrong
/// errs in its next coded output, where the next decode blames it; blamed blocks are repaired from
/// verified good nodes. A detected decode rolls the run back to the last checkpoint, taken only
/// after a verification pass. Every decode is judged against a plain reference copy of the weights
/// (the "shadow", updated with the true gradients), for every scheme alike.
/// </summary>
internal sealed partial class TrainingRun
{
    private readonly TrainingSettings _settings;
    private readonly Dataset _train;
    private readonly Dataset _test;
    private readonly IProgress<TrainingProgress>? _progress;
    private readonly CancellationToken _cancellationToken;
    private readonly CodedLayer[] _layers;
    private readonly Matrix<double>[] _shadow;

    /// <summary>
    /// The bias of every layer, or null without biases: replicated on every node and updated
    /// identically there (no fault model strikes them in CodeNet's setting), so held once.
    /// </summary>
    private readonly double[][]? _biases;
    private readonly FaultSites _faults;
    private readonly RandomSource _decodeStream;
    private readonly RandomSource _verifyStream;
    private readonly int _batch;
    private readonly int _nodeCount;
    private readonly Ledger _ledger;
    private readonly Checkpoint _checkpoint = new();
    private readonly List<BlameEvent> _blames = [];
    private int _sample;
    private int _layer;
    private bool _forward;

    public TrainingRun(TrainingSettings settings, Dataset train, Dataset test, IProgress<TrainingProgress>? progress, Func<FaultSite, bool>? forced, CancellationToken cancellationToken)
    {
        _settings = settings;
        _train = train;
        _test = test;
        _progress = progress;
        _cancellationToken = cancellationToken;
        var weights = Network.InitialWeights(settings.Layers, settings.Seed, settings.Initialization);
        var code = settings.Code;
        var scheme = Scheme.Of(code.Scheme);
        _layers = weights.Select(w => scheme.CreateLayer(code, w)).ToArray();
        _shadow = weights; // every scheme copies what it stores out of W, so the initial W itself becomes the shadow (one copy of W less at full size)
        _biases = settings.Biases ? weights.Select(w => new double[w.RowCount]).ToArray() : null;
        _nodeCount = _layers[0].NodeCount;
        _faults = FaultRates.Sites(settings, _nodeCount, forced);
        _decodeStream = StreamKey.Source(settings.Seed, StreamKey.Hash("decode"));
        _verifyStream = StreamKey.Source(settings.Seed, StreamKey.Hash("verify"));
        _batch = settings.Batch;
        _ledger = new Ledger(settings.Cost, _nodeCount) { Timeline = settings.Trace is { } window ? new TimelineRecorder(window, settings.Cost, _nodeCount, () => _faults.Step) : null };
        _faults.Clock = () => _ledger.SimulatedSeconds;
    }

    private bool Checked => _settings.Scheme != TrainingScheme.FaultFree;

    /// <summary>Simulated time to write (or read back) a checkpoint: every node moves its stored blocks at once.</summary>
    public double CheckpointTransferSeconds =>
        _settings.Cost.LinkLatencySeconds + (_layers.Sum(l => (double)l.StoredWordsPerNode) / _settings.Cost.CheckpointWordsPerSecond);

    public TrainingResult Run()
    {
        var notes = new List<string>();
        for (var l = 0; l < _layers.Length; l++)
        {
            var layer = _layers[l];
            if (layer.PaddedRows != layer.Rows || layer.PaddedCols != layer.Cols)
            {
                notes.Add($"layer {l + 1}: {layer.Rows} x {layer.Cols} padded with zeros to {layer.PaddedRows} x {layer.PaddedCols} so that the split divides it");
            }
        }

        var rows = new List<TrainingRow>();
        _checkpoint.Take(_layers, _shadow, _biases, 0, 0);
        var sample = 0;
        double lossSum = 0;
        long rollbacksThisRound = 0;
        string? stopped = null;
        while (sample < _settings.TrainSamples)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            _sample = sample;
            _faults.BeginStep(sample);
            var ok = Step(sample, out var loss);
            var next = sample + _batch;
            var boundary = next % _settings.CheckpointEvery == 0 || next % _settings.SamplesPerRound == 0;
            if (ok && boundary && Checked)
            {
                ok = Verify();
            }

            if (!ok)
            {
                _ledger.Rollbacks++;
                _faults.RolledBack();
                if (++rollbacksThisRound > CodedTraining.MaxRollbacksPerRound)
                {
                    stopped = $"gave up in round {(sample / _settings.SamplesPerRound) + 1}: more than {CodedTraining.MaxRollbacksPerRound} rollbacks (the error rate is beyond what {TrainingSettings.Name(_settings.Scheme)} can hold)";
                    break;
                }

                _checkpoint.Restore(_layers, _shadow, _biases);
                _ledger.Transfer(CheckpointTransferSeconds, TimelineActivity.Rollback); // every node reads its blocks back
                sample = _checkpoint.Sample;
                lossSum = _checkpoint.LossSum;
                continue;
            }

            lossSum += loss;
            sample = next;
            if (boundary)
            {
                _checkpoint.Take(_layers, _shadow, _biases, sample, lossSum);
                _ledger.Transfer(CheckpointTransferSeconds); // every node writes its blocks
            }

            if (sample % _settings.SamplesPerRound == 0)
            {
                var (testLoss, accuracy) = Network.Evaluate(EvaluationLayers(), _test, _settings.TestSamples, _biases, _settings.InputScale);
                rows.Add(_ledger.Row(TrainingSettings.Name(_settings.Scheme), sample / _settings.SamplesPerRound, sample, lossSum / _settings.SamplesPerRound, testLoss, accuracy));
                lossSum = 0;
                rollbacksThisRound = 0;
                _checkpoint.Take(_layers, _shadow, _biases, sample, 0);
            }

            _progress?.Report(new TrainingProgress(sample, _settings.TrainSamples, _ledger.Rollbacks));
        }

        return new TrainingResult(_settings, rows, _nodeCount, _layers.Max(l => l.Threshold(PassKind.Forward, _batch)), _layers.Max(l => l.Threshold(PassKind.Backward, _batch)), notes, stopped)
        {
            Blames = _blames,
            CheckpointTransferSeconds = CheckpointTransferSeconds,
            FaultOpportunities = _faults.Opportunities,
            FaultDraws = _faults.Draws(),
            FaultLog = _faults.Log(),
            InjectorChecks = _faults.Check(),
            Timeline = _ledger.Timeline?.Finish(_faults.TimedLog()),
        };
    }

    /// <summary>The verification pass before a checkpoint: every layer's stored blocks must still form a codeword; located corruption is repaired.</summary>
    private bool Verify()
    {
        for (var l = 0; l < _layers.Length; l++)
        {
            var layer = _layers[l];
            var check = layer.VerifyStorage(_verifyStream);
            ChargeStorageCheck(layer);
            if (check.Status == DecodeStatus.Detected)
            {
                _faults.Detected([.. Enumerable.Range(0, layer.NodeCount)], l, null);
                return false;
            }
            if (check.Blamed.Count > 0 && !Repair(layer, check.Blamed))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The weights the cluster holds, layer by layer: each layer as the nodes its storage check
    /// trusts hold it, applied to the test samples block by block without reconstructing the whole
    /// layer (the shadow where the check detects).
    /// </summary>
    private EvaluationLayer[] EvaluationLayers() => _layers.Select((layer, l) => new EvaluationLayer(layer.Rows, layer.Cols, (inputs, samples, outputs) =>
    {
        var check = layer.VerifyStorage(StreamKey.Source(_settings.Seed, StreamKey.Hash("evaluate"), (ulong)l));
        if (check.Status == DecodeStatus.Detected)
        {
            Network.MultiplyAll(_shadow[l], inputs, samples, outputs);
        }
        else
        {
            layer.MultiplyReconstructed(check.Blamed.ToHashSet(), inputs, samples, outputs);
        }
    })).ToArray();
}
