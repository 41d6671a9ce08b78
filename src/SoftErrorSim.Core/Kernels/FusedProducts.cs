namespace SoftErrorSim.Core.Kernels;

/// <summary>
/// Kernels that make one pass over a stored block where the plain kernels of
/// <see cref="BlockProducts"/> make two, for the memory-bound products of full-size training
/// (ISSUE 13): the backward product fused with the SGD update of the same block, and a product of
/// many samples at once (evaluation). Each computes every word exactly as the unfused kernels do,
/// in the same order of additions, so results are bit for bit those of the plain kernels: per
/// column of the block, the backward dots are taken from the old column first, then the column is
/// updated while it is still in cache.
/// </summary>
public static class FusedProducts
{
    /// <summary>
    /// For a real rows x cols block and <paramref name="columns"/> operand vectors: output_s =
    /// block^T input_s (the backward product, <see cref="BlockProducts.TransposeMultiply(ReadOnlySpan{double}, int, ReadOnlySpan{double}, Span{double})"/>
    /// per vector), then block += scale * sum_s left_s right_s^T (<see cref="BlockProducts.RankOneUpdate(Span{double}, ReadOnlySpan{double}, ReadOnlySpan{double}, double)"/>
    /// per vector, s ascending), column by column.
    /// </summary>
    public static void TransposeMultiplyThenUpdate(Span<double> block, int rows, ReadOnlySpan<double> input, Span<double> output, ReadOnlySpan<double> left, ReadOnlySpan<double> right, int columns, double scale) =>
        TransposeMultiplyThenUpdate(block, rows, input, output, left, right, columns, scale, 0, block.Length / Math.Max(rows, 1));

    /// <summary>
    /// <see cref="TransposeMultiplyThenUpdate(Span{double}, int, ReadOnlySpan{double}, Span{double}, ReadOnlySpan{double}, ReadOnlySpan{double}, int, double)"/>
    /// on the block's columns <paramref name="first"/> .. <paramref name="first"/> + <paramref name="count"/> - 1
    /// only (columns are independent: disjoint ranges may run on different threads, with the same words).
    /// </summary>
    public static void TransposeMultiplyThenUpdate(Span<double> block, int rows, ReadOnlySpan<double> input, Span<double> output, ReadOnlySpan<double> left, ReadOnlySpan<double> right, int columns, double scale, int first, int count)
    {
        var cols = block.Length / Math.Max(rows, 1);
        if (columns < 1 || block.Length != rows * cols || input.Length != rows * columns || output.Length != cols * columns
            || left.Length != rows * columns || right.Length != cols * columns || first < 0 || count < 0 || first + count > cols)
        {
            throw new ArgumentException("operand, output and factor lengths must match the block");
        }

        // Four columns at a time: their dots in one loop (DenseKernels.Dot4, the bits of four Dot
        // calls), then their updates, each column read for its dots before it is written.
        var j = first;
        for (; j + 4 <= first + count; j += 4)
        {
            for (var s = 0; s < columns; s++)
            {
                var (z0, z1, z2, z3) = DenseKernels.Dot4(block.Slice(j * rows, rows), block.Slice((j + 1) * rows, rows), block.Slice((j + 2) * rows, rows), block.Slice((j + 3) * rows, rows), input.Slice(s * rows, rows));
                (output[(s * cols) + j], output[(s * cols) + j + 1], output[(s * cols) + j + 2], output[(s * cols) + j + 3]) = (z0, z1, z2, z3);
            }

            for (var k = j; k < j + 4; k++)
            {
                UpdateColumn(block.Slice(k * rows, rows), k, cols, left, right, columns, scale);
            }
        }

        for (; j < first + count; j++)
        {
            var column = block.Slice(j * rows, rows);
            for (var s = 0; s < columns; s++)
            {
                output[(s * cols) + j] = DenseKernels.Dot(column, input.Slice(s * rows, rows));
            }

            UpdateColumn(column, j, cols, left, right, columns, scale);
        }
    }

    /// <summary>Column j += scale * sum_s right_s[j] left_s, s ascending, zero factors skipped (as RankOneUpdate per s).</summary>
    private static void UpdateColumn(Span<double> column, int j, int cols, ReadOnlySpan<double> left, ReadOnlySpan<double> right, int columns, double scale)
    {
        var rows = column.Length;
        for (var s = 0; s < columns; s++)
        {
            var v = right[(s * cols) + j];
            if (v != 0)
            {
                DenseKernels.AddScaled(column, left.Slice(s * rows, rows), scale * v);
            }
        }
    }

    /// <summary>
    /// For a complex split block (rows x cols: real parts, then imaginary parts) and
    /// <paramref name="columns"/> split operand vectors (2 rows words each): output_s = B^H input_s
    /// split (2 cols words each, as <see cref="BlockProducts.ComplexConjugateTransposeMultiply"/>), then
    /// B += scale * sum_s left_s right_s^T (no conjugate, as <see cref="BlockProducts.ComplexRankOneUpdate"/>,
    /// s ascending), column by column.
    /// </summary>
    public static void ComplexConjugateTransposeMultiplyThenUpdate(Span<double> block, int rows, ReadOnlySpan<double> input, Span<double> output, ReadOnlySpan<double> left, ReadOnlySpan<double> right, int columns, double scale)
    {
        var size = block.Length / 2;
        var cols = size / Math.Max(rows, 1);
        if (columns < 1 || block.Length != 2 * rows * cols || input.Length != 2 * rows * columns || output.Length != 2 * cols * columns
            || left.Length != 2 * rows * columns || right.Length != 2 * cols * columns)
        {
            throw new ArgumentException("operand, output and factor lengths must match the complex block");
        }

        for (var j = 0; j < cols; j++)
        {
            var bre = block.Slice(j * rows, rows);
            var bim = block.Slice(size + (j * rows), rows);
            for (var s = 0; s < columns; s++)
            {
                var d = input.Slice(s * 2 * rows, 2 * rows);
                var dre = d[..rows];
                var dim = d.Slice(rows, rows);
                var z = output.Slice(s * 2 * cols, 2 * cols);
                var (reRe, imIm, reIm, imRe) = DenseKernels.ComplexDots(bre, bim, dre, dim);
                z[j] = reRe + imIm;
                z[cols + j] = reIm - imRe;
            }

            for (var s = 0; s < columns; s++)
            {
                var v = right.Slice(s * 2 * cols, 2 * cols);
                var (vr, vi) = (scale * v[j], scale * v[cols + j]);
                if (vr == 0 && vi == 0)
                {
                    continue;
                }

                var u = left.Slice(s * 2 * rows, 2 * rows);
                BlockProducts.ComplexAxpy(bre, bim, u[..rows], u.Slice(rows, rows), vr, vi);
            }
        }
    }

    /// <summary>
    /// output_s[rowOffset ..] += block x_s[colOffset ..] for every sample s: the column-major
    /// <paramref name="rows"/> x <paramref name="cols"/> block (leading dimension
    /// <paramref name="stride"/>) of a larger matrix W, applied to <paramref name="samples"/> inputs
    /// (each <paramref name="inLength"/> words) into their outputs (each <paramref name="outLength"/>
    /// words), columns ascending and zero inputs skipped, as <see cref="BlockProducts.Multiply(ReadOnlySpan{double}, int, ReadOnlySpan{double}, Span{double})"/>
    /// does per sample: visiting the blocks of a block row in ascending column order gives every
    /// output word the same sums, bit for bit. Samples go in groups whose outputs stay in cache
    /// while each column of the block is read once per group.
    /// </summary>
    public static void MultiplyBlockInto(ReadOnlySpan<double> block, int stride, int rows, int cols, int rowOffset, int colOffset, ReadOnlySpan<double> inputs, int inLength, Span<double> outputs, int outLength, int samples)
    {
        if (rows == 0 || cols == 0)
        {
            return; // a block wholly in W's padding (complex codes pair rows, so a block row can lie beyond W)
        }

        if (rows < 0 || cols < 0 || stride < rows || (cols > 0 && block.Length < ((cols - 1) * stride) + rows)
            || rowOffset + rows > outLength || colOffset + cols > inLength
            || inputs.Length < inLength * samples || outputs.Length < outLength * samples)
        {
            throw new ArgumentException("the block must lie inside W and the samples inside their buffers");
        }

        const int Group = 8;
        for (var first = 0; first < samples; first += Group)
        {
            var last = Math.Min(samples, first + Group);
            for (var c = 0; c < cols; c++)
            {
                var column = block.Slice(c * stride, rows);
                for (var s = first; s < last; s++)
                {
                    var x = inputs[(s * inLength) + colOffset + c];
                    if (x != 0)
                    {
                        DenseKernels.AddScaled(outputs.Slice((s * outLength) + rowOffset, rows), column, x);
                    }
                }
            }
        }
    }
}
