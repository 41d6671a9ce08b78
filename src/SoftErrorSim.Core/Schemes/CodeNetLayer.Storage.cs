using SoftErrorSim.Core.Coding;
using SoftErrorSim.Core.Decoding;
using SoftErrorSim.Core.Kernels;
using SoftErrorSim.Core.Randomness;

namespace SoftErrorSim.Core.Schemes;

/// <summary>CodeNet's stored blocks along grid lines: verification, verified repair, reconstruction (see <see cref="CodeNetLayer"/>).</summary>
public sealed partial class CodeNetLayer
{
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

    private DecodeOptions StorageOptions(double referenceRms) => new(DecodingTolerance.Rounding(BlockCols + Math.Max(RowSplit, ColumnSplit), Math.Max(_code.RowNodes, _code.ColumnNodes)), referenceRms, Strict: true);

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
        var repaired = RepairBuffer(_stored[node].Length);
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
    protected override IEnumerable<WeightBlock> WeightBlocks(IReadOnlyCollection<int> bad)
    {
        ArgumentNullException.ThrowIfNull(bad);
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

                var (row, column) = (i * BlockRows, j * BlockCols);
                yield return new WeightBlock(row, column, Clip(row, BlockRows, Rows), Clip(column, BlockCols, Cols), block, 0, BlockRows);
            }
        }
    }
}
