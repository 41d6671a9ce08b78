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
public sealed partial class GpdLayer<T> : CodedLayer
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

    /// <inheritdoc />
    public override void ProductThenUpdate(int node, ReadOnlySpan<double> encoded, int columns, Span<double> output, ReadOnlySpan<double> left, ReadOnlySpan<double> right, double learningRate)
    {
        if (!IsComplexCode)
        {
            FusedProducts.TransposeMultiplyThenUpdate(_stored[node], BlockRows, encoded, output, left, right, columns, -learningRate);
            return;
        }

        var split = new double[output.Length];
        FusedProducts.ComplexConjugateTransposeMultiplyThenUpdate(_stored[node], BlockRows, encoded, split, left, right, columns, -learningRate);
        var outLength = 2 * BlockCols;
        for (var s = 0; s < columns; s++)
        {
            Interleave(split.AsSpan(s * outLength, outLength), output.Slice(s * outLength, outLength));
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
    public override LayerDecode Decode(PassKind pass, ReadOnlySpan<double> received, int columns, DecoderKind decoder, RandomSource random, double[]? destination = null)
    {
        var code = PassCode(pass, columns);

        // The coefficients are read out below, before this thread decodes again.
        var options = Options(pass) with { Transient = destination is not null };
        var decoded = DecodeLinear(code, received, decoder, options, random);
        if (decoded.Status == DecodeStatus.Detected)
        {
            return LayerDecode.Fail(decoded.Reason, decoded.BlamedSymbols, decoded.ConditionNumber, decoded.EstimatedError);
        }

        var length = received.Length / Scalar / NodeCount;
        var result = ResultArray(destination, ResultLength(pass) * columns);
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
    public override double EncodeFlops(PassKind pass) => 2.0 * Scalar * (pass == PassKind.Backward ? PaddedRows : PaddedCols);

    /// <inheritdoc />
    public override double ProductFlops(PassKind pass) => 2.0 * Scalar * Scalar * BlockRows * BlockCols;

    /// <inheritdoc />
    public override double DecodeFlops(PassKind pass) => 2.0 * Scalar * Scalar * NodeCount * NodeCount * (pass == PassKind.Backward ? BlockCols : BlockRows);

    /// <inheritdoc />
    public override int RepairSources => NodeCount - 1;

    /// <inheritdoc />
    public override int ProjectionWords => Scalar * BlockRows;

    /// <inheritdoc />
    public override double RepairFlops => 2.0 * Scalar * Scalar * NodeCount * BlockRows * BlockCols;

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;
}
