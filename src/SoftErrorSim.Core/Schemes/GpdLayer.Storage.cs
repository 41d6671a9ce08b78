using SoftErrorSim.Core.Coding;
using SoftErrorSim.Core.Decoding;
using SoftErrorSim.Core.Kernels;
using SoftErrorSim.Core.Randomness;

namespace SoftErrorSim.Core.Schemes;

/// <summary>GPD's stored blocks as a (P, mn) code: verification, verified repair, reconstruction (see <see cref="GpdLayer{T}"/>).</summary>
public sealed partial class GpdLayer<T>
{
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

    private DecodeOptions StorageOptions => new(DecodingTolerance.Rounding(BlockCols + (RowSplit * ColumnSplit), NodeCount), Strict: true);

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
        var repaired = RepairBuffer(_stored[target].Length);
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
    protected override IEnumerable<WeightBlock> WeightBlocks(IReadOnlyCollection<int> bad)
    {
        // W^c_ij = sum_p pinv[n i + j, p] W~_p over the good nodes (the storage code has dimension mn).
        ArgumentNullException.ThrowIfNull(bad);
        var good = _nodes.Where(p => !bad.Contains(p)).ToArray();
        var inverse = _code.StorageCode.System(good).PseudoInverse;
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

                // The real part holds rows i R.., the imaginary part (complex codes) rows Half + i R.. of W.
                var (row, column) = (i * BlockRows, j * BlockCols);
                var cols = Clip(column, BlockCols, Cols);
                yield return new WeightBlock(row, column, Clip(row, BlockRows, Rows), cols, block, 0, BlockRows);
                if (IsComplexCode)
                {
                    yield return new WeightBlock(Half + row, column, Clip(Half + row, BlockRows, Rows), cols, block, size, BlockRows);
                }
            }
        }
    }
}
