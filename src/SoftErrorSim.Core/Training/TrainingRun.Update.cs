using SoftErrorSim.Core.Coding;
using SoftErrorSim.Core.Faults;
using SoftErrorSim.Core.Kernels;

namespace SoftErrorSim.Core.Training;

/// <summary>The reference products of the shadow and the coded SGD update (see <see cref="TrainingRun"/>).</summary>
internal sealed partial class TrainingRun
{
    /// <summary>Shadow layers of at least this many words share their reference pass among the threads (1M words, 8 MB: beyond the caches).</summary>
    private const long ParallelShadowWords = 1L << 20;

    /// <summary>
    /// The reference product: shadow W (or W^T) times the operand, column after column. Given the
    /// layer's input (<paramref name="updateInput"/>, backward only), the shadow's true SGD update
    /// (delta = the operand) follows in the same pass over the shadow, each column read for the
    /// product before it is updated.
    /// </summary>
    private double[] Reference(int l, PassKind pass, double[] operand, double[]? updateInput)
    {
        var weights = _shadow[l];
        var values = weights.AsColumnMajorArray();
        var (rows, cols) = (weights.RowCount, weights.ColumnCount);
        var backward = pass == PassKind.Backward;
        if (backward && updateInput is null)
        {
            throw new ArgumentException("a backward reference product always applies the layer's update", nameof(updateInput));
        }

        // The shadow's pass is memory-bound, so full-size layers share it among the threads, by
        // columns backward and by rows forward (each word's sum is untouched: the same bits, and
        // with one part exactly the per-sample product).
        var result = new double[(backward ? cols : rows) * _batch];
        var parts = _settings.Threads > 1 && (long)rows * cols >= ParallelShadowWords ? _settings.Threads : 1;
        Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, k =>
        {
            var extent = backward ? cols : rows;
            var (first, last) = ((int)((long)extent * k / parts), (int)((long)extent * (k + 1) / parts));
            if (backward)
            {
                FusedProducts.TransposeMultiplyThenUpdate(values, rows, operand, result, operand, updateInput, _batch, -_settings.LearningRate, first, last - first);
            }
            else
            {
                FusedProducts.MultiplyBlockInto(values.AsSpan(first), rows, last - first, cols, first, 0, operand, cols, result, rows, _batch);
            }
        });
        return result;
    }

    /// <summary>
    /// Every node's coded update from its own copies of delta and input; a struck update corrupts
    /// the block persistently. Where the backward pass already applied the update with the
    /// product (<paramref name="fused"/>, every node of the backward pass and the shadow), only
    /// the update's faults are drawn here, in the same order as an unfused update draws them: a
    /// gaussian fault's wrong factor adds its difference from the true factor (the same block up
    /// to rounding), other kinds strike the updated block as before.
    /// </summary>
    private void Update(int l, NodeCopies delta, NodeCopies input, bool fused)
    {
        var layer = _layers[l];
        var updateFlops = 2.0 * layer.StoredWordsPerNode * _batch;
        var backward = fused ? layer.Nodes(PassKind.Backward).ToHashSet() : [];
        for (var p = 0; p < layer.NodeCount; p++)
        {
            var done = backward.Contains(p);
            var struck = _faults.Strikes(new FaultSite(_sample, FaultSteps.Update, _layer, false, p));
            var gaussian = struck && _faults.Model.Kind == ErrorModelKind.Gaussian;
            if (!done || gaussian)
            {
                var (left, right) = layer.UpdateFactors(p, delta.Of(p), input.Of(p), _batch);
                if (gaussian)
                {
                    var wrong = (double[])left.Clone();
                    _faults.StrikeVector(wrong, p); // a wrong factor: the block moves along a wrong rank-one direction
                    if (done)
                    {
                        for (var i = 0; i < wrong.Length; i++)
                        {
                            wrong[i] -= left[i];
                        }
                    }

                    left = wrong;
                }

                layer.ApplyUpdate(p, left, right, _batch, _settings.LearningRate);
            }

            if (struck)
            {
                _ledger.Faults++;
                if (!gaussian)
                {
                    FaultInjector.Strike(layer.Stored[p], _faults.Model, 0, _faults.Stream(p));
                }
            }

            _ledger.NodeFlops[p] += updateFlops;
        }

        _ledger.Compute(updateFlops, TimelineActivity.Update);
        if (fused)
        {
            return;
        }

        var rows = _shadow[l].RowCount;
        var cols = _shadow[l].ColumnCount;
        for (var s = 0; s < _batch; s++)
        {
            BlockProducts.RankOneUpdate(_shadow[l], delta.Consensus.AsSpan(s * rows, rows), input.Consensus.AsSpan(s * cols, cols), -_settings.LearningRate);
        }
    }
}
