using MathNet.Numerics.LinearAlgebra;
using SoftErrorSim.Core.Coding;
using SoftErrorSim.Core.Decoding;
using SoftErrorSim.Core.Randomness;

namespace SoftErrorSim.Core.Training;

/// <summary>What a node-side decode of one layer's all-gathered outputs gave.</summary>
/// <param name="Status">Decoded, or detected (the run must roll back).</param>
/// <param name="Result">The decoded product (padded length), when decoded.</param>
/// <param name="Blamed">Nodes whose outputs the decoder found wrong.</param>
/// <param name="Reason">Why the decode was flagged, when it was.</param>
internal sealed record LayerDecode(DecodeStatus Status, double[]? Result, IReadOnlyList<int> Blamed, string? Reason);

/// <summary>
/// One weight matrix W (rows x cols, zero-padded to multiples of m and n) spread over nodes by a
/// scheme: every node's stored block, how a node encodes its inputs and multiplies, how the
/// all-gathered outputs decode, the coded update, repair and the storage check (SPEC 2, 5).
/// </summary>
internal abstract class LayerCode
{
    protected LayerCode(int rows, int cols, int rowSplit, int columnSplit)
    {
        Rows = rows;
        Cols = cols;
        RowSplit = rowSplit;
        ColumnSplit = columnSplit;
        PaddedRows = (rows + rowSplit - 1) / rowSplit * rowSplit;
        PaddedCols = (cols + columnSplit - 1) / columnSplit * columnSplit;
        BlockRows = PaddedRows / rowSplit;
        BlockCols = PaddedCols / columnSplit;
    }

    public int Rows { get; }

    public int Cols { get; }

    public int RowSplit { get; }

    public int ColumnSplit { get; }

    public int PaddedRows { get; }

    public int PaddedCols { get; }

    /// <summary>R: rows of a stored block, length of a forward output.</summary>
    public int BlockRows { get; }

    /// <summary>C: columns of a stored block, length of a backward output.</summary>
    public int BlockCols { get; }

    /// <summary>Every node's stored block, indexed by node.</summary>
    public abstract Matrix<double>[] Stored { get; }

    /// <summary>The nodes whose outputs make up a forward decode, in row order of the received word.</summary>
    public abstract IReadOnlyList<int> ForwardNodes { get; }

    /// <summary>The nodes whose outputs make up a backward decode.</summary>
    public abstract IReadOnlyList<int> BackwardNodes { get; }

    /// <summary>Recovery threshold of the forward decode.</summary>
    public abstract int ForwardThreshold { get; }

    /// <summary>Recovery threshold of the backward decode.</summary>
    public abstract int BackwardThreshold { get; }

    /// <summary>Node's local encoding of a forward input (padded length in), length C.</summary>
    public abstract double[] EncodeForward(int node, double[] input);

    /// <summary>Node's local encoding of a backward input (padded length out), length R.</summary>
    public abstract double[] EncodeBackward(int node, double[] delta);

    /// <summary>Arithmetic of one local encoding (forward, backward).</summary>
    public abstract (double Forward, double Backward) EncodeFlops { get; }

    /// <summary>Decodes the forward outputs (rows in <see cref="ForwardNodes"/> order) to W x.</summary>
    public abstract LayerDecode DecodeForward(Matrix<double> received, RandomSource random);

    /// <summary>Decodes the backward outputs to W^T delta.</summary>
    public abstract LayerDecode DecodeBackward(Matrix<double> received, RandomSource random);

    /// <summary>Arithmetic of one node's decode (forward, backward).</summary>
    public abstract (double Forward, double Backward) DecodeFlops { get; }

    /// <summary>The two factors of node's rank-one coded update, from its local delta and input.</summary>
    public abstract (double[] Left, double[] Right) UpdateFactors(int node, double[] delta, double[] input);

    /// <summary>Regenerates node's stored block from nodes not in <paramref name="bad"/>; false when too few remain.</summary>
    public abstract bool Repair(int node, IReadOnlyCollection<int> bad);

    /// <summary>
    /// Repairs every blamed node, trusting only sources it has verified: a block can go wrong
    /// silently (its error masked in every product so far, for example by zero inputs after a ReLU),
    /// and a repair that copied such an error into the rebuilt block would be blamed again at the
    /// next decode, over and over. The sources' projections on a fixed random probe must form a
    /// codeword; any source they locate as wrong is repaired too. Returns every node repaired,
    /// or null when the blamed nodes cannot be rebuilt from verified sources (the caller rolls back).
    /// </summary>
    public abstract IReadOnlyList<int>? RepairAll(IReadOnlyCollection<int> blamed);

    /// <summary>The Frobenius norm of the entries of a word that are finite and not erasures (a wrong block's NaN must not hide the scale).</summary>
    protected static double FiniteNorm(Matrix<double> word)
    {
        double sum = 0;
        foreach (var v in word.AsColumnMajorArray() ?? word.ToColumnMajorArray())
        {
            if (!DecodingTolerance.IsErasure(v))
            {
                sum += v * v;
            }
        }

        return Math.Sqrt(sum);
    }

    /// <summary>A fixed random probe of length C (from the code's seed) that repairs project source blocks on.</summary>
    protected double[] Probe => _probe ??= CreateProbe();

    private double[]? _probe;

    private double[] CreateProbe()
    {
        var probe = new double[BlockCols];
        new RandomSource(0x5245504149UL).FillGaussian(probe);
        return probe;
    }

    /// <summary>Each listed node's stored block times <see cref="Probe"/>, as row symbolOf(node) of a word of <paramref name="symbols"/> rows; other rows NaN (erased).</summary>
    protected Matrix<double> ProbeWord(IEnumerable<int> nodes, int symbols, Func<int, int> symbolOf)
    {
        var word = Matrix<double>.Build.Dense(symbols, BlockRows, double.NaN);
        var projection = new double[BlockRows];
        foreach (var p in nodes)
        {
            BlockProducts.Multiply(Stored[p], Probe, projection);
            word.SetRow(symbolOf(p), projection);
        }

        return word;
    }

    /// <summary>Arithmetic of one repair.</summary>
    public abstract double RepairFlops { get; }

    /// <summary>
    /// Checks that the stored blocks still form a codeword, through one shared random projection
    /// of every block (a corrupted block moves its projection with probability one): the blamed nodes, or detected.
    /// </summary>
    public abstract LayerDecode VerifyStorage(RandomSource random);

    /// <summary>The padded W the good nodes hold (<paramref name="bad"/> excluded).</summary>
    public abstract Matrix<double> Reconstruct(IReadOnlyCollection<int> bad);

    /// <summary>Whether decodes are checked against a plain shadow copy of W (else against the honest outputs).</summary>
    public virtual bool NeedsShadow => true;

    /// <summary>
    /// The exact product recovered from the rows the simulator knows are honest, or null when they
    /// are too few to determine it: the oracle for codes whose honest outputs pin the result down.
    /// </summary>
    public virtual double[]? HonestTruth(Matrix<double> received, IReadOnlyList<int> honestRows, bool forward) => null;

    /// <summary>Samples per step, B: every vector of a step holds B samples one after another.</summary>
    public int Batch { get; protected init; } = 1;

    /// <summary>Columns of a node's forward output: B, or B/d for the matrix-matrix code.</summary>
    public virtual int ForwardColumns => Batch;

    /// <summary>Node's forward product, one column (of length C in, R out) after another.</summary>
    public void ForwardProduct(int node, double[] encoded, Span<double> output)
    {
        for (var s = 0; s < encoded.Length / BlockCols; s++)
        {
            BlockProducts.Multiply(Stored[node], encoded.AsSpan(s * BlockCols, BlockCols), output.Slice(s * BlockRows, BlockRows));
        }
    }

    /// <summary>Node's backward product, one column (of length R in, C out) after another.</summary>
    public void BackwardProduct(int node, double[] encoded, Span<double> output)
    {
        for (var s = 0; s < encoded.Length / BlockRows; s++)
        {
            BlockProducts.TransposeMultiply(Stored[node], encoded.AsSpan(s * BlockRows, BlockRows), output.Slice(s * BlockCols, BlockCols));
        }
    }

    /// <summary>Applies the factors of <see cref="UpdateFactors"/> (one rank-one term per sample) to node's stored block.</summary>
    public void ApplyUpdate(int node, double[] left, double[] right, double learningRate)
    {
        for (var s = 0; s < left.Length / BlockRows; s++)
        {
            BlockProducts.RankOneUpdate(Stored[node], left.AsSpan(s * BlockRows, BlockRows), right.AsSpan(s * BlockCols, BlockCols), -learningRate);
        }
    }

    /// <summary>Applies <paramref name="local"/> to each sample's piece of a batched vector.</summary>
    protected static double[] PerSample(double[] values, int inLength, int outLength, SpanAction local)
    {
        var result = new double[outLength * (values.Length / inLength)];
        for (var s = 0; s < values.Length / inLength; s++)
        {
            local(values.AsSpan(s * inLength, inLength), result.AsSpan(s * outLength, outLength));
        }

        return result;
    }

    /// <summary>A node-local function of one sample's piece.</summary>
    protected delegate void SpanAction(ReadOnlySpan<double> input, Span<double> output);

    /// <summary>Deep copy of every stored block (a checkpoint).</summary>
    public Matrix<double>[] Snapshot() => Stored.Select(b => b.Clone()).ToArray();

    /// <summary>Restores every stored block from a checkpoint.</summary>
    public void Restore(Matrix<double>[] snapshot)
    {
        for (var p = 0; p < snapshot.Length; p++)
        {
            snapshot[p].CopyTo(Stored[p]);
        }
    }

    /// <summary>Pads W to PaddedRows x PaddedCols with zeros.</summary>
    protected Matrix<double> Pad(Matrix<double> weights) =>
        weights.RowCount == PaddedRows && weights.ColumnCount == PaddedCols
            ? weights
            : Matrix<double>.Build.Dense(PaddedRows, PaddedCols, (i, j) => i < weights.RowCount && j < weights.ColumnCount ? weights[i, j] : 0);

    /// <summary>Every stored block times one shared random vector: the rows of a storage codeword.</summary>
    protected Matrix<double> Projections(IReadOnlyList<int> nodes, RandomSource random)
    {
        var probe = new double[BlockCols];
        random.FillGaussian(probe);
        var word = Matrix<double>.Build.Dense(nodes.Count, BlockRows);
        var row = new double[BlockRows];
        for (var i = 0; i < nodes.Count; i++)
        {
            BlockProducts.Multiply(Stored[nodes[i]], probe, row);
            word.SetRow(i, row);
        }

        return word;
    }

    /// <summary>Builds the layer code of a scheme for W.</summary>
    public static LayerCode Create(TrainingSettings settings, Matrix<double> weights) => settings.Scheme switch
    {
        TrainingScheme.Gpd => new GpdLayerCode(settings.Code, weights) { Batch = settings.Batch },
        TrainingScheme.Mds => new CodeNetLayerCode(settings.Code, weights) { Batch = settings.Batch },
        TrainingScheme.Replication => new ReplicatedLayerCode(weights, settings.RowSplit, settings.ColumnSplit, settings.NodeCount / (settings.RowSplit * settings.ColumnSplit)) { Batch = settings.Batch },
        _ => new ReplicatedLayerCode(weights, settings.RowSplit, settings.ColumnSplit, 1) { Batch = settings.Batch },
    };
}

/// <summary>GPD storage of one layer: node p holds W~_p = sum_ij W_ij a_p^(ni+j) (SPEC 2).</summary>
internal sealed class GpdLayerCode : LayerCode
{
    private readonly GeneralizedPolyDotCode _code;
    private readonly Matrix<double>[] _stored;
    private readonly int[] _nodes;

    public GpdLayerCode(CodeConfiguration configuration, Matrix<double> weights)
        : base(weights.RowCount, weights.ColumnCount, configuration.RowSplit, configuration.ColumnSplit)
    {
        _code = GeneralizedPolyDotCode.From(configuration);
        _stored = _code.EncodeWeights(Pad(weights));
        _nodes = Enumerable.Range(0, _code.NodeCount).ToArray();
    }

    public override Matrix<double>[] Stored => _stored;

    public override IReadOnlyList<int> ForwardNodes => _nodes;

    public override IReadOnlyList<int> BackwardNodes => _nodes;

    /// <summary>The matrix-matrix code's batch split d when batches are coded as matrices (B &gt; 1), else null.</summary>
    private int? BatchSplit => Batch > 1 ? _code.BatchSplit : null;

    private RealLinearCode ForwardLinearCode => BatchSplit is null ? _code.ForwardCode : _code.MatMatCode!;

    public override int ForwardColumns => Batch / (BatchSplit ?? 1);

    public override int ForwardThreshold => ForwardLinearCode.Dimension;

    public override int BackwardThreshold => _code.BackwardCode.Dimension;

    public override (double Forward, double Backward) EncodeFlops => (2.0 * PaddedCols, 2.0 * PaddedRows);

    public override (double Forward, double Backward) DecodeFlops =>
        (2.0 * _nodes.Length * _nodes.Length * BlockRows, 2.0 * _nodes.Length * _nodes.Length * BlockCols);

    public override double RepairFlops => 2.0 * _nodes.Length * BlockRows * BlockCols;

    public override double[] EncodeForward(int node, double[] input)
    {
        if (BatchSplit is { } d)
        {
            // B~_p = sum_kl B_kl a_p^(n - 1 - k + mn l) (GeneralizedPolyDotCode.EncodeRightFactor):
            // block (k, l) is rows k of the samples of batch group l.
            var group = Batch / d;
            var right = new double[BlockCols * group];
            for (var l = 0; l < d; l++)
            {
                for (var s = 0; s < group; s++)
                {
                    var sample = input.AsSpan(((l * group) + s) * PaddedCols, PaddedCols);
                    for (var k = 0; k < ColumnSplit; k++)
                    {
                        DenseKernels.AddScaled(right.AsSpan(s * BlockCols, BlockCols), sample.Slice(k * BlockCols, BlockCols), _code.Power(node, ColumnSplit - 1 - k + (RowSplit * ColumnSplit * l)));
                    }
                }
            }

            return right;
        }

        // x~_p = sum_l x_l a_p^(n - 1 - l) (GeneralizedPolyDotCode.EncodeInput), per sample.
        return PerSample(input, PaddedCols, BlockCols, (x, encoded) =>
        {
            for (var l = 0; l < ColumnSplit; l++)
            {
                DenseKernels.AddScaled(encoded, x.Slice(l * BlockCols, BlockCols), _code.Power(node, ColumnSplit - 1 - l));
            }
        });
    }

    public override double[] EncodeBackward(int node, double[] delta) =>
        // delta~_p = sum_k delta_k a_p^(n(m - 1 - k)) (GeneralizedPolyDotCode.EncodeDelta), per sample.
        PerSample(delta, PaddedRows, BlockRows, (x, encoded) =>
        {
            for (var k = 0; k < RowSplit; k++)
            {
                DenseKernels.AddScaled(encoded, x.Slice(k * BlockRows, BlockRows), _code.Power(node, ColumnSplit * (RowSplit - 1 - k)));
            }
        });

    public override bool NeedsShadow => false;

    public override double[]? HonestTruth(Matrix<double> received, IReadOnlyList<int> honestRows, bool forward)
    {
        // Honest outputs are exact evaluations of the product polynomial: interpolating any K of
        // them (here all, by least squares) gives its coefficients to rounding.
        var code = forward ? ForwardLinearCode : _code.BackwardCode;
        if (honestRows.Count < code.Dimension)
        {
            return null;
        }

        // The row-major kernel skips the zero weights of dishonest rows, so a NaN there stays out.
        var coefficients = code.System(honestRows).Interpolate(DenseKernels.RowMajor(received), received.ColumnCount);
        return forward ? ExtractForward(coefficients) : ExtractBackward(coefficients);
    }

    public override LayerDecode DecodeForward(Matrix<double> received, RandomSource random) =>
        Decode(ForwardLinearCode, received, random, ExtractForward);

    public override LayerDecode DecodeBackward(Matrix<double> received, RandomSource random) =>
        Decode(_code.BackwardCode, received, random, ExtractBackward);

    /// <summary>W x for every sample, from the product polynomial's coefficients (one per row, columns sample-major).</summary>
    private double[] ExtractForward(Matrix<double> coefficients)
    {
        var result = new double[PaddedRows * Batch];
        var (groups, group) = BatchSplit is { } d ? (d, Batch / d) : (1, Batch);
        for (var l = 0; l < groups; l++)
        {
            for (var s = 0; s < group; s++)
            {
                for (var i = 0; i < RowSplit; i++)
                {
                    var degree = BatchSplit is null ? _code.ForwardDegree(i) : _code.MatMatDegree(i, l);
                    var offset = (((l * group) + s) * PaddedRows) + (i * BlockRows);
                    for (var k = 0; k < BlockRows; k++)
                    {
                        result[offset + k] = coefficients[degree, (s * BlockRows) + k];
                    }
                }
            }
        }

        return result;
    }

    /// <summary>W^T delta for every sample.</summary>
    private double[] ExtractBackward(Matrix<double> coefficients)
    {
        var result = new double[PaddedCols * Batch];
        for (var s = 0; s < Batch; s++)
        {
            for (var j = 0; j < ColumnSplit; j++)
            {
                var degree = _code.BackwardDegree(j);
                for (var k = 0; k < BlockCols; k++)
                {
                    result[(s * PaddedCols) + (j * BlockCols) + k] = coefficients[degree, (s * BlockCols) + k];
                }
            }
        }

        return result;
    }

    public override (double[] Left, double[] Right) UpdateFactors(int node, double[] delta, double[] input)
    {
        // W~_p -= eta (sum_i delta_i a_p^(ni)) (sum_j x_j a_p^j)^T per sample (GeneralizedPolyDotCode.ApplyUpdate).
        var left = PerSample(delta, PaddedRows, BlockRows, (x, encoded) =>
        {
            for (var i = 0; i < RowSplit; i++)
            {
                DenseKernels.AddScaled(encoded, x.Slice(i * BlockRows, BlockRows), _code.Power(node, ColumnSplit * i));
            }
        });
        var right = PerSample(input, PaddedCols, BlockCols, (x, encoded) =>
        {
            for (var j = 0; j < ColumnSplit; j++)
            {
                DenseKernels.AddScaled(encoded, x.Slice(j * BlockCols, BlockCols), _code.Power(node, j));
            }
        });
        return (left, right);
    }

    public override bool Repair(int node, IReadOnlyCollection<int> bad)
    {
        var good = _nodes.Where(p => p != node && !bad.Contains(p)).ToArray();
        var repaired = _code.Repair(_stored, node, good);
        if (repaired is null)
        {
            return false;
        }

        repaired.CopyTo(_stored[node]);
        return true;
    }

    public override IReadOnlyList<int>? RepairAll(IReadOnlyCollection<int> blamed)
    {
        // The stored blocks form a (P, mn) code: verify the others' projections with its
        // probability-one decoder (the blamed ones erased), which also locates silent wrong ones.
        var check = ProbabilityOneDecoder.Instance.Decode(_code.StorageCode, ProbeWord(_nodes.Where(p => !blamed.Contains(p)), _nodes.Length, p => p), new RandomSource(1));
        if (check.Status == DecodeStatus.Detected)
        {
            return null;
        }

        var bad = check.BlamedSymbols.Union(blamed).Order().ToArray();
        var good = _nodes.Except(bad).ToArray();
        if (good.Length < _code.StorageCode.Dimension)
        {
            return null;
        }

        foreach (var node in bad)
        {
            _code.Repair(_stored, node, good)!.CopyTo(_stored[node]);
        }

        return bad;
    }

    public override LayerDecode VerifyStorage(RandomSource random)
    {
        var decoded = ProbabilityOneDecoder.Instance.Decode(_code.StorageCode, Projections(_nodes, random), random);
        return new LayerDecode(decoded.Status, null, decoded.BlamedSymbols, decoded.Reason);
    }

    public override Matrix<double> Reconstruct(IReadOnlyCollection<int> bad)
    {
        // W_ij = sum_p pinv[n i + j, p] W~_p over the good nodes (the storage code has dimension mn).
        var good = _nodes.Where(p => !bad.Contains(p)).ToArray();
        var inverse = _code.StorageCode.System(good).PseudoInverse;
        var weights = Matrix<double>.Build.Dense(PaddedRows, PaddedCols);
        var block = Matrix<double>.Build.Dense(BlockRows, BlockCols);
        var values = block.AsColumnMajorArray();
        for (var i = 0; i < RowSplit; i++)
        {
            for (var j = 0; j < ColumnSplit; j++)
            {
                Array.Clear(values);
                foreach (var p in good)
                {
                    DenseKernels.AddScaled(values, _stored[p].AsColumnMajorArray(), inverse[(ColumnSplit * i) + j, p]);
                }

                weights.SetSubMatrix(i * BlockRows, j * BlockCols, block);
            }
        }

        return weights;
    }

    private static LayerDecode Decode(RealLinearCode code, Matrix<double> received, RandomSource random, Func<Matrix<double>, double[]> extract)
    {
        var decoded = ProbabilityOneDecoder.Instance.Decode(code, received, random);
        return decoded.Status == DecodeStatus.Detected
            ? new LayerDecode(DecodeStatus.Detected, null, decoded.BlamedSymbols, decoded.Reason)
            : new LayerDecode(DecodeStatus.Decoded, extract(decoded.Coefficients!), decoded.BlamedSymbols, decoded.Reason);
    }
}

/// <summary>
/// Replicated storage (r copies of each of the mn blocks W_ij on r mn nodes; r = 1 is uncoded):
/// node c mn + (n i + j) holds copy c of W_ij. Copies are compared for exact equality (SPEC 2).
/// </summary>
internal sealed class ReplicatedLayerCode : LayerCode
{
    private readonly Matrix<double>[] _stored;
    private readonly int[] _nodes;
    private readonly int _copies;

    public ReplicatedLayerCode(Matrix<double> weights, int rowSplit, int columnSplit, int copies)
        : base(weights.RowCount, weights.ColumnCount, rowSplit, columnSplit)
    {
        _copies = copies;
        var padded = Pad(weights);
        var blocks = rowSplit * columnSplit;
        _nodes = Enumerable.Range(0, copies * blocks).ToArray();
        _stored = _nodes.Select(p => padded.SubMatrix((p % blocks) / columnSplit * BlockRows, BlockRows, p % blocks % columnSplit * BlockCols, BlockCols)).ToArray();
    }

    public override Matrix<double>[] Stored => _stored;

    public override IReadOnlyList<int> ForwardNodes => _nodes;

    public override IReadOnlyList<int> BackwardNodes => _nodes;

    public override int ForwardThreshold => RowSplit * ColumnSplit;

    public override int BackwardThreshold => RowSplit * ColumnSplit;

    public override (double Forward, double Backward) EncodeFlops => (0, 0);

    public override (double Forward, double Backward) DecodeFlops => (_nodes.Length * (double)BlockRows, _nodes.Length * (double)BlockCols);

    public override double RepairFlops => 0;

    private int Blocks => RowSplit * ColumnSplit;

    public override double[] EncodeForward(int node, double[] input) =>
        PerSample(input, PaddedCols, BlockCols, (x, slice) => x.Slice(node % Blocks % ColumnSplit * BlockCols, BlockCols).CopyTo(slice));

    public override double[] EncodeBackward(int node, double[] delta) =>
        PerSample(delta, PaddedRows, BlockRows, (x, slice) => x.Slice(node % Blocks / ColumnSplit * BlockRows, BlockRows).CopyTo(slice));

    public override LayerDecode DecodeForward(Matrix<double> received, RandomSource random) => Decode(received, PaddedRows, BlockRows, t => t / ColumnSplit);

    public override LayerDecode DecodeBackward(Matrix<double> received, RandomSource random) => Decode(received, PaddedCols, BlockCols, t => t % ColumnSplit);

    public override (double[] Left, double[] Right) UpdateFactors(int node, double[] delta, double[] input) =>
        (EncodeBackward(node, delta), EncodeForward(node, input));

    public override bool Repair(int node, IReadOnlyCollection<int> bad)
    {
        var source = Enumerable.Range(0, _copies).Select(c => (c * Blocks) + (node % Blocks)).FirstOrDefault(p => p != node && !bad.Contains(p), -1);
        if (source < 0)
        {
            return false;
        }

        _stored[source].CopyTo(_stored[node]);
        return true;
    }

    public override IReadOnlyList<int>? RepairAll(IReadOnlyCollection<int> blamed)
    {
        // A copy is a trusted source when its projection agrees exactly with another unblamed
        // copy's (two copies that went wrong alike have probability zero); copies that agree with
        // no other are repaired too.
        var repaired = new SortedSet<int>();
        foreach (var block in blamed.Select(p => p % Blocks).Distinct())
        {
            var copies = Copies(block);
            var word = ProbeWord(copies, _stored.Length, p => p);
            var candidates = copies.Where(p => !blamed.Contains(p)).ToArray();
            var source = candidates.FirstOrDefault(p => candidates.Any(q => q != p && Same(word, p, q)), -1);
            if (source < 0)
            {
                return null;
            }

            foreach (var p in copies.Where(p => blamed.Contains(p) || !Same(word, p, source)))
            {
                _stored[source].CopyTo(_stored[p]);
                repaired.Add(p);
            }
        }

        return [.. repaired];
    }

    private static bool Same(Matrix<double> word, int a, int b)
    {
        for (var k = 0; k < word.ColumnCount; k++)
        {
            if (!(word[a, k] == word[b, k]))
            {
                return false;
            }
        }

        return true;
    }

    public override LayerDecode VerifyStorage(RandomSource random)
    {
        var word = Projections(_nodes, random);
        var blamed = new List<int>();
        for (var t = 0; t < Blocks; t++)
        {
            var vote = ReplicationDecoder.Vote(word, Copies(t), DecoderKind.ProbabilityOne);
            if (vote.Status == DecodeStatus.Detected)
            {
                return new LayerDecode(DecodeStatus.Detected, null, vote.BlamedCopies, "replicas of a stored block disagree with no majority");
            }

            blamed.AddRange(vote.BlamedCopies);
        }

        return new LayerDecode(DecodeStatus.Decoded, null, blamed, null);
    }

    public override Matrix<double> Reconstruct(IReadOnlyCollection<int> bad)
    {
        var weights = Matrix<double>.Build.Dense(PaddedRows, PaddedCols);
        for (var t = 0; t < Blocks; t++)
        {
            var copies = Copies(t);
            var chosen = copies.FirstOrDefault(p => !bad.Contains(p), copies[0]);
            weights.SetSubMatrix(t / ColumnSplit * BlockRows, t % ColumnSplit * BlockCols, _stored[chosen]);
        }

        return weights;
    }

    private int[] Copies(int block) => Enumerable.Range(0, _copies).Select(c => (c * Blocks) + block).ToArray();

    private LayerDecode Decode(Matrix<double> received, int resultLength, int length, Func<int, int> target)
    {
        var result = new double[resultLength * Batch];
        var blamed = new List<int>();
        for (var t = 0; t < Blocks; t++)
        {
            var vote = ReplicationDecoder.Vote(received, Copies(t), DecoderKind.ProbabilityOne);
            if (vote.Status == DecodeStatus.Detected)
            {
                return new LayerDecode(DecodeStatus.Detected, null, vote.BlamedCopies, "replicas disagree with no majority");
            }

            blamed.AddRange(vote.BlamedCopies);
            for (var s = 0; s < Batch; s++)
            {
                var offset = (s * resultLength) + (target(t) * length);
                for (var k = 0; k < length; k++)
                {
                    result[offset + k] += received[vote.ChosenCopy, (s * length) + k];
                }
            }
        }

        return new LayerDecode(DecodeStatus.Decoded, result, blamed, null);
    }
}

/// <summary>
/// CodeNet's 2-D systematic MDS storage of one layer (SPEC 2): node (r, c) of the grid holds W_rc,
/// a row-parity block sum_i G_r[r, i] W_ic (r &gt;= m) or a column-parity block sum_j G_c[c, j] W_rj
/// (c &gt;= n). Forward decodes grid rows with the (Pr, m) row code, backward grid columns with the
/// (Pc, n) column code; a decode locates a grid line, and every node on it is blamed and repaired.
/// </summary>
internal sealed class CodeNetLayerCode : LayerCode
{
    private readonly CodeNetMdsCode _code;
    private readonly Matrix<double>[] _stored;
    private readonly int[] _forwardNodes;
    private readonly int[] _backwardNodes;

    public CodeNetLayerCode(CodeConfiguration configuration, Matrix<double> weights)
        : base(weights.RowCount, weights.ColumnCount, configuration.RowSplit, configuration.ColumnSplit)
    {
        _code = CodeNetMdsCode.From(configuration);
        _stored = _code.EncodeWeights(Pad(weights));
        _forwardNodes = _code.ForwardNodes();
        _backwardNodes = _code.BackwardNodes();
    }

    public override Matrix<double>[] Stored => _stored;

    public override IReadOnlyList<int> ForwardNodes => _forwardNodes;

    public override IReadOnlyList<int> BackwardNodes => _backwardNodes;

    public override int ForwardThreshold => _code.RowSplit;

    public override int BackwardThreshold => _code.ColumnSplit;

    public override (double Forward, double Backward) EncodeFlops => (0, 0);

    public override (double Forward, double Backward) DecodeFlops =>
        (2.0 * _code.RowNodes * _code.RowNodes * BlockRows, 2.0 * _code.ColumnNodes * _code.ColumnNodes * BlockCols);

    public override double RepairFlops => 2.0 * Math.Max(_code.RowNodes, _code.ColumnNodes) * BlockRows * BlockCols;

    private GridPosition At(int node) => _code.Positions[node];

    public override double[] EncodeForward(int node, double[] input) =>
        PerSample(input, PaddedCols, BlockCols, (x, slice) => x.Slice(At(node).GridColumn * BlockCols, BlockCols).CopyTo(slice));

    public override double[] EncodeBackward(int node, double[] delta) =>
        PerSample(delta, PaddedRows, BlockRows, (x, slice) => x.Slice(At(node).GridRow * BlockRows, BlockRows).CopyTo(slice));

    public override LayerDecode DecodeForward(Matrix<double> received, RandomSource random) =>
        DecodeLines(received, _forwardNodes, _code.RowCode, p => At(p).GridRow, BlockRows, Batch, random);

    public override LayerDecode DecodeBackward(Matrix<double> received, RandomSource random) =>
        DecodeLines(received, _backwardNodes, _code.ColumnCode, p => At(p).GridColumn, BlockCols, Batch, random);

    public override (double[] Left, double[] Right) UpdateFactors(int node, double[] delta, double[] input)
    {
        // The update of W_ij is delta_i x_j^T; a parity block's update is the same combination of them.
        var (r, c) = (At(node).GridRow, At(node).GridColumn);
        double[] Slice(double[] v, int index, int length) => v.AsSpan(index * length, length).ToArray();
        double[] Combine(double[] v, RealLinearCode code, int symbol, int parts, int length)
        {
            var result = new double[length];
            for (var t = 0; t < parts; t++)
            {
                DenseKernels.AddScaled(result, v.AsSpan(t * length, length), code.Generator[symbol, t]);
            }

            return result;
        }

        var samples = delta.Length / PaddedRows;
        var left = new double[BlockRows * samples];
        var right = new double[BlockCols * samples];
        for (var s = 0; s < samples; s++)
        {
            var d = delta.AsSpan(s * PaddedRows, PaddedRows).ToArray();
            var x = input.AsSpan(s * PaddedCols, PaddedCols).ToArray();
            (r < RowSplit ? Slice(d, r, BlockRows) : Combine(d, _code.RowCode, r, RowSplit, BlockRows)).CopyTo(left, s * BlockRows);
            (c < ColumnSplit ? Slice(x, c, BlockCols) : Combine(x, _code.ColumnCode, c, ColumnSplit, BlockCols)).CopyTo(right, s * BlockCols);
        }

        return (left, right);
    }

    public override bool Repair(int node, IReadOnlyCollection<int> bad) => Rebuild(node, bad, []);

    public override IReadOnlyList<int>? RepairAll(IReadOnlyCollection<int> blamed)
    {
        _layerScale = null;
        var bad = new HashSet<int>(blamed);
        var pending = new Queue<int>(blamed.Order());
        var repaired = new List<int>();
        while (pending.Count > 0)
        {
            var node = pending.Dequeue();
            var located = new List<int>();
            if (repaired.Count > 2 * _code.NodeCount || !Rebuild(node, bad, located))
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

    /// <summary>
    /// Rebuilds node's block along one of its grid lines. The blocks of grid column c (c &lt; n)
    /// form a row-code codeword over grid rows; those of grid row r (r &lt; m) form a column-code
    /// codeword over grid columns. A systematic block lies on both lines: its column is tried
    /// first, then its row. A backward decode blames a whole grid column (m systematic blocks),
    /// which leaves only Pr - m parity blocks there; CodeNet then rebuilds from the grid row, and
    /// so does this. Wrong sources the verification locates are added to <paramref name="located"/>.
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

    /// <summary>The norm of every node's probe projection, computed once per repair (see RebuildAlong).</summary>
    private double? _layerScale;

    private int[] Line(Func<int, bool> onLine) => Enumerable.Range(0, _code.NodeCount).Where(onLine).ToArray();

    private bool RebuildAlong(int node, IReadOnlyCollection<int> bad, int[] line, RealLinearCode code, int symbol, Func<int, int> symbolOf, List<int> located)
    {
        // Sources are verified before they are trusted (see RepairAll): at least K + 1 of them, whose
        // projections form a codeword once the ones the decoder locates as wrong are set aside.
        var candidates = line.Where(p => p != node && !bad.Contains(p)).ToArray();
        if (candidates.Length < code.Dimension + 1)
        {
            return false;
        }

        // The floor is the layer's scale: a line of zero padding carries the rounding of the
        // layer's O(1) blocks it was rebuilt from, not of its own zeros.
        _layerScale ??= FiniteNorm(ProbeWord(Enumerable.Range(0, _code.NodeCount), _code.NodeCount, p => p));
        var check = ProbabilityOneDecoder.Decode(code, ProbeWord(candidates, code.Length, symbolOf), _layerScale.Value);
        if (check.Status == DecodeStatus.Detected)
        {
            return false;
        }

        var wrong = check.BlamedSymbols.ToHashSet();
        var good = candidates.Where(p => !wrong.Contains(symbolOf(p))).OrderBy(symbolOf).ToArray();
        var system = code.System(good.Select(symbolOf).ToArray());
        var weights = system.PseudoInverse.TransposeThisAndMultiply(code.Generator.Row(symbol));
        var repaired = Matrix<double>.Build.Dense(BlockRows, BlockCols);
        foreach (var p in good)
        {
            repaired.Add(_stored[p].Multiply(weights[symbolOf(p)]), repaired);
        }

        repaired.CopyTo(_stored[node]);
        located.AddRange(candidates.Where(p => wrong.Contains(symbolOf(p))));
        return true;
    }

    public override LayerDecode VerifyStorage(RandomSource random)
    {
        var all = Enumerable.Range(0, _code.NodeCount).ToArray();
        var word = Projections(all, random);
        var reference = FiniteNorm(word);
        var blamed = new SortedSet<int>();
        for (var c = 0; c < ColumnSplit; c++)
        {
            var column = all.Where(p => At(p).GridColumn == c).OrderBy(p => At(p).GridRow).ToArray();
            var check = ProbabilityOneDecoder.Decode(_code.RowCode, SelectRows(word, column), reference);
            if (check.Status == DecodeStatus.Detected)
            {
                return new LayerDecode(DecodeStatus.Detected, null, [], check.Reason);
            }

            blamed.UnionWith(check.BlamedSymbols.Select(i => column[i]));
        }

        for (var r = 0; r < RowSplit; r++)
        {
            var row = all.Where(p => At(p).GridRow == r).OrderBy(p => At(p).GridColumn).ToArray();
            var check = ProbabilityOneDecoder.Decode(_code.ColumnCode, SelectRows(word, row), reference);
            if (check.Status == DecodeStatus.Detected)
            {
                return new LayerDecode(DecodeStatus.Detected, null, [], check.Reason);
            }

            blamed.UnionWith(check.BlamedSymbols.Select(i => row[i]));
        }

        return new LayerDecode(DecodeStatus.Decoded, null, [.. blamed], null);
    }

    public override Matrix<double> Reconstruct(IReadOnlyCollection<int> bad)
    {
        var weights = Matrix<double>.Build.Dense(PaddedRows, PaddedCols);
        for (var i = 0; i < RowSplit; i++)
        {
            for (var j = 0; j < ColumnSplit; j++)
            {
                var node = Enumerable.Range(0, _code.NodeCount).Single(p => At(p) == new GridPosition(i, j));
                var block = _stored[node];
                if (bad.Contains(node))
                {
                    // Rebuild a copy from its grid column without touching the stored block.
                    var saved = block.Clone();
                    block = Repair(node, bad) ? _stored[node].Clone() : saved;
                    saved.CopyTo(_stored[node]);
                }

                weights.SetSubMatrix(i * BlockRows, j * BlockCols, block);
            }
        }

        return weights;
    }

    private static Matrix<double> SelectRows(Matrix<double> word, int[] rows) =>
        Matrix<double>.Build.Dense(rows.Length, word.ColumnCount, (i, k) => word[rows[i], k]);

    private static LayerDecode DecodeLines(Matrix<double> received, int[] nodes, RealLinearCode code, Func<int, int> lineOf, int length, int batch, RandomSource random)
    {
        // Each grid line sums its nodes' partial products into one symbol of the line code.
        var symbols = Matrix<double>.Build.Dense(code.Length, length * batch);
        for (var i = 0; i < nodes.Length; i++)
        {
            var line = lineOf(nodes[i]);
            for (var k = 0; k < length * batch; k++)
            {
                symbols[line, k] += received[i, k];
            }
        }

        var decoded = ProbabilityOneDecoder.Instance.Decode(code, symbols, random);
        var blamedLines = decoded.BlamedSymbols.ToHashSet();
        var blamed = nodes.Where(p => blamedLines.Contains(lineOf(p))).ToList();
        if (decoded.Status == DecodeStatus.Detected)
        {
            return new LayerDecode(DecodeStatus.Detected, null, blamed, decoded.Reason);
        }

        var result = new double[code.Dimension * length * batch];
        for (var s = 0; s < batch; s++)
        {
            for (var t = 0; t < code.Dimension; t++)
            {
                for (var k = 0; k < length; k++)
                {
                    result[(s * code.Dimension * length) + (t * length) + k] = decoded.Coefficients![t, (s * length) + k];
                }
            }
        }

        return new LayerDecode(DecodeStatus.Decoded, result, blamed, decoded.Reason);
    }
}
