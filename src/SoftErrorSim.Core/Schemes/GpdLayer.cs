using System.Numerics;
using System.Runtime.InteropServices;
using MathNet.Numerics.LinearAlgebra;
using SoftErrorSim.Core.Coding;
using SoftErrorSim.Core.Decoding;
using SoftErrorSim.Core.Faults;
using SoftErrorSim.Core.Kernels;
using SoftErrorSim.Core.Randomness;

namespace SoftErrorSim.Core.Schemes;

/// <summary>
/// Generalized PolyDot storage of one layer (SPEC 2), the one implementation campaigns and
/// training share. Node p holds W~_p = sum_ij W_ij a_p^(n i + j), encoded once and kept encoded.
/// Over the reals (T = double) the blocks are the paper's literal construction on real points.
/// Over the complex numbers (T = Complex, the P-th roots of unity) the rows of W are paired,
/// W^c = W_top + i W_bot, so that a block of (N_out/2m) x (N_in/n) complex numbers holds the same
/// N_out N_in/(mn) words as the real code: forward outputs are the same number of words, backward
/// outputs twice as many (the imaginary part is garbage), products and updates twice the real flops.
/// Forward: y_p = W~_p x~_p, x~_p = sum_l x_l a_p^(n-1-l), block s_i at degree n i + n - 1
/// (K = mn + n - 1); with a batch split d the right factor is coded as
/// X~_p = sum_kl X_kl a_p^(n-1-k+mn l) (K = mnd + n - 1). Backward: real z_p = W~_p^T delta~_p,
/// delta~_p = sum_k delta_k a_p^(n(m-1-k)); complex z_p = a_p^(mn-1) W~_p^H sum_k delta^c_k a_p^(n k);
/// K = 2mn - n. Update: W~_p -= eta (sum_i delta_i a_p^(n i)) (sum_j x_j a_p^j)^T.
/// </summary>
public sealed class GpdLayer<T> : CodedLayer
    where T : struct, IEquatable<T>, IFormattable
{
    private static readonly bool IsComplexCode = Field.IsComplex<T>();
    private readonly GeneralizedPolyDotCode<T> _code;
    private readonly double[][] _stored;
    private readonly int[] _nodes;

    /// <summary>Encodes W (unpadded) on the code's points; d (batch split) enables the matrix-matrix code for batched forward passes.</summary>
    public GpdLayer(GeneralizedPolyDotCode<T> code, Matrix<double> weights)
        : base(
            weights?.RowCount ?? throw new ArgumentNullException(nameof(weights)),
            weights.ColumnCount,
            code?.RowSplit ?? throw new ArgumentNullException(nameof(code)),
            code.ColumnSplit,
            RoundUp(weights.RowCount, (IsComplexCode ? 2 : 1) * code.RowSplit),
            RoundUp(weights.ColumnCount, code.ColumnSplit))
    {
        _code = code;
        BlockRows = PaddedRows / ((IsComplexCode ? 2 : 1) * RowSplit);
        BlockCols = PaddedCols / ColumnSplit;
        _nodes = Enumerable.Range(0, code.NodeCount).ToArray();
        _stored = EncodeWeights(PadMatrix(weights, PaddedRows, PaddedCols));
    }

    /// <summary>R: rows of a stored block in scalars of T (complex rows hold two rows of W).</summary>
    public int BlockRows { get; }

    /// <summary>C: columns of a stored block.</summary>
    public int BlockCols { get; }

    /// <summary>The code's algebra.</summary>
    public GeneralizedPolyDotCode<T> Code => _code;

    /// <inheritdoc />
    public override SchemeKind Scheme => SchemeKind.Gpd;

    /// <inheritdoc />
    public override int NodeCount => _nodes.Length;

    /// <inheritdoc />
    public override double[][] Stored => _stored;

    private static int Scalar => IsComplexCode ? 2 : 1;

    private int Half => PaddedRows / 2;

    /// <inheritdoc />
    public override IReadOnlyList<int> Nodes(PassKind pass) => _nodes;

    /// <summary>The code a pass decodes: the matrix-matrix code for a batched forward pass of a code with d, else forward or backward.</summary>
    public LinearCode<T> PassCode(PassKind pass, int columns) => pass switch
    {
        PassKind.Backward => _code.BackwardCode,
        _ when UsesMatMat(columns) => _code.MatMatCode!,
        _ => _code.ForwardCode,
    };

    /// <inheritdoc />
    public override int Threshold(PassKind pass, int columns) => PassCode(pass, columns).Dimension;

    private bool UsesMatMat(int columns) => _code.BatchSplit is > 1 && columns > 1;

    private int EncodedColumns(PassKind pass, int columns) => pass != PassKind.Backward && UsesMatMat(columns) ? columns / _code.BatchSplit!.Value : columns;

    /// <inheritdoc />
    public override int EncodedWords(PassKind pass, int columns) =>
        Scalar * (pass == PassKind.Backward ? BlockRows : BlockCols) * EncodedColumns(pass, columns);

    /// <inheritdoc />
    public override int OutputWords(PassKind pass, int columns) =>
        Scalar * (pass == PassKind.Backward ? BlockCols : BlockRows) * EncodedColumns(pass, columns);

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

    private static Complex Unsafe(T value) => System.Runtime.CompilerServices.Unsafe.As<T, Complex>(ref value);

    /// <inheritdoc />
    public override void Product(PassKind pass, int node, ReadOnlySpan<double> encoded, int columns, Span<double> output)
    {
        var block = _stored[node];
        var encodedColumns = EncodedColumns(pass, columns);
        var inLength = Scalar * (pass == PassKind.Backward ? BlockRows : BlockCols);
        var outLength = Scalar * (pass == PassKind.Backward ? BlockCols : BlockRows);
        Span<double> split = IsComplexCode ? new double[outLength] : default;
        for (var s = 0; s < encodedColumns; s++)
        {
            var input = encoded.Slice(s * inLength, inLength);
            var target = output.Slice(s * outLength, outLength);
            if (!IsComplexCode)
            {
                if (pass == PassKind.Backward)
                {
                    BlockProducts.TransposeMultiply(block, BlockRows, input, target);
                }
                else
                {
                    BlockProducts.Multiply(block, BlockRows, input, target);
                }

                continue;
            }

            if (pass == PassKind.Backward)
            {
                BlockProducts.ComplexConjugateTransposeMultiply(block, BlockRows, input, split);
            }
            else
            {
                BlockProducts.ComplexMultiply(block, BlockRows, input, split);
            }

            Interleave(split, target);
        }
    }

    /// <summary>Split (re..., im...) to interleaved (re, im, re, im, ...): the wire format of complex outputs.</summary>
    private static void Interleave(ReadOnlySpan<double> split, Span<double> interleaved)
    {
        var n = split.Length / 2;
        for (var i = 0; i < n; i++)
        {
            interleaved[2 * i] = split[i];
            interleaved[(2 * i) + 1] = split[n + i];
        }
    }

    /// <inheritdoc />
    public override LayerDecode Decode(PassKind pass, ReadOnlySpan<double> received, int columns, DecoderKind decoder, RandomSource random)
    {
        var code = PassCode(pass, columns);
        var options = Options(pass);
        var decoded = DecodeLinear(code, received, decoder, options, random);
        if (decoded.Status == DecodeStatus.Detected)
        {
            return LayerDecode.Fail(decoded.Reason, decoded.BlamedSymbols, decoded.ConditionNumber, decoded.EstimatedError);
        }

        var length = received.Length / Scalar / NodeCount;
        var result = new double[ResultLength(pass) * columns];
        Extract(pass, decoded.Coefficients!, length, columns, result);
        return new LayerDecode(DecodeStatus.Decoded, result, decoded.BlamedSymbols, decoded.ConditionNumber, decoded.EstimatedError, decoded.Reason);
    }

    /// <inheritdoc />
    public override LayerDecode? DecodeErasures(PassKind pass, ReadOnlySpan<double> received, int columns, IReadOnlyCollection<int> availableRows)
    {
        var code = PassCode(pass, columns);
        var word = MemoryMarshal.Cast<double, T>(received);
        var length = word.Length / NodeCount;
        var decoded = ErasureDecoder.Decode(code, word, length, availableRows, Options(pass));
        if (decoded.Status == DecodeStatus.Detected)
        {
            return LayerDecode.Fail(decoded.Reason, decoded.BlamedSymbols, decoded.ConditionNumber, decoded.EstimatedError);
        }

        var result = new double[ResultLength(pass) * columns];
        Extract(pass, decoded.Coefficients!, length, columns, result);
        return new LayerDecode(DecodeStatus.Decoded, result, decoded.BlamedSymbols, decoded.ConditionNumber, decoded.EstimatedError, decoded.Reason);
    }

    /// <summary>
    /// The decoding options of a pass: outputs are inner products over the block (C forward, R
    /// backward) of words that themselves carry the encodings' rounding (mn terms in a stored block,
    /// n or m in an encoded operand).
    /// </summary>
    public DecodeOptions Options(PassKind pass) => new(DecodingTolerance.Rounding(
        (pass == PassKind.Backward ? BlockRows * Scalar : BlockCols) + (RowSplit * ColumnSplit) + Math.Max(RowSplit, ColumnSplit),
        NodeCount));

    /// <summary>Reads the wanted blocks out of the decoded coefficients (K x length, row-major) into the result (unpadded, column after column).</summary>
    private void Extract(PassKind pass, T[] coefficients, int length, int columns, double[] result)
    {
        if (pass == PassKind.Backward)
        {
            for (var s = 0; s < columns; s++)
            {
                for (var j = 0; j < ColumnSplit; j++)
                {
                    var row = coefficients.AsSpan(_code.BackwardDegree(j) * length, length).Slice(s * BlockCols, BlockCols);
                    for (var c = 0; c < BlockCols; c++)
                    {
                        var index = (j * BlockCols) + c;
                        if (index < Cols)
                        {
                            result[(s * Cols) + index] = Field.Real(row[c]);
                        }
                    }
                }
            }

            return;
        }

        var matmat = UsesMatMat(columns);
        var groups = matmat ? _code.BatchSplit!.Value : 1;
        var group = columns / groups;
        for (var l = 0; l < groups; l++)
        {
            for (var c = 0; c < group; c++)
            {
                var sample = (l * group) + c;
                for (var i = 0; i < RowSplit; i++)
                {
                    var degree = matmat ? _code.MatMatDegree(i, l) : _code.ForwardDegree(i);
                    var row = coefficients.AsSpan(degree * length, length).Slice((matmat ? c : sample) * BlockRows, BlockRows);
                    for (var r = 0; r < BlockRows; r++)
                    {
                        var top = (i * BlockRows) + r;
                        if (top < Rows)
                        {
                            result[(sample * Rows) + top] = Field.Real(row[r]);
                        }

                        if (IsComplexCode && Half + top < Rows)
                        {
                            result[(sample * Rows) + Half + top] = Unsafe(row[r]).Imaginary;
                        }
                    }
                }
            }
        }
    }

    /// <inheritdoc />
    public override void InjectAdversarial(PassKind pass, Span<double> received, IReadOnlyList<int> rows, int columns, double scale, RandomSource random)
    {
        var code = PassCode(pass, columns);
        var length = received.Length / Scalar / NodeCount;
        AddErrors(received, FaultInjector.CodewordAttack(code, rows, length, scale, random));
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

    /// <summary>Every stored block times one real probe (length C): the rows of a storage codeword over T, interleaved words.</summary>
    private double[] Projections(IEnumerable<int> nodes, ReadOnlySpan<double> probe, double fill)
    {
        var length = Scalar * BlockRows;
        var word = new double[NodeCount * length];
        word.AsSpan().Fill(fill);
        var split = new double[length];
        var encoded = new double[Scalar * BlockCols];
        probe.CopyTo(encoded);
        foreach (var p in nodes)
        {
            var target = word.AsSpan(p * length, length);
            if (IsComplexCode)
            {
                BlockProducts.ComplexMultiply(_stored[p], BlockRows, encoded, split);
                Interleave(split, target);
            }
            else
            {
                BlockProducts.Multiply(_stored[p], BlockRows, probe, target);
            }
        }

        return word;
    }

    private DecodeOptions StorageOptions => new(DecodingTolerance.Rounding(BlockCols + (RowSplit * ColumnSplit), NodeCount));

    /// <inheritdoc />
    public override LayerDecode VerifyStorage(RandomSource random)
    {
        var probe = new double[BlockCols];
        random.FillGaussian(probe);
        var word = Projections(_nodes, probe, 0);
        var decoded = DecodeLinear(_code.StorageCode, word, DecoderKind.ProbabilityOne, StorageOptions, random);
        return decoded.Status == DecodeStatus.Detected
            ? LayerDecode.Fail(decoded.Reason, decoded.BlamedSymbols, decoded.ConditionNumber, decoded.EstimatedError)
            : new LayerDecode(DecodeStatus.Decoded, null, decoded.BlamedSymbols, decoded.ConditionNumber, decoded.EstimatedError, null);
    }

    /// <inheritdoc />
    public override IReadOnlyList<int>? RepairAll(IReadOnlyCollection<int> blamed)
    {
        // The stored blocks form a (P, mn) code: verify the others' projections with its
        // probability-one decoder (the blamed ones erased), which also locates silent wrong ones
        // and refuses rows too ill-conditioned to rebuild from (the decoding contract).
        ArgumentNullException.ThrowIfNull(blamed);
        var word = Projections(_nodes.Where(p => !blamed.Contains(p)), Probe(BlockCols), double.NaN);
        var check = DecodeLinear(_code.StorageCode, word, DecoderKind.ProbabilityOne, StorageOptions, new RandomSource(1));
        if (check.Status == DecodeStatus.Detected)
        {
            return null;
        }

        var bad = check.BlamedSymbols.Union(blamed).Order().ToArray();
        var good = _nodes.Except(bad).ToArray();
        var system = _code.StorageCode.System(good);
        foreach (var node in bad)
        {
            Rebuild(node, good, system);
        }

        return bad;
    }

    /// <summary>W~_q = sum_p lambda_p W~_p over the good nodes, lambda_p = sum_t a_q^t pinv[t, p] (the stored blocks are evaluations of a polynomial of degree mn - 1).</summary>
    private void Rebuild(int target, int[] good, SubsetSystem<T> system)
    {
        var generator = _code.StorageCode.Generator;
        var repaired = new double[_stored[target].Length];
        var size = BlockRows * BlockCols;
        foreach (var p in good)
        {
            T weight = default;
            for (var t = 0; t < _code.StorageCode.Dimension; t++)
            {
                weight = Field.Add(weight, Field.Multiply(generator[target, t], system.PseudoInverse[t, p]));
            }

            if (IsComplexCode)
            {
                var w = Unsafe(weight);
                BlockProducts.ComplexAxpy(repaired.AsSpan(0, size), repaired.AsSpan(size, size), _stored[p].AsSpan(0, size), _stored[p].AsSpan(size, size), w.Real, w.Imaginary);
            }
            else
            {
                DenseKernels.AddScaled(repaired, _stored[p], Field.Real(weight));
            }
        }

        repaired.CopyTo(_stored[target], 0);
    }

    /// <inheritdoc />
    public override Matrix<double> Reconstruct(IReadOnlyCollection<int> bad)
    {
        // W^c_ij = sum_p pinv[n i + j, p] W~_p over the good nodes (the storage code has dimension mn).
        ArgumentNullException.ThrowIfNull(bad);
        var good = _nodes.Where(p => !bad.Contains(p)).ToArray();
        var inverse = _code.StorageCode.System(good).PseudoInverse;
        var weights = Matrix<double>.Build.Dense(Rows, Cols);
        var size = BlockRows * BlockCols;
        var block = new double[Scalar * size];
        for (var i = 0; i < RowSplit; i++)
        {
            for (var j = 0; j < ColumnSplit; j++)
            {
                Array.Clear(block);
                var t = (ColumnSplit * i) + j;
                foreach (var p in good)
                {
                    var w = inverse[t, p];
                    if (IsComplexCode)
                    {
                        var c = Unsafe(w);
                        BlockProducts.ComplexAxpy(block.AsSpan(0, size), block.AsSpan(size, size), _stored[p].AsSpan(0, size), _stored[p].AsSpan(size, size), c.Real, c.Imaginary);
                    }
                    else
                    {
                        DenseKernels.AddScaled(block, _stored[p], Field.Real(w));
                    }
                }

                for (var c = 0; c < BlockCols; c++)
                {
                    var column = (j * BlockCols) + c;
                    if (column >= Cols)
                    {
                        continue;
                    }

                    for (var r = 0; r < BlockRows; r++)
                    {
                        var row = (i * BlockRows) + r;
                        if (row < Rows)
                        {
                            weights[row, column] = block[(c * BlockRows) + r];
                        }

                        if (IsComplexCode && Half + row < Rows)
                        {
                            weights[Half + row, column] = block[size + (c * BlockRows) + r];
                        }
                    }
                }
            }
        }

        return weights;
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

    /// <inheritdoc />
    public override double EncodeFlops(PassKind pass) => 2.0 * Scalar * (pass == PassKind.Backward ? PaddedRows : PaddedCols);

    /// <inheritdoc />
    public override double ProductFlops(PassKind pass) => 2.0 * Scalar * Scalar * BlockRows * BlockCols;

    /// <inheritdoc />
    public override double DecodeFlops(PassKind pass) => 2.0 * Scalar * Scalar * NodeCount * NodeCount * (pass == PassKind.Backward ? BlockCols : BlockRows);

    /// <inheritdoc />
    public override double RepairFlops => 2.0 * Scalar * Scalar * NodeCount * BlockRows * BlockCols;

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;
}
