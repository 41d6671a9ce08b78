using MathNet.Numerics.LinearAlgebra;
using SoftErrorSim.Core.Coding;
using SoftErrorSim.Core.Kernels;

namespace SoftErrorSim.Core.Schemes;

/// <summary>GPD's node-local arithmetic: encoding weights and operands, and the coded update (see <see cref="GpdLayer{T}"/>).</summary>
public sealed partial class GpdLayer<T>
{
    /// <inheritdoc />
    public override void Encode(PassKind pass, int node, ReadOnlySpan<double> operand, int columns, Span<double> encoded)
    {
        encoded.Clear();
        if (pass == PassKind.Backward)
        {
            for (var s = 0; s < columns; s++)
            {
                EncodeDelta(node, operand.Slice(s * Rows, Rows), encoded.Slice(s * Scalar * BlockRows, Scalar * BlockRows), 1);
            }

            return;
        }

        if (!UsesMatMat(columns))
        {
            for (var s = 0; s < columns; s++)
            {
                EncodeInput(node, operand.Slice(s * Cols, Cols), encoded.Slice(s * Scalar * BlockCols, Scalar * BlockCols), Field.FromReal<T>(1));
            }

            return;
        }

        // X~_p = sum_kl X_kl a_p^(n-1-k+mn l): column c of group l is sample l g + c, g = B/d.
        var d = _code.BatchSplit!.Value;
        if (columns % d != 0)
        {
            throw new ArgumentException($"a batch of {columns} columns does not split into d = {d} groups");
        }

        var group = columns / d;
        var mn = RowSplit * ColumnSplit;
        for (var l = 0; l < d; l++)
        {
            for (var c = 0; c < group; c++)
            {
                var sample = (l * group) + c;
                EncodeInput(node, operand.Slice(sample * Cols, Cols), encoded.Slice(c * Scalar * BlockCols, Scalar * BlockCols), _code.Power(node, mn * l));
            }
        }
    }

    /// <summary>encoded += factor * sum_l x_l a^(n-1-l) (x real, unpadded).</summary>
    private void EncodeInput(int node, ReadOnlySpan<double> input, Span<double> encoded, T factor)
    {
        for (var l = 0; l < ColumnSplit; l++)
        {
            var weight = Field.Multiply(factor, _code.Power(node, ColumnSplit - 1 - l));
            AddRealPiece(encoded, BlockCols, input, l * BlockCols, weight);
        }
    }

    /// <summary>
    /// Backward encoding, into split (complex) or plain (real) words: real sum_k delta_k a^(n(m-1-k));
    /// complex a^(mn-1) sum_k (delta_top,k + i delta_bot,k) a^(n k).
    /// </summary>
    private void EncodeDelta(int node, ReadOnlySpan<double> delta, Span<double> encoded, int unused)
    {
        _ = unused;
        var padded = delta.Length == PaddedRows ? delta : Pad(delta, Rows, PaddedRows, 1);
        for (var k = 0; k < RowSplit; k++)
        {
            if (!IsComplexCode)
            {
                AddRealPiece(encoded, BlockRows, padded, k * BlockRows, _code.Power(node, ColumnSplit * (RowSplit - 1 - k)));
                continue;
            }

            var weight = _code.Power(node, (ColumnSplit * k) + (RowSplit * ColumnSplit) - 1);
            AddComplexPiece(encoded, BlockRows, padded.Slice(k * BlockRows, BlockRows), padded.Slice(Half + (k * BlockRows), BlockRows), weight);
        }
    }

    /// <summary>target (split for complex, length R) += w * x[offset .. offset + length) for a real piece of x (zero beyond its end).</summary>
    private static void AddRealPiece(Span<double> target, int length, ReadOnlySpan<double> x, int offset, T weight)
    {
        var available = Math.Clamp(x.Length - offset, 0, length);
        if (available == 0)
        {
            return;
        }

        var piece = x.Slice(offset, available);
        if (!IsComplexCode)
        {
            DenseKernels.AddScaled(target[..available], piece, Field.Real(weight));
            return;
        }

        var w = Unsafe(weight);
        DenseKernels.AddScaled(target[..available], piece, w.Real);
        DenseKernels.AddScaled(target.Slice(length, available), piece, w.Imaginary);
    }

    /// <summary>target (split, length R) += w (re + i im).</summary>
    private static void AddComplexPiece(Span<double> target, int length, ReadOnlySpan<double> re, ReadOnlySpan<double> im, T weight)
    {
        var w = Unsafe(weight);
        BlockProducts.ComplexAxpy(target[..length], target.Slice(length, length), re, im, w.Real, w.Imaginary);
    }

    /// <inheritdoc />
    public override (double[] Left, double[] Right) UpdateFactors(int node, ReadOnlySpan<double> delta, ReadOnlySpan<double> input, int columns)
    {
        // Left: sum_i delta_i a^(n i) (complex: delta^c_i); right: sum_j x_j a^j.
        var leftLength = Scalar * BlockRows;
        var rightLength = Scalar * BlockCols;
        var left = new double[leftLength * columns];
        var right = new double[rightLength * columns];
        for (var s = 0; s < columns; s++)
        {
            var d = Pad(delta.Slice(s * Rows, Rows), Rows, PaddedRows, 1);
            var target = left.AsSpan(s * leftLength, leftLength);
            for (var i = 0; i < RowSplit; i++)
            {
                var weight = _code.Power(node, ColumnSplit * i);
                if (IsComplexCode)
                {
                    AddComplexPiece(target, BlockRows, d.AsSpan(i * BlockRows, BlockRows), d.AsSpan(Half + (i * BlockRows), BlockRows), weight);
                }
                else
                {
                    AddRealPiece(target, BlockRows, d, i * BlockRows, weight);
                }
            }

            var x = input.Slice(s * Cols, Cols);
            var into = right.AsSpan(s * rightLength, rightLength);
            for (var j = 0; j < ColumnSplit; j++)
            {
                AddRealPiece(into, BlockCols, x, j * BlockCols, _code.Power(node, j));
            }
        }

        return (left, right);
    }

    /// <inheritdoc />
    public override void ApplyUpdate(int node, ReadOnlySpan<double> left, ReadOnlySpan<double> right, int columns, double learningRate)
    {
        var leftLength = Scalar * BlockRows;
        var rightLength = Scalar * BlockCols;
        for (var s = 0; s < columns; s++)
        {
            if (IsComplexCode)
            {
                BlockProducts.ComplexRankOneUpdate(_stored[node], left.Slice(s * leftLength, leftLength), right.Slice(s * rightLength, rightLength), -learningRate);
            }
            else
            {
                BlockProducts.RankOneUpdate(_stored[node], left.Slice(s * leftLength, leftLength), right.Slice(s * rightLength, rightLength), -learningRate);
            }
        }
    }

    /// <summary>W~_p = sum_ij W_ij a_p^(n i + j) for every node (W padded): the mn blocks are cut once, then combined by in-place axpys.</summary>
    private double[][] EncodeWeights(Matrix<double> weights)
    {
        var size = BlockRows * BlockCols;
        var values = weights.AsColumnMajorArray() ?? weights.ToColumnMajorArray();
        var blocks = new double[RowSplit * ColumnSplit][];
        for (var i = 0; i < RowSplit; i++)
        {
            for (var j = 0; j < ColumnSplit; j++)
            {
                var block = new double[Scalar * size];
                for (var c = 0; c < BlockCols; c++)
                {
                    var column = (j * BlockCols) + c;
                    values.AsSpan((column * PaddedRows) + (i * BlockRows), BlockRows).CopyTo(block.AsSpan(c * BlockRows));
                    if (IsComplexCode)
                    {
                        values.AsSpan((column * PaddedRows) + Half + (i * BlockRows), BlockRows).CopyTo(block.AsSpan(size + (c * BlockRows)));
                    }
                }

                blocks[(ColumnSplit * i) + j] = block;
            }
        }

        var stored = new double[NodeCount][];
        for (var p = 0; p < NodeCount; p++)
        {
            var target = new double[Scalar * size];
            for (var t = 0; t < blocks.Length; t++)
            {
                var w = _code.Power(p, t);
                if (IsComplexCode)
                {
                    var c = Unsafe(w);
                    BlockProducts.ComplexAxpy(target.AsSpan(0, size), target.AsSpan(size, size), blocks[t].AsSpan(0, size), blocks[t].AsSpan(size, size), c.Real, c.Imaginary);
                }
                else
                {
                    DenseKernels.AddScaled(target, blocks[t], Field.Real(w));
                }
            }

            stored[p] = target;
        }

        return stored;
    }
}
