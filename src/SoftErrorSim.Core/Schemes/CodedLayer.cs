using MathNet.Numerics.LinearAlgebra;
using SoftErrorSim.Core.Coding;
using SoftErrorSim.Core.Decoding;
using SoftErrorSim.Core.Faults;
using SoftErrorSim.Core.Kernels;
using SoftErrorSim.Core.Randomness;

namespace SoftErrorSim.Core.Schemes;

/// <summary>What a node-side decode of one pass's all-gathered outputs gave.</summary>
/// <param name="Status">Decoded, or detected (the caller rolls back or recomputes).</param>
/// <param name="Result">The decoded product (W x or W^T delta, unpadded, one column after another), when decoded.</param>
/// <param name="Blamed">Nodes whose outputs (or stored blocks) the decoder found wrong.</param>
/// <param name="ConditionNumber">Condition number of the last system solved (1 for comparison decoders, NaN when none).</param>
/// <param name="EstimatedError">The decoding contract's estimate of the relative error of the result (NaN when none).</param>
/// <param name="Reason">Why the decode was flagged, when it was.</param>
public sealed record LayerDecode(DecodeStatus Status, double[]? Result, IReadOnlyList<int> Blamed, double ConditionNumber, double EstimatedError, string? Reason)
{
    /// <summary>A detected decode.</summary>
    public static LayerDecode Fail(string? reason, IReadOnlyList<int> blamed, double conditionNumber = double.NaN, double estimatedError = double.NaN) =>
        new(DecodeStatus.Detected, null, blamed, conditionNumber, estimatedError, reason);
}

/// <summary>
/// The messages of one collective step, for the cost model (SPEC 5, "Simulated time"):
/// <paramref name="Latencies"/> message latencies one after another on the critical path,
/// <paramref name="CriticalWords"/> words the busiest node receives along it, and
/// <paramref name="TotalWords"/> words sent by all nodes together.
/// </summary>
public readonly record struct Traffic(int Latencies, double CriticalWords, double TotalWords)
{
    /// <summary>An all-gather in which each of <paramref name="senders"/> nodes sends <paramref name="words"/> words to each of the others.</summary>
    public static Traffic AllGather(int senders, double words) => new(1, (senders - 1) * words, senders * (senders - 1.0) * words);
}

/// <summary>
/// One weight matrix W (rows x cols) stored on P nodes under one scheme (SPEC 2): each node's
/// stored block, how a node encodes its operand and multiplies, how the all-gathered outputs
/// decode, the coded update, repair, the storage check and reconstruction. Monte Carlo campaigns
/// and the training run both work through this one type per scheme. Operands and results are
/// unpadded (the layer zero-pads W to multiples of its split internally) and hold
/// <c>columns</c> vectors one after another; every word a node sends or stores is a float64, a
/// complex entry two of them.
/// </summary>
public abstract partial class CodedLayer
{
    /// <summary>Sets the shape; <paramref name="paddedRows"/> and <paramref name="paddedCols"/> are the padded extents.</summary>
    protected CodedLayer(int rows, int cols, int rowSplit, int columnSplit, int paddedRows, int paddedCols)
    {
        Rows = rows;
        Cols = cols;
        RowSplit = rowSplit;
        ColumnSplit = columnSplit;
        PaddedRows = paddedRows;
        PaddedCols = paddedCols;
    }

    /// <summary>Rows of W (N_out).</summary>
    public int Rows { get; }

    /// <summary>Columns of W (N_in).</summary>
    public int Cols { get; }

    /// <summary>m.</summary>
    public int RowSplit { get; }

    /// <summary>n.</summary>
    public int ColumnSplit { get; }

    /// <summary>Rows of W after zero padding.</summary>
    public int PaddedRows { get; }

    /// <summary>Columns of W after zero padding.</summary>
    public int PaddedCols { get; }

    /// <summary>The scheme.</summary>
    public abstract SchemeKind Scheme { get; }

    /// <summary>P: the nodes that hold a block.</summary>
    public abstract int NodeCount { get; }

    /// <summary>Every node's stored block as raw words (column-major; complex blocks split into real then imaginary parts).</summary>
    public abstract double[][] Stored { get; }

    /// <summary>The nodes whose outputs make up a decode of the pass, in row order of the received word.</summary>
    public abstract IReadOnlyList<int> Nodes(PassKind pass);

    /// <summary>K of the code decoded in the pass for <paramref name="columns"/> operand columns (in symbols: nodes, grid lines, or blocks).</summary>
    public abstract int Threshold(PassKind pass, int columns);

    /// <summary>Words of one node's encoded operand.</summary>
    public abstract int EncodedWords(PassKind pass, int columns);

    /// <summary>Words of one node's output (what it all-gathers).</summary>
    public abstract int OutputWords(PassKind pass, int columns);

    /// <summary>The length of the operand of a pass: Cols forward, Rows backward.</summary>
    public int OperandLength(PassKind pass) => pass == PassKind.Backward ? Rows : Cols;

    /// <summary>The length of the result of a pass: Rows forward, Cols backward.</summary>
    public int ResultLength(PassKind pass) => pass == PassKind.Backward ? Cols : Rows;

    /// <summary>Node's local encoding of the pass's operand (<paramref name="columns"/> vectors, unpadded).</summary>
    public abstract void Encode(PassKind pass, int node, ReadOnlySpan<double> operand, int columns, Span<double> encoded);

    /// <summary>Node's product of its stored block with its encoded operand.</summary>
    public abstract void Product(PassKind pass, int node, ReadOnlySpan<double> encoded, int columns, Span<double> output);

    /// <summary>
    /// Decodes the all-gathered outputs of the pass (<see cref="Nodes"/> order, <see cref="OutputWords"/>
    /// words each) into the product (unpadded, column after column), or detected. With
    /// <paramref name="destination"/> (exactly <see cref="ResultLength"/> x columns long) the result
    /// is written there and returned in it, and the decode may use buffers of the calling thread:
    /// for callers that read the result before their thread decodes again (campaigns).
    /// </summary>
    public abstract LayerDecode Decode(PassKind pass, ReadOnlySpan<double> received, int columns, DecoderKind decoder, RandomSource random, double[]? destination = null);

    /// <summary>The array a decode writes its result to: <paramref name="destination"/> cleared, or a new one.</summary>
    protected static double[] ResultArray(double[]? destination, int size)
    {
        if (destination is null)
        {
            return new double[size];
        }

        if (destination.Length != size)
        {
            throw new ArgumentException($"the destination must hold exactly the result ({size} words, got {destination.Length})", nameof(destination));
        }

        destination.AsSpan().Clear();
        return destination;
    }

    /// <summary>
    /// Decodes from rows known to be correct (stragglers dropped rather than soft errors): the
    /// recovery-threshold property itself. Null for schemes without a linear code over nodes.
    /// </summary>
    public virtual LayerDecode? DecodeErasures(PassKind pass, ReadOnlySpan<double> received, int columns, IReadOnlyCollection<int> availableRows) => null;

    /// <summary>
    /// The adversarial model on the given rows of a received word (SPEC 3): the attacker knows the
    /// code and chooses what to add; <paramref name="scale"/> is its error size in absolute terms.
    /// </summary>
    public abstract void InjectAdversarial(PassKind pass, Span<double> received, IReadOnlyList<int> rows, int columns, double scale, RandomSource random);

    /// <summary>The two factors of node's rank-one coded update(s), one pair per column, from its local delta (Rows x columns) and input (Cols x columns).</summary>
    public abstract (double[] Left, double[] Right) UpdateFactors(int node, ReadOnlySpan<double> delta, ReadOnlySpan<double> input, int columns);

    /// <summary>Applies the factors of <see cref="UpdateFactors"/>: block -= learning rate * sum over columns of left right^T.</summary>
    public abstract void ApplyUpdate(int node, ReadOnlySpan<double> left, ReadOnlySpan<double> right, int columns, double learningRate);

    /// <summary>
    /// Repairs every blamed node, trusting only sources it has verified: a block can go wrong
    /// silently (its error masked in every product so far, for example by zero inputs after a
    /// ReLU), and a repair that copied such an error into the rebuilt block would be blamed again
    /// at the next decode, over and over. The sources' projections on a fixed random probe must
    /// form a codeword; any source they locate as wrong is repaired too. Returns every node
    /// repaired, or null when the blamed nodes cannot be rebuilt from verified sources.
    /// </summary>
    public abstract IReadOnlyList<int>? RepairAll(IReadOnlyCollection<int> blamed);

    /// <summary>
    /// Checks that the stored blocks still form a codeword, through one shared random projection of
    /// every block (a corrupted block moves its projection with probability one): the blamed nodes, or detected.
    /// </summary>
    public abstract LayerDecode VerifyStorage(RandomSource random);


    /// <summary>Arithmetic (flops) of one node's encoding of one operand column.</summary>
    public abstract double EncodeFlops(PassKind pass);

    /// <summary>Arithmetic of one node's product for one operand column.</summary>
    public abstract double ProductFlops(PassKind pass);

    /// <summary>Arithmetic of one node's decode of the pass for one operand column.</summary>
    public abstract double DecodeFlops(PassKind pass);

    /// <summary>Arithmetic of rebuilding one block.</summary>
    public abstract double RepairFlops { get; }

    /// <summary>
    /// How a pass's outputs reach every node: by default an all-gather among the nodes of the pass
    /// (every node decodes the whole result itself, no master).
    /// </summary>
    public virtual Traffic Gather(PassKind pass, int columns) => Traffic.AllGather(Nodes(pass).Count, OutputWords(pass, columns));

    /// <summary>Words a rebuilt block is interpolated from: the blocks of the nodes it is rebuilt from (<see cref="RepairSources"/> of them).</summary>
    public virtual Traffic RepairFetch(int rebuilt) => new(1, RepairSources * (double)StoredWordsPerNode, rebuilt * RepairSources * (double)StoredWordsPerNode);

    /// <summary>How many blocks a repair reads.</summary>
    public abstract int RepairSources { get; }

    /// <summary>The words of one node's probe projection (the storage check's all-gather and a repair's verification).</summary>
    public abstract int ProjectionWords { get; }

    /// <summary>Words one node's stored block holds.</summary>
    public long StoredWordsPerNode => Stored.Length == 0 ? 0 : Stored[0].LongLength;

    /// <summary>Deep copy of every stored block (a checkpoint).</summary>
    public double[][] Snapshot() => Stored.Select(b => (double[])b.Clone()).ToArray();

    /// <summary>Copies every stored block into <paramref name="snapshot"/> (allocated by <see cref="Snapshot"/>).</summary>
    public void CopyTo(double[][] snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        for (var p = 0; p < snapshot.Length; p++)
        {
            Stored[p].CopyTo(snapshot[p], 0);
        }
    }

    /// <summary>Restores every stored block from a checkpoint.</summary>
    public void Restore(double[][] snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        for (var p = 0; p < snapshot.Length; p++)
        {
            snapshot[p].CopyTo(Stored[p], 0);
        }
    }

    /// <summary>A fixed random probe (from a constant seed) that storage checks and repairs project blocks on.</summary>
    protected double[] Probe(int length)
    {
        if (_probe is null || _probe.Length != length)
        {
            var probe = new double[length];
            new RandomSource(0x5245504149UL).FillGaussian(probe);
            _probe = probe;
        }

        return _probe;
    }

    private double[]? _probe;

    /// <summary>The Frobenius norm of the words that are finite and not erasures (a wrong block's NaN must not hide the scale).</summary>
    protected static double FiniteNorm(ReadOnlySpan<double> words)
    {
        double sum = 0;
        foreach (var v in words)
        {
            if (!DecodingTolerance.IsErasure(v))
            {
                sum += v * v;
            }
        }

        return Math.Sqrt(sum);
    }

    /// <summary>Zero-pads (or truncates) each of <paramref name="columns"/> vectors from length <paramref name="from"/> to <paramref name="to"/>.</summary>
    protected static double[] Pad(ReadOnlySpan<double> values, int from, int to, int columns)
    {
        var result = new double[to * columns];
        for (var s = 0; s < columns; s++)
        {
            values.Slice(s * from, Math.Min(from, to)).CopyTo(result.AsSpan(s * to));
        }

        return result;
    }

    /// <summary>W zero-padded to <paramref name="rows"/> x <paramref name="cols"/>.</summary>
    protected static Matrix<double> PadMatrix(Matrix<double> weights, int rows, int cols) =>
        weights.RowCount == rows && weights.ColumnCount == cols
            ? weights
            : Matrix<double>.Build.Dense(rows, cols, (i, j) => i < weights.RowCount && j < weights.ColumnCount ? weights[i, j] : 0);

    /// <summary>Adds an adversarial error word (symbols x length, over T) into the received rows of a linear pass whose rows are its symbols.</summary>
    protected static void AddErrors<T>(Span<double> received, T[] errors)
        where T : struct
    {
        var words = System.Runtime.InteropServices.MemoryMarshal.Cast<T, double>(errors);
        for (var i = 0; i < words.Length; i++)
        {
            received[i] += words[i];
        }
    }

    /// <summary>Decodes a linear code whose symbols are the received rows themselves (reinterpreted over T).</summary>
    protected static LinearDecodeResult<T> DecodeLinear<T>(LinearCode<T> code, ReadOnlySpan<double> received, DecoderKind decoder, in DecodeOptions options, RandomSource random)
        where T : struct, IEquatable<T>, IFormattable
    {
        var word = System.Runtime.InteropServices.MemoryMarshal.Cast<double, T>(received);
        return LinearDecoding.Decode(decoder, code, word, word.Length / code.Length, options, random);
    }

    /// <summary>Root mean square of words (FaultInjector's definition).</summary>
    protected static double Rms(ReadOnlySpan<double> words) => FaultInjector.RootMeanSquare(words);

    /// <summary>Applies <see cref="Field"/>-independent helpers to real spans.</summary>
    protected static void Axpy(Span<double> y, ReadOnlySpan<double> x, double w) => DenseKernels.AddScaled(y, x, w);
}
