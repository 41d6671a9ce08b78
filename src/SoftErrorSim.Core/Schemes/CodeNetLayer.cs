using MathNet.Numerics.LinearAlgebra;
using SoftErrorSim.Core.Coding;
using SoftErrorSim.Core.Decoding;
using SoftErrorSim.Core.Faults;
using SoftErrorSim.Core.Kernels;
using SoftErrorSim.Core.Randomness;

namespace SoftErrorSim.Core.Schemes;

/// <summary>
/// CodeNet's 2-D systematic MDS storage of one layer (SPEC 2), as in the authors' implementation:
/// node (r, c) of the grid holds W_rc, a row-parity block sum_i G_r[r, i] W_ic (r &gt;= m) or a
/// column-parity block sum_j G_c[c, j] W_rj (c &gt;= n). Forward: the nodes of the first n grid
/// columns multiply their block by x_c and each grid row sums its partial products into one symbol
/// of the (Pr, m) row code; backward: the nodes of the first m grid rows multiply by delta_r
/// transposed and each grid column sums into one symbol of the (Pc, n) column code. A node error
/// spoils its line's symbol: a decode locates grid lines, and every node on a blamed line is blamed.
/// </summary>
public sealed partial class CodeNetLayer : CodedLayer
{
    private readonly CodeNetMdsCode _code;
    private readonly double[][] _stored;
    private readonly int[] _forwardNodes;
    private readonly int[] _backwardNodes;
    private double? _layerScale;

    /// <summary>Encodes W (unpadded) on the grid the configuration describes.</summary>
    public CodeNetLayer(CodeNetMdsCode code, Matrix<double> weights)
        : base(
            weights?.RowCount ?? throw new ArgumentNullException(nameof(weights)),
            weights.ColumnCount,
            code?.RowSplit ?? throw new ArgumentNullException(nameof(code)),
            code.ColumnSplit,
            (weights.RowCount + code.RowSplit - 1) / code.RowSplit * code.RowSplit,
            (weights.ColumnCount + code.ColumnSplit - 1) / code.ColumnSplit * code.ColumnSplit)
    {
        _code = code;
        BlockRows = PaddedRows / RowSplit;
        BlockCols = PaddedCols / ColumnSplit;
        _stored = code.EncodeWeights(PadMatrix(weights, PaddedRows, PaddedCols));
        _forwardNodes = code.ForwardNodes();
        _backwardNodes = code.BackwardNodes();
    }

    /// <summary>R: rows of a block.</summary>
    public int BlockRows { get; }

    /// <summary>C: columns of a block.</summary>
    public int BlockCols { get; }

    /// <summary>The grid and its line codes.</summary>
    public CodeNetMdsCode Code => _code;

    /// <inheritdoc />
    public override SchemeKind Scheme => SchemeKind.Mds;

    /// <inheritdoc />
    public override int NodeCount => _code.NodeCount;

    /// <inheritdoc />
    public override double[][] Stored => _stored;

    /// <inheritdoc />
    public override IReadOnlyList<int> Nodes(PassKind pass) => pass == PassKind.Backward ? _backwardNodes : _forwardNodes;

    /// <summary>The line code a pass decodes: rows forward, columns backward.</summary>
    public LinearCode<double> LineCode(PassKind pass) => pass == PassKind.Backward ? _code.ColumnCode : _code.RowCode;

    /// <inheritdoc />
    public override int Threshold(PassKind pass, int columns) => LineCode(pass).Dimension;

    /// <inheritdoc />
    public override int EncodedWords(PassKind pass, int columns) => (pass == PassKind.Backward ? BlockRows : BlockCols) * columns;

    /// <inheritdoc />
    public override int OutputWords(PassKind pass, int columns) => (pass == PassKind.Backward ? BlockCols : BlockRows) * columns;

    private GridPosition At(int node) => _code.Positions[node];

    private int LineOf(PassKind pass, int node) => pass == PassKind.Backward ? At(node).GridColumn : At(node).GridRow;

    /// <inheritdoc />
    public override void Encode(PassKind pass, int node, ReadOnlySpan<double> operand, int columns, Span<double> encoded)
    {
        // A systematic node's slice: x_c forward (c its grid column), delta_r backward (r its grid row).
        var (length, piece, block) = pass == PassKind.Backward ? (Rows, BlockRows, At(node).GridRow) : (Cols, BlockCols, At(node).GridColumn);
        encoded.Clear();
        for (var s = 0; s < columns; s++)
        {
            var source = operand.Slice(s * length, length);
            var available = Math.Clamp(length - (block * piece), 0, piece);
            if (available > 0) // a block wholly in the padding (when m does not divide the length) has no words here
            {
                source.Slice(block * piece, available).CopyTo(encoded.Slice(s * piece, available));
            }
        }
    }

    /// <inheritdoc />
    public override void Product(PassKind pass, int node, ReadOnlySpan<double> encoded, int columns, Span<double> output)
    {
        for (var s = 0; s < columns; s++)
        {
            if (pass == PassKind.Backward)
            {
                BlockProducts.TransposeMultiply(_stored[node], BlockRows, encoded.Slice(s * BlockRows, BlockRows), output.Slice(s * BlockCols, BlockCols));
            }
            else
            {
                BlockProducts.Multiply(_stored[node], BlockRows, encoded.Slice(s * BlockCols, BlockCols), output.Slice(s * BlockRows, BlockRows));
            }
        }
    }

    /// <inheritdoc />
    public override void ProductThenUpdate(int node, ReadOnlySpan<double> encoded, int columns, Span<double> output, ReadOnlySpan<double> left, ReadOnlySpan<double> right, double learningRate) =>
        FusedProducts.TransposeMultiplyThenUpdate(_stored[node], BlockRows, encoded, output, left, right, columns, -learningRate);

    /// <summary>Each grid line sums its nodes' partial products into one symbol of the line code.</summary>
    private double[] LineSymbols(PassKind pass, ReadOnlySpan<double> received, int width)
    {
        var nodes = Nodes(pass);
        var symbols = new double[LineCode(pass).Length * width];
        for (var i = 0; i < nodes.Count; i++)
        {
            DenseKernels.AddScaled(symbols.AsSpan(LineOf(pass, nodes[i]) * width, width), received.Slice(i * width, width), 1);
        }

        return symbols;
    }

    /// <summary>Decoding options of a pass: line symbols are sums of n (or m) inner products over a block.</summary>
    public DecodeOptions Options(PassKind pass) => new(DecodingTolerance.Rounding(
        pass == PassKind.Backward ? (BlockRows * RowSplit) : (BlockCols * ColumnSplit),
        LineCode(pass).Length));

    /// <inheritdoc />
    public override LayerDecode Decode(PassKind pass, ReadOnlySpan<double> received, int columns, DecoderKind decoder, RandomSource random, double[]? destination = null)
    {
        var width = OutputWords(pass, columns);
        var code = LineCode(pass);
        var decoded = LinearDecoding.Decode<double>(decoder, code, LineSymbols(pass, received, width), width, Options(pass), random);
        var lines = decoded.BlamedSymbols.ToHashSet();
        var blamed = Nodes(pass).Where(p => lines.Contains(LineOf(pass, p))).ToList();
        if (decoded.Status == DecodeStatus.Detected)
        {
            return LayerDecode.Fail(decoded.Reason, blamed, decoded.ConditionNumber, decoded.EstimatedError);
        }

        // Systematic line code: the message coefficients are the wanted blocks themselves.
        var (piece, length) = pass == PassKind.Backward ? (BlockCols, Cols) : (BlockRows, Rows);
        var result = ResultArray(destination, length * columns);
        for (var s = 0; s < columns; s++)
        {
            for (var t = 0; t < code.Dimension; t++)
            {
                var available = Math.Clamp(length - (t * piece), 0, piece);
                if (available > 0) // a block wholly in the padding (when m does not divide the length) has no words here
                {
                    decoded.Coefficients.AsSpan((t * width) + (s * piece), available).CopyTo(result.AsSpan((s * length) + (t * piece)));
                }
            }
        }

        return new LayerDecode(DecodeStatus.Decoded, result, blamed, decoded.ConditionNumber, decoded.EstimatedError, decoded.Reason);
    }

    /// <inheritdoc />
    public override void InjectAdversarial(PassKind pass, Span<double> received, IReadOnlyList<int> rows, int columns, double scale, RandomSource random)
    {
        // The attacker controls the struck nodes; it can spoil only the grid lines they sit on, and
        // splits each line's share of the codeword equally among its attackers there.
        ArgumentNullException.ThrowIfNull(rows);
        var nodes = Nodes(pass);
        var width = OutputWords(pass, columns);
        var lineOfRow = rows.ToDictionary(r => r, r => LineOf(pass, nodes[r]));
        var lines = lineOfRow.Values.Distinct().ToList();
        var errors = FaultInjector.CodewordAttack(LineCode(pass), lines, width, scale, random);
        foreach (var group in rows.GroupBy(r => lineOfRow[r]))
        {
            var share = 1.0 / group.Count();
            foreach (var row in group)
            {
                DenseKernels.AddScaled(received.Slice(row * width, width), errors.AsSpan(group.Key * width, width), share);
            }
        }
    }

    /// <summary>
    /// The attacker's choice of <paramref name="count"/> rows where position matters (SPEC 3): one
    /// node on each of as many distinct grid lines as it can, since every line it reaches is one
    /// wrong symbol of the line code; beyond one per line, further nodes on the same lines.
    /// </summary>
    public IReadOnlyList<int> AttackPositions(PassKind pass, int count, RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var nodes = Nodes(pass);
        var order = random.Sample(nodes.Count, nodes.Count);
        var chosen = new List<int>();
        var lines = new HashSet<int>();
        foreach (var row in order)
        {
            if (chosen.Count < count && lines.Add(LineOf(pass, nodes[row])))
            {
                chosen.Add(row);
            }
        }

        foreach (var row in order)
        {
            if (chosen.Count < count && !chosen.Contains(row))
            {
                chosen.Add(row);
            }
        }

        return chosen;
    }

    /// <inheritdoc />
    public override (double[] Left, double[] Right) UpdateFactors(int node, ReadOnlySpan<double> delta, ReadOnlySpan<double> input, int columns)
    {
        // The update of W_ij is delta_i x_j^T; a parity block's update is the same combination of them.
        var (r, c) = (At(node).GridRow, At(node).GridColumn);
        var left = new double[BlockRows * columns];
        var right = new double[BlockCols * columns];
        for (var s = 0; s < columns; s++)
        {
            var d = Pad(delta.Slice(s * Rows, Rows), Rows, PaddedRows, 1);
            var x = Pad(input.Slice(s * Cols, Cols), Cols, PaddedCols, 1);
            Combine(d, r, RowSplit, BlockRows, _code.RowCode, left.AsSpan(s * BlockRows, BlockRows));
            Combine(x, c, ColumnSplit, BlockCols, _code.ColumnCode, right.AsSpan(s * BlockCols, BlockCols));
        }

        return (left, right);
    }

    private static void Combine(double[] vector, int symbol, int parts, int length, LinearCode<double> code, Span<double> target)
    {
        if (symbol < parts)
        {
            vector.AsSpan(symbol * length, length).CopyTo(target);
            return;
        }

        for (var t = 0; t < parts; t++)
        {
            DenseKernels.AddScaled(target, vector.AsSpan(t * length, length), code.Generator[symbol, t]);
        }
    }

    /// <inheritdoc />
    public override void ApplyUpdate(int node, ReadOnlySpan<double> left, ReadOnlySpan<double> right, int columns, double learningRate)
    {
        for (var s = 0; s < columns; s++)
        {
            BlockProducts.RankOneUpdate(_stored[node], left.Slice(s * BlockRows, BlockRows), right.Slice(s * BlockCols, BlockCols), -learningRate);
        }
    }

    /// <inheritdoc />
    public override double EncodeFlops(PassKind pass) => 0;

    /// <inheritdoc />
    public override double ProductFlops(PassKind pass) => 2.0 * BlockRows * BlockCols;

    /// <inheritdoc />
    public override double DecodeFlops(PassKind pass) => pass == PassKind.Backward
        ? 2.0 * _code.ColumnNodes * _code.ColumnNodes * BlockCols
        : 2.0 * _code.RowNodes * _code.RowNodes * BlockRows;

    /// <inheritdoc />
    public override int RepairSources => Math.Max(_code.RowNodes, _code.ColumnNodes) - 1;

    /// <inheritdoc />
    public override int ProjectionWords => BlockRows;

    /// <summary>
    /// CodeNet's protocol (the authors' implementation): each grid line first reduces its nodes'
    /// partial products to one symbol (a tree of ceil(log2 nodes-per-line) steps), then the line
    /// symbols are all-gathered, so every node receives the Pr (or Pc) symbols, not every partial product.
    /// </summary>
    public override Traffic Gather(PassKind pass, int columns)
    {
        var words = (double)OutputWords(pass, columns);
        var lines = LineCode(pass).Length;
        var perLine = Nodes(pass).Count / lines;
        var depth = (int)Math.Ceiling(Math.Log2(Math.Max(perLine, 1)));
        return new Traffic(depth + 1, (depth + lines) * words, (lines * (perLine - 1) * words) + (lines * (NodeCount - 1.0) * words));
    }

    /// <inheritdoc />
    public override double RepairFlops => 2.0 * Math.Max(_code.RowNodes, _code.ColumnNodes) * BlockRows * BlockCols;
}
