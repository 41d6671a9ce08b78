// Over 300 lines: one scheme, one layer type (the other schemes' layers are split into partial files; this one is just over).
using MathNet.Numerics.LinearAlgebra;
using SoftErrorSim.Core.Coding;
using SoftErrorSim.Core.Decoding;
using SoftErrorSim.Core.Kernels;
using SoftErrorSim.Core.Randomness;

namespace SoftErrorSim.Core.Schemes;

/// <summary>
/// Replicated storage (SPEC 2): r copies of each of the mn blocks W_ij on r mn nodes, node
/// c mn + (n i + j) holding copy c of W_ij; r = floor(P/(mn)) for replication, r = 1 for uncoded
/// (no redundancy, no detection: errors flow on). Healthy copies execute the same floating-point
/// operations on the same data, so they agree bit for bit and are compared for exact equality.
/// </summary>
public sealed class ReplicatedLayer : CodedLayer
{
    private readonly double[][] _stored;
    private readonly int[] _nodes;
    private readonly int _copies;
    private readonly SchemeKind _scheme;

    /// <summary>Stores r copies of each block of W (unpadded).</summary>
    public ReplicatedLayer(SchemeKind scheme, Matrix<double> weights, int rowSplit, int columnSplit, int copies)
        : base(
            weights?.RowCount ?? throw new ArgumentNullException(nameof(weights)),
            weights.ColumnCount,
            rowSplit,
            columnSplit,
            (weights.RowCount + rowSplit - 1) / rowSplit * rowSplit,
            (weights.ColumnCount + columnSplit - 1) / columnSplit * columnSplit)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(copies);
        _scheme = scheme;
        _copies = copies;
        BlockRows = PaddedRows / rowSplit;
        BlockCols = PaddedCols / columnSplit;
        var padded = PadMatrix(weights, PaddedRows, PaddedCols);
        var blocks = rowSplit * columnSplit;
        _nodes = Enumerable.Range(0, copies * blocks).ToArray();
        _stored = _nodes.Select(p => padded.SubMatrix((p % blocks) / columnSplit * BlockRows, BlockRows, p % blocks % columnSplit * BlockCols, BlockCols).ToColumnMajorArray()).ToArray();
    }

    /// <summary>R: rows of a block.</summary>
    public int BlockRows { get; }

    /// <summary>C: columns of a block.</summary>
    public int BlockCols { get; }

    /// <summary>r, the copies of each block.</summary>
    public int CopyCount => _copies;

    /// <inheritdoc />
    public override SchemeKind Scheme => _scheme;

    /// <inheritdoc />
    public override int NodeCount => _nodes.Length;

    /// <inheritdoc />
    public override double[][] Stored => _stored;

    private int Blocks => RowSplit * ColumnSplit;

    /// <inheritdoc />
    public override IReadOnlyList<int> Nodes(PassKind pass) => _nodes;

    /// <inheritdoc />
    public override int Threshold(PassKind pass, int columns) => Blocks;

    /// <inheritdoc />
    public override int EncodedWords(PassKind pass, int columns) => (pass == PassKind.Backward ? BlockRows : BlockCols) * columns;

    /// <inheritdoc />
    public override int OutputWords(PassKind pass, int columns) => (pass == PassKind.Backward ? BlockCols : BlockRows) * columns;

    /// <inheritdoc />
    public override void Encode(PassKind pass, int node, ReadOnlySpan<double> operand, int columns, Span<double> encoded)
    {
        var b = node % Blocks;
        var (length, piece, block) = pass == PassKind.Backward ? (Rows, BlockRows, b / ColumnSplit) : (Cols, BlockCols, b % ColumnSplit);
        encoded.Clear();
        for (var s = 0; s < columns; s++)
        {
            var available = Math.Clamp(length - (block * piece), 0, piece);
            if (available > 0) // a block wholly in the padding (when m does not divide the length) has no words here
            {
                operand.Slice((s * length) + (block * piece), available).CopyTo(encoded.Slice(s * piece, available));
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

    private int[] Copies(int block) => Enumerable.Range(0, _copies).Select(c => (c * Blocks) + block).ToArray();

    /// <inheritdoc />
    public override LayerDecode Decode(PassKind pass, ReadOnlySpan<double> received, int columns, DecoderKind decoder, RandomSource random, double[]? destination = null)
    {
        var width = OutputWords(pass, columns);
        var (piece, length) = pass == PassKind.Backward ? (BlockCols, Cols) : (BlockRows, Rows);
        var result = ResultArray(destination, length * columns);
        var blamed = new List<int>();
        var detected = false;
        for (var b = 0; b < Blocks; b++)
        {
            var vote = ReplicationDecoder.Vote(received, width, Copies(b), decoder);
            blamed.AddRange(vote.BlamedCopies);
            if (vote.Status == DecodeStatus.Detected)
            {
                detected = true;
                continue;
            }

            // Block (i, j) adds into the result's row block i (forward) or column block j (backward).
            var line = pass == PassKind.Backward ? b % ColumnSplit : b / ColumnSplit;
            for (var s = 0; s < columns; s++)
            {
                var available = Math.Clamp(length - (line * piece), 0, piece);
                if (available > 0) // a block wholly in the padding (when m does not divide the length) has no words here
                {
                    DenseKernels.AddScaled(result.AsSpan((s * length) + (line * piece), available), received.Slice((vote.ChosenCopy * width) + (s * piece), available), 1);
                }
            }
        }

        blamed.Sort();
        return detected
            ? LayerDecode.Fail("the copies of a block do not agree", blamed, 1)
            : new LayerDecode(DecodeStatus.Decoded, result, blamed, 1, 0, null);
    }

    /// <inheritdoc />
    public override void InjectAdversarial(PassKind pass, Span<double> received, IReadOnlyList<int> rows, int columns, double scale, RandomSource random)
    {
        // The attacker's best move against comparison is to make all its copies of one block agree
        // on the same wrong value.
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(random);
        var width = OutputWords(pass, columns);
        foreach (var group in rows.GroupBy(r => r % Blocks))
        {
            var error = new double[width];
            random.FillGaussian(error);
            foreach (var row in group)
            {
                DenseKernels.AddScaled(received.Slice(row * width, width), error, scale);
            }
        }
    }

    /// <summary>
    /// The attacker's choice of <paramref name="count"/> rows where position matters (SPEC 3): all
    /// copies of one block first (one replica group), then of a second, and so on.
    /// </summary>
    public IReadOnlyList<int> AttackPositions(int count, RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var chosen = new List<int>();
        foreach (var block in random.Sample(Blocks, Blocks))
        {
            foreach (var row in Copies(block))
            {
                if (chosen.Count < count)
                {
                    chosen.Add(row);
                }
            }
        }

        return chosen;
    }

    /// <inheritdoc />
    public override (double[] Left, double[] Right) UpdateFactors(int node, ReadOnlySpan<double> delta, ReadOnlySpan<double> input, int columns)
    {
        var left = new double[BlockRows * columns];
        var right = new double[BlockCols * columns];
        Encode(PassKind.Backward, node, delta, columns, left);
        Encode(PassKind.Forward, node, input, columns, right);
        return (left, right);
    }

    /// <inheritdoc />
    public override void ApplyUpdate(int node, ReadOnlySpan<double> left, ReadOnlySpan<double> right, int columns, double learningRate)
    {
        for (var s = 0; s < columns; s++)
        {
            BlockProducts.RankOneUpdate(_stored[node], left.Slice(s * BlockRows, BlockRows), right.Slice(s * BlockCols, BlockCols), -learningRate);
        }
    }

    private double[] ProbeWord(ReadOnlySpan<double> probe)
    {
        var word = new double[_nodes.Length * BlockRows];
        foreach (var p in _nodes)
        {
            BlockProducts.Multiply(_stored[p], BlockRows, probe, word.AsSpan(p * BlockRows, BlockRows));
        }

        return word;
    }

    /// <inheritdoc />
    public override IReadOnlyList<int>? RepairAll(IReadOnlyCollection<int> blamed)
    {
        // A copy is a trusted source when its projection agrees exactly with another unblamed
        // copy's (two copies that went wrong alike have probability zero); copies that agree with
        // no other are repaired too, and every blamed copy is rewritten.
        ArgumentNullException.ThrowIfNull(blamed);
        var word = ProbeWord(Probe(BlockCols));
        var repaired = new SortedSet<int>();
        foreach (var block in blamed.Select(p => p % Blocks).Distinct())
        {
            var copies = Copies(block);
            var candidates = copies.Where(p => !blamed.Contains(p)).ToArray();
            var source = candidates.FirstOrDefault(p => candidates.Any(q => q != p && Same(word, p, q)), -1);
            if (source < 0)
            {
                return null;
            }

            foreach (var p in copies.Where(p => blamed.Contains(p) || !Same(word, p, source)))
            {
                _stored[source].CopyTo(_stored[p], 0);
                repaired.Add(p);
            }
        }

        return [.. repaired];
    }

    private bool Same(double[] word, int a, int b) =>
        word.AsSpan(a * BlockRows, BlockRows).SequenceEqual(word.AsSpan(b * BlockRows, BlockRows));

    /// <inheritdoc />
    public override LayerDecode VerifyStorage(RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var probe = new double[BlockCols];
        random.FillGaussian(probe);
        var word = ProbeWord(probe);
        var blamed = new List<int>();
        for (var t = 0; t < Blocks; t++)
        {
            var vote = ReplicationDecoder.Vote(word, BlockRows, Copies(t), DecoderKind.ProbabilityOne);
            if (vote.Status == DecodeStatus.Detected)
            {
                return LayerDecode.Fail("replicas of a stored block disagree with no majority", vote.BlamedCopies, 1);
            }

            blamed.AddRange(vote.BlamedCopies);
        }

        return new LayerDecode(DecodeStatus.Decoded, null, blamed, 1, 0, null);
    }

    /// <inheritdoc />
    protected override IEnumerable<WeightBlock> WeightBlocks(IReadOnlyCollection<int> bad)
    {
        ArgumentNullException.ThrowIfNull(bad);
        for (var t = 0; t < Blocks; t++)
        {
            var copies = Copies(t);
            var chosen = copies.FirstOrDefault(p => !bad.Contains(p), copies[0]);
            var (row, column) = (t / ColumnSplit * BlockRows, t % ColumnSplit * BlockCols);
            yield return new WeightBlock(row, column, Clip(row, BlockRows, Rows), Clip(column, BlockCols, Cols), _stored[chosen], 0, BlockRows);
        }
    }

    /// <inheritdoc />
    public override double EncodeFlops(PassKind pass) => 0;

    /// <inheritdoc />
    public override double ProductFlops(PassKind pass) => 2.0 * BlockRows * BlockCols;

    /// <inheritdoc />
    public override double DecodeFlops(PassKind pass) => _nodes.Length * (double)(pass == PassKind.Backward ? BlockCols : BlockRows);

    /// <inheritdoc />
    public override double RepairFlops => 0;

    /// <inheritdoc />
    public override int RepairSources => 1;

    /// <inheritdoc />
    public override int ProjectionWords => BlockRows;
}
