using MathNet.Numerics.LinearAlgebra;
using SoftErrorSim.Core.Coding;
using SoftErrorSim.Core.Kernels;

namespace SoftErrorSim.Core.Schemes;

/// <summary>
/// A piece of W as the nodes hold it: <paramref name="Rows"/> x <paramref name="Cols"/> words at
/// (<paramref name="RowOffset"/>, <paramref name="ColOffset"/>) of the unpadded W, column-major in
/// <paramref name="Values"/> from <paramref name="Start"/> with leading dimension <paramref name="Stride"/>.
/// The buffer may be reused for the next piece: read it before asking for that one.
/// </summary>
public readonly record struct WeightBlock(int RowOffset, int ColOffset, int Rows, int Cols, double[] Values, int Start, int Stride);

/// <summary>What the cluster holds, read block by block: reconstruction and the streamed evaluation product (ISSUE 13).</summary>
public abstract partial class CodedLayer
{
    /// <summary>
    /// The pieces of W (unpadded) as the nodes not in <paramref name="bad"/> hold it, one block
    /// at a time, the blocks of one block row in ascending column order (so that a product built
    /// from them adds every row's terms in the order of a product with the whole of W).
    /// </summary>
    protected abstract IEnumerable<WeightBlock> WeightBlocks(IReadOnlyCollection<int> bad);

    /// <summary>W (unpadded) as the nodes not in <paramref name="bad"/> hold it.</summary>
    public Matrix<double> Reconstruct(IReadOnlyCollection<int> bad)
    {
        ArgumentNullException.ThrowIfNull(bad);
        var weights = Matrix<double>.Build.Dense(Rows, Cols);
        var values = weights.AsColumnMajorArray();
        foreach (var block in WeightBlocks(bad))
        {
            for (var c = 0; block.Rows > 0 && c < block.Cols; c++)
            {
                block.Values.AsSpan(block.Start + (c * block.Stride), block.Rows).CopyTo(values.AsSpan(((block.ColOffset + c) * Rows) + block.RowOffset));
            }
        }

        return weights;
    }

    /// <summary>
    /// outputs = W inputs for <paramref name="samples"/> vectors (Cols words each in, Rows words
    /// each out), W as the nodes not in <paramref name="bad"/> hold it, without ever holding all
    /// of W: one block is rebuilt at a time and applied to every sample (the evaluation of a large
    /// layer costs one block of memory, not a copy of W). Bit for bit the per-sample product with
    /// <see cref="Reconstruct"/>'s W (<see cref="BlockProducts.Multiply(ReadOnlySpan{double}, int, ReadOnlySpan{double}, Span{double})"/>).
    /// </summary>
    public void MultiplyReconstructed(IReadOnlyCollection<int> bad, double[] inputs, int samples, double[] outputs)
    {
        ArgumentNullException.ThrowIfNull(bad);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(outputs);
        if (inputs.Length != Cols * samples || outputs.Length != Rows * samples)
        {
            throw new ArgumentException("inputs and outputs must hold the samples' vectors");
        }

        Array.Clear(outputs);
        foreach (var block in WeightBlocks(bad))
        {
            FusedProducts.MultiplyBlockInto(block.Values.AsSpan(block.Start), block.Stride, block.Rows, block.Cols, block.RowOffset, block.ColOffset, inputs, Cols, outputs, Rows, samples);
        }
    }

    /// <summary>
    /// Node's backward product (<see cref="Product"/> with <see cref="PassKind.Backward"/>) and then
    /// its update with the factors of <see cref="UpdateFactors"/> (<see cref="ApplyUpdate"/>), as
    /// one pass over the block where the scheme has a fused kernel: the same words, bit for bit.
    /// </summary>
    public virtual void ProductThenUpdate(int node, ReadOnlySpan<double> encoded, int columns, Span<double> output, ReadOnlySpan<double> left, ReadOnlySpan<double> right, double learningRate)
    {
        Product(PassKind.Backward, node, encoded, columns, output);
        ApplyUpdate(node, left, right, columns, learningRate);
    }

    private double[]? _repairBuffer;

    /// <summary>
    /// A zeroed buffer of <paramref name="length"/> words that a repair rebuilds one block in before
    /// copying it into place, kept by the layer: a full-size block is tens of MB, and a fresh one per
    /// repair piled up gigabytes of garbage over a long run (repairs run one at a time).
    /// </summary>
    protected double[] RepairBuffer(int length)
    {
        if (_repairBuffer is null || _repairBuffer.Length != length)
        {
            _repairBuffer = new double[length];
        }
        else
        {
            Array.Clear(_repairBuffer);
        }

        return _repairBuffer;
    }

    /// <summary>The number of words of W a block at the offset may hold (blocks of the padded W overhang its edge).</summary>
    protected static int Clip(int offset, int length, int extent) => Math.Clamp(extent - offset, 0, length);
}
