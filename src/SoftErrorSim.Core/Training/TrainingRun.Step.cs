// Over 300 lines: one SGD step through every node (products, decodes, repairs, local faults) is one sequence best read top to bottom; the update is in TrainingRun.Update.cs.
using SoftErrorSim.Core.Coding;
using SoftErrorSim.Core.Decoding;
using SoftErrorSim.Core.Faults;
using SoftErrorSim.Core.Kernels;
using SoftErrorSim.Core.Schemes;

namespace SoftErrorSim.Core.Training;

/// <summary>One SGD step through every node: the coded products, the decodes, repairs, local faults and the coded update (see <see cref="TrainingRun"/>).</summary>
internal sealed partial class TrainingRun
{
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
        activations[0] = new NodeCopies(Enumerable.Range(first, _batch).SelectMany(s => _train.Inputs[s]).Select(v => v * _settings.InputScale).ToArray());
        var labels = Enumerable.Range(first, _batch).Select(s => _train.Labels[s]).ToArray();
        for (var l = 0; l < depth; l++)
        {
            (_layer, _forward) = (l, true);
            var result = Pass(l, PassKind.Forward, activations[l]);
            if (result is null)
            {
                return false;
            }

            AddBias(l, result);
            preActivations[l + 1] = LocalFaults(new NodeCopies(result), FaultSteps.Decode);
            activations[l + 1] = l < depth - 1
                ? LocalFaults(preActivations[l + 1].Map(Network.Relu), FaultSteps.Activation)
                : preActivations[l + 1];
        }

        var classes = _layers[^1].Rows;
        var logits = activations[depth].Consensus;
        loss = labels.Select((label, s) => Network.CrossEntropy(logits.AsSpan(s * classes, classes), label)).Sum();
        (_layer, _forward) = (depth - 1, false);
        var deltas = new NodeCopies[depth + 1];

        // The gradient of the batch's mean loss: each sample's softmax - onehot, over B.
        deltas[depth] = LocalFaults(activations[depth].Map(z => labels.SelectMany((label, s) =>
            Network.OutputGradient(z.AsSpan(s * classes, classes), label).Select(g => g / _batch)).ToArray()), FaultSteps.Activation);
        for (var l = depth - 1; l >= (_settings.BackwardFirstLayer ? 0 : 1); l--)
        {
            (_layer, _forward) = (l, false);
            var result = Pass(l, PassKind.Backward, deltas[l + 1], activations[l]);
            if (result is null)
            {
                return false;
            }

            if (l == 0)
            {
                break; // CodeNet computes and decodes the first layer's backward product too; nothing uses it
            }

            var gradient = LocalFaults(new NodeCopies(result), FaultSteps.Decode);
            deltas[l] = LocalFaults(gradient.Zip(preActivations[l], Network.ReluBackward), FaultSteps.Hadamard);
        }

        var lowestFused = _settings.BackwardFirstLayer ? 0 : 1;
        for (var l = 0; l < depth; l++)
        {
            (_layer, _forward) = (l, false);
            Update(l, deltas[l + 1], activations[l], fused: l >= lowestFused);
            if (_biases is not null)
            {
                // The bias gradient is the layer's delta (summed over the batch, already divided by B).
                var rows = _biases[l].Length;
                for (var s = 0; s < _batch; s++)
                {
                    DenseKernels.AddScaled(_biases[l], deltas[l + 1].Consensus.AsSpan(s * rows, rows), -_settings.LearningRate);
                }
            }
        }

        return true;
    }

    /// <summary>Every node adds the layer's bias to its decoded product (identically: the biases are replicated).</summary>
    private void AddBias(int l, double[] result)
    {
        if (_biases is null)
        {
            return;
        }

        var rows = _biases[l].Length;
        for (var s = 0; s < _batch; s++)
        {
            DenseKernels.AddScaled(result.AsSpan(s * rows, rows), _biases[l], 1);
        }
    }

    /// <summary>
    /// One coded product of layer <paramref name="l"/>: every node encodes and multiplies, all-gather,
    /// decode; null when detected. A backward pass given the layer's <paramref name="updateInput"/>
    /// also applies the layer's SGD update (delta = the operand) in the same pass over each block and
    /// over the shadow (<see cref="CodedLayer.ProductThenUpdate"/>): the product reads each column
    /// before it is updated, so the result is the product with the old weights, as before; the
    /// update's faults are drawn afterwards, in the order of the update loop (<see cref="Update"/>).
    /// </summary>
    private double[]? Pass(int l, PassKind pass, NodeCopies operand, NodeCopies? updateInput = null)
    {
        var layer = _layers[l];
        var received = Product(layer, pass, operand, updateInput);

        // The oracle: the reference weights times what healthy nodes hold as operand.
        var truth = Reference(l, pass, operand.Consensus, updateInput?.Consensus);
        return Decode(layer, pass, received, truth);
    }

    /// <summary>
    /// Every node of the pass encodes its own operand and multiplies; faults strike encodings and
    /// products, one draw per site: a struck product either perturbs the stored block persistently
    /// (sparse-weight, CodeNet's model) or spoils this one output (the other kinds).
    /// </summary>
    private double[] Product(CodedLayer layer, PassKind pass, NodeCopies operand, NodeCopies? updateInput)
    {
        var nodes = layer.Nodes(pass);
        var words = layer.OutputWords(pass, _batch);
        var encodedWords = layer.EncodedWords(pass, _batch);
        var received = new double[nodes.Count * words];
        var faults = new int[nodes.Count];
        var encodedColumns = Math.Max(1, encodedWords / Math.Max(1, layer.EncodedWords(pass, 1)));
        var productFlops = layer.ProductFlops(pass) * encodedColumns;
        var encodeFlops = layer.EncodeFlops(pass) * _batch;
        var (sample, index) = (_sample, _layer);
        _faults.DrawBurst();
        void Node(int i)
        {
            var p = nodes[i];
            var encoded = new double[encodedWords];
            layer.Encode(pass, p, operand.Of(p), _batch, encoded);
            if (_faults.Strikes(new FaultSite(sample, FaultSteps.Encode, index, pass != PassKind.Backward, p)))
            {
                faults[i]++;
                _faults.StrikeVector(encoded, p);
            }

            var struck = _faults.Strikes(new FaultSite(sample, FaultSteps.Product, index, pass != PassKind.Backward, p));
            var persistent = struck && _faults.Model.Kind == ErrorModelKind.SparseWeight;
            if (persistent)
            {
                FaultInjector.Strike(layer.Stored[p], _faults.Model, 0, _faults.Stream(p));
            }

            var output = received.AsSpan(i * words, words);
            if (updateInput is null)
            {
                layer.Product(pass, p, encoded, _batch, output);
            }
            else
            {
                var (left, right) = layer.UpdateFactors(p, operand.Of(p), updateInput.Of(p), _batch);
                layer.ProductThenUpdate(p, encoded, _batch, output, left, right, _settings.LearningRate);
            }

            if (struck)
            {
                faults[i]++;
                if (!persistent)
                {
                    _faults.StrikeVector(output, p);
                }
            }

            _ledger.NodeFlops[p] += productFlops + encodeFlops;
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

        _ledger.Faults += faults.Sum();
        _ledger.Compute(productFlops + encodeFlops, TimelineActivity.Compute, nodes);
        _ledger.Communicate(layer.Gather(pass, _batch));
        return received;
    }

    /// <summary>Every node decodes the all-gathered outputs (identically: one decode is simulated, charged to all); null when detected.</summary>
    private double[]? Decode(CodedLayer layer, PassKind pass, double[] received, double[] truth)
    {
        var decodeFlops = layer.DecodeFlops(pass) * _batch;
        for (var p = 0; p < _nodeCount; p++)
        {
            _ledger.NodeFlops[p] += decodeFlops;
        }

        _ledger.Compute(decodeFlops, TimelineActivity.Decode);
        var decoded = layer.Decode(pass, received, _batch, DecoderKind.ProbabilityOne, _decodeStream);
        _ledger.Decodes++;
        if (decoded.Status == DecodeStatus.Detected)
        {
            _ledger.Detected++;
            _faults.Detected(layer.Nodes(pass), _layer, _forward);
            return null;
        }

        if (!Checked)
        {
            _ledger.Clean++;
        }
        else if (!(DecodingTolerance.RelativeError(decoded.Result!, truth) <= DecodingTolerance.SuccessRelativeError))
        {
            _ledger.Miscorrected++;
        }
        else if (decoded.Blamed.Count > 0)
        {
            _ledger.Corrected++;
        }
        else
        {
            _ledger.Clean++;
        }

        if (decoded.Blamed.Count > 0)
        {
            _blames.Add(new BlameEvent(_sample, _layer, _forward, [.. decoded.Blamed]));
            if (!Repair(layer, decoded.Blamed))
            {
                _ledger.Detected++;
                return null;
            }
        }

        return decoded.Result;
    }

    /// <summary>
    /// Repairs blamed blocks from verified good nodes; false when they cannot be rebuilt (roll back).
    /// Charged (SPEC 5): every node projects its block on the probe and the projections are
    /// all-gathered and checked (the verification of the sources), then each rebuilt node fetches its
    /// source blocks and interpolates.
    /// </summary>
    private bool Repair(CodedLayer layer, IReadOnlyList<int> blamed)
    {
        _faults.Blamed(blamed);
        ChargeStorageCheck(layer);
        var repaired = layer.RepairAll(blamed.ToHashSet());
        if (repaired is null)
        {
            return false;
        }

        foreach (var node in repaired)
        {
            _ledger.Repairs++;
            _ledger.NodeFlops[node] += layer.RepairFlops;
        }

        if (repaired.Count > 0)
        {
            _ledger.Communicate(layer.RepairFetch(repaired.Count), TimelineActivity.Repair);
            _ledger.Compute(layer.RepairFlops, TimelineActivity.Repair, repaired);
        }

        return true;
    }

    /// <summary>
    /// A check of the stored blocks: every node multiplies its block by a probe (2 words of flops per
    /// stored word), the projections are all-gathered, and every node decodes them (as a decode of
    /// the storage code: P^2 flops per projection word).
    /// </summary>
    private void ChargeStorageCheck(CodedLayer layer)
    {
        var project = 2.0 * layer.StoredWordsPerNode;
        var decode = 2.0 * layer.NodeCount * (double)layer.NodeCount * layer.ProjectionWords;
        for (var p = 0; p < layer.NodeCount; p++)
        {
            _ledger.NodeFlops[p] += project + decode;
        }

        _ledger.Compute(project + decode, TimelineActivity.StorageCheck);
        _ledger.Communicate(Traffic.AllGather(layer.NodeCount, layer.ProjectionWords), TimelineActivity.StorageCheck);
    }

    /// <summary>Node-local faults of one step on every node's copy.</summary>
    private NodeCopies LocalFaults(NodeCopies copies, FaultSteps step)
    {
        if (!_faults.Enabled(step))
        {
            return copies;
        }

        for (var p = 0; p < _nodeCount; p++)
        {
            if (_faults.Strikes(new FaultSite(_sample, step, _layer, _forward, p)))
            {
                _ledger.Faults++;
                _faults.StrikeVector(copies.Private(p), p);
            }
        }

        return copies;
    }
}
