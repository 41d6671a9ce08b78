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
public sealed class CodeNetLayer : CodedLayer
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
        _stored = code.EncodeWeights(PadMatrix(weights, PaddedRows, PaddedCols)).Select(b => b.AsColumnMajorArray() ?? b.ToColumnMajorArray()).ToArray();
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
            source.Slice(block * piece, available).CopyTo(encoded.Slice(s * piece, available));
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
    public override LayerDecode Decode(PassKind pass, ReadOnlySpan<double> received, int columns, DecoderKind decoder, RandomSource random)
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
        var result = new double[length * columns];
        for (var s = 0; s < columns; s++)
        {
            for (var t = 0; t < code.Dimension; t++)
            {
                var available = Math.Clamp(length - (t * piece), 0, piece);
                decoded.Coefficients.AsSpan((t * width) + (s * piece), available).CopyTo(result.AsSpan((s * length) + (t * piece)));
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

    /// <summary>Every listed node's block times the probe, as row symbolOf(node) of a word of <paramref name="symbols"/> rows; other rows <paramref name="fill"/>.</summary>
    private double[] ProbeWord(IEnumerable<int> nodes, int symbols, Func<int, int> symbolOf, ReadOnlySpan<double> probe, double fill)
    {
        var word = new double[symbols * BlockRows];
        word.AsSpan().Fill(fill);
        foreach (var p in nodes)
        {
            BlockProducts.Multiply(_stored[p], BlockRows, probe, word.AsSpan(symbolOf(p) * BlockRows, BlockRows));
        }

        return word;
    }

    private DecodeOptions StorageOptions(double referenceRms) => new(DecodingTolerance.Rounding(BlockCols + Math.Max(RowSplit, ColumnSplit), Math.Max(_code.RowNodes, _code.ColumnNodes)), referenceRms);

    /// <inheritdoc />
    public override IReadOnlyList<int>? RepairAll(IReadOnlyCollection<int> blamed)
    {
        ArgumentNullException.ThrowIfNull(blamed);
        _layerScale = null;
        var bad = new HashSet<int>(blamed);
        var pending = new Queue<int>(blamed.Order());
        var repaired = new List<int>();
        while (pending.Count > 0)
        {
            var node = pending.Dequeue();
            var located = new List<int>();
            if (repaired.Count > 2 * NodeCount || !Rebuild(node, bad, located))
            {
                return null;
            }

            // The rebuilt block agrees with verified sources: it may serve later repairs. Sources
            // the verification located as wrong join the work.
            bad.Remove(node);
            repaired.Add(node);
            foreach (var p in located.Where(bad.Add))
            {
                pending.Enqueue(p);
            }
        }

        return repaired.Order().ToArray();
    }

    /// <summary>Rebuilds one node's block from verified sources not in <paramref name="bad"/> (for tests and reconstruction); false when no line can.</summary>
    internal bool RebuildNode(int node, IReadOnlyCollection<int> bad)
    {
        _layerScale = null;
        return Rebuild(node, bad, []);
    }

    /// <summary>
    /// Rebuilds node's block along one of its grid lines. The blocks of grid column c (c &lt; n)
    /// form a row-code codeword over grid rows; those of grid row r (r &lt; m) a column-code
    /// codeword over grid columns. A systematic block lies on both: its column is tried first, then
    /// its row. A backward decode blames a whole grid column (m systematic blocks), which leaves
    /// only Pr - m parity blocks there; CodeNet then rebuilds from the grid row, and so does this.
    /// Wrong sources the verification locates are added to <paramref name="located"/>.
    /// </summary>
    private bool Rebuild(int node, IReadOnlyCollection<int> bad, List<int> located)
    {
        var (r, c) = (At(node).GridRow, At(node).GridColumn);
        if (c < ColumnSplit && RebuildAlong(node, bad, Line(p => At(p).GridColumn == c), _code.RowCode, r, p => At(p).GridRow, located))
        {
            return true;
        }

        return r < RowSplit && RebuildAlong(node, bad, Line(p => At(p).GridRow == r), _code.ColumnCode, c, p => At(p).GridColumn, located);
    }

    private int[] Line(Func<int, bool> onLine) => Enumerable.Range(0, _code.NodeCount).Where(onLine).ToArray();

    private bool RebuildAlong(int node, IReadOnlyCollection<int> bad, int[] line, LinearCode<double> code, int symbol, Func<int, int> symbolOf, List<int> located)
    {
        // Sources are verified before they are trusted (RepairAll): at least K + 1 of them, whose
        // projections form a codeword once the ones the decoder locates as wrong are set aside.
        var candidates = line.Where(p => p != node && !bad.Contains(p)).ToArray();
        if (candidates.Length < code.Dimension + 1)
        {
            return false;
        }

        // The floor is the layer's scale: a line of zero padding carries the rounding of the
        // layer's O(1) blocks it was rebuilt from, not of its own zeros.
        var probe = Probe(BlockCols);
        _layerScale ??= FiniteNorm(ProbeWord(Enumerable.Range(0, NodeCount), NodeCount, p => p, probe, 0)) / Math.Sqrt(NodeCount * BlockRows);
        var word = ProbeWord(candidates, code.Length, symbolOf, probe, double.NaN);
        var check = ProbabilityOneDecoder.Decode(code, word, BlockRows, StorageOptions(_layerScale.Value));
        if (check.Status == DecodeStatus.Detected)
        {
            return false;
        }

        var wrong = check.BlamedSymbols.ToHashSet();
        var good = candidates.Where(p => !wrong.Contains(symbolOf(p))).OrderBy(symbolOf).ToArray();
        var system = code.System(good.Select(symbolOf).ToArray());
        var repaired = new double[_stored[node].Length];
        foreach (var p in good)
        {
            double weight = 0;
            for (var t = 0; t < code.Dimension; t++)
            {
                weight += code.Generator[symbol, t] * system.PseudoInverse[t, symbolOf(p)];
            }

            DenseKernels.AddScaled(repaired, _stored[p], weight);
        }

        repaired.CopyTo(_stored[node], 0);
        located.AddRange(candidates.Where(p => wrong.Contains(symbolOf(p))));
        return true;
    }

    /// <inheritdoc />
    public override LayerDecode VerifyStorage(RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var probe = new double[BlockCols];
        random.FillGaussian(probe);
        var all = Enumerable.Range(0, NodeCount).ToArray();
        var word = ProbeWord(all, NodeCount, p => p, probe, 0);
        var reference = FiniteNorm(word) / Math.Sqrt(word.Length);
        var blamed = new SortedSet<int>();
        foreach (var (line, code, symbolOf) in Lines())
        {
            var lineWord = new double[code.Length * BlockRows];
            foreach (var p in line)
            {
                word.AsSpan(p * BlockRows, BlockRows).CopyTo(lineWord.AsSpan(symbolOf(p) * BlockRows));
            }

            var check = ProbabilityOneDecoder.Decode(code, lineWord, BlockRows, StorageOptions(reference));
            if (check.Status == DecodeStatus.Detected)
            {
                return LayerDecode.Fail(check.Reason, [], check.ConditionNumber, check.EstimatedError);
            }

            blamed.UnionWith(line.Where(p => check.BlamedSymbols.Contains(symbolOf(p))));
        }

        return new LayerDecode(DecodeStatus.Decoded, null, [.. blamed], double.NaN, double.NaN, null);
    }

    /// <summary>The full grid lines: every column c &lt; n (row code over grid rows) and every row r &lt; m (column code over grid columns).</summary>
    private IEnumerable<(int[] Line, LinearCode<double> Code, Func<int, int> SymbolOf)> Lines()
    {
        for (var c = 0; c < ColumnSplit; c++)
        {
            var column = c;
            yield return (Line(p => At(p).GridColumn == column), _code.RowCode, p => At(p).GridRow);
        }

        for (var r = 0; r < RowSplit; r++)
        {
            var row = r;
            yield return (Line(p => At(p).GridRow == row), _code.ColumnCode, p => At(p).GridColumn);
        }
    }

    /// <inheritdoc />
    public override Matrix<double> Reconstruct(IReadOnlyCollection<int> bad)
    {
        ArgumentNullException.ThrowIfNull(bad);
        var weights = Matrix<double>.Build.Dense(Rows, Cols);
        for (var i = 0; i < RowSplit; i++)
        {
            for (var j = 0; j < ColumnSplit; j++)
            {
                var node = Enumerable.Range(0, _code.NodeCount).Single(p => At(p) == new GridPosition(i, j));
                var block = _stored[node];
                if (bad.Contains(node))
                {
                    // Rebuild a copy without touching the stored block.
                    var saved = (double[])block.Clone();
                    block = Rebuild(node, bad, []) ? (double[])_stored[node].Clone() : saved;
                    saved.CopyTo(_stored[node], 0);
                }

                for (var c = 0; c < BlockCols && (j * BlockCols) + c < Cols; c++)
                {
                    for (var r = 0; r < BlockRows && (i * BlockRows) + r < Rows; r++)
                    {
                        weights[(i * BlockRows) + r, (j * BlockCols) + c] = block[(c * BlockRows) + r];
                    }
                }
            }
        }

        return weights;
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
    public override double RepairFlops => 2.0 * Math.Max(_code.RowNodes, _code.ColumnNodes) * BlockRows * BlockCols;
}
