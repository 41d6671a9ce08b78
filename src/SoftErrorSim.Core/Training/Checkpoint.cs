using MathNet.Numerics.LinearAlgebra;
using SoftErrorSim.Core.Schemes;

namespace SoftErrorSim.Core.Training;

/// <summary>
/// The one checkpoint of a run (SPEC 5): every node's stored blocks, the reference weights and the biases,
/// copied into buffers allocated once (a checkpoint of a large model is tens of MB, and allocating
/// it afresh every time would cost more than copying it). Written only after a verification pass.
/// </summary>
internal sealed class Checkpoint
{
    private double[][][]? _stored;
    private Matrix<double>[]? _shadow;
    private double[][]? _biases;

    /// <summary>The first sample after the checkpoint.</summary>
    public int Sample { get; private set; }

    /// <summary>The round's loss sum up to <see cref="Sample"/>.</summary>
    public double LossSum { get; private set; }

    public void Take(IReadOnlyList<CodedLayer> layers, IReadOnlyList<Matrix<double>> shadow, double[][]? biases, int sample, double lossSum)
    {
        _stored ??= layers.Select(l => l.Snapshot()).ToArray();
        _shadow ??= shadow.Select(s => s.Clone()).ToArray();
        if (biases is not null)
        {
            _biases ??= biases.Select(b => new double[b.Length]).ToArray();
            for (var l = 0; l < biases.Length; l++)
            {
                biases[l].CopyTo(_biases[l], 0);
            }
        }

        for (var l = 0; l < layers.Count; l++)
        {
            layers[l].CopyTo(_stored[l]);
            shadow[l].CopyTo(_shadow[l]);
        }

        (Sample, LossSum) = (sample, lossSum);
    }

    public void Restore(IReadOnlyList<CodedLayer> layers, IReadOnlyList<Matrix<double>> shadow, double[][]? biases)
    {
        for (var l = 0; biases is not null && l < biases.Length; l++)
        {
            _biases![l].CopyTo(biases[l], 0);
        }

        for (var l = 0; l < layers.Count; l++)
        {
            layers[l].Restore(_stored![l]);
            _shadow![l].CopyTo(shadow[l]);
        }
    }
}
