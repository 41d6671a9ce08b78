using MathNet.Numerics.LinearAlgebra;
using SoftErrorSim.Core.Coding;
using SoftErrorSim.Core.Decoding;
using SoftErrorSim.Core.Randomness;

namespace SoftErrorSim.Core.Passes;

/// <summary>
/// Replication and uncoded passes (SPEC 2). Block b = (i, j) of W lives on r copies, nodes
/// b, b + mn, ..., b + (r-1) mn, with r = floor(P/(mn)) for replication and r = 1 for uncoded.
/// Each block's copies are decoded by comparison, then the blocks are summed into the result.
/// Nodes beyond r mn hold nothing and idle.
/// </summary>
public sealed class ReplicationPass : CodedPass
{
    private readonly int _copies;
    private readonly int[] _nodes;

    internal ReplicationPass(CodeConfiguration configuration, PassKind pass, Matrix<double> weights, RandomSource random)
        : base(configuration, pass, configuration.BlockCount, Outputs(configuration, pass, weights, random, out var truth), truth)
    {
        _copies = Copies(configuration);
        _nodes = Enumerable.Range(0, _copies * configuration.BlockCount).ToArray();
    }

    /// <summary>r, the copies of each block.</summary>
    public int CopyCount => _copies;

    /// <inheritdoc />
    public override IReadOnlyList<int> ActiveNodes => _nodes;

    /// <summary>r = floor(P/(mn)) for replication, 1 for uncoded.</summary>
    public static int Copies(CodeConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration.Scheme == SchemeKind.Uncoded ? 1 : configuration.NodeCount / configuration.BlockCount;
    }

    /// <inheritdoc />
    public override PassDecodeResult Decode(Matrix<double> received, DecoderKind decoder, RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(received);
        var m = Configuration.RowSplit;
        var n = Configuration.ColumnSplit;
        var blocks = Configuration.BlockCount;
        var length = received.ColumnCount;
        var lines = Pass == PassKind.Forward ? m : n;
        var result = new double[lines * length];
        var blamed = new List<int>();
        var detected = false;
        for (var b = 0; b < blocks; b++)
        {
            var copies = Enumerable.Range(0, _copies).Select(c => b + (c * blocks)).ToArray();
            var vote = ReplicationDecoder.Vote(received, copies, decoder);
            blamed.AddRange(vote.BlamedCopies);
            if (vote.Status == DecodeStatus.Detected)
            {
                detected = true;
                continue;
            }

            var line = Pass == PassKind.Forward ? b / n : b % n;
            for (var k = 0; k < length; k++)
            {
                result[(line * length) + k] += received[vote.ChosenCopy, k];
            }
        }

        blamed.Sort();
        return detected
            ? new PassDecodeResult(DecodeStatus.Detected, null, blamed, 1, "the copies of a block do not agree")
            : new PassDecodeResult(DecodeStatus.Decoded, result, blamed, 1, null);
    }

    /// <inheritdoc />
    public override void InjectAdversarial(Matrix<double> received, IReadOnlyList<int> rows, double magnitude, RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(received);
        ArgumentNullException.ThrowIfNull(rows);
        // The attacker's best move against comparison is to make all its copies of one block agree
        // on the same wrong value.
        foreach (var group in rows.GroupBy(r => r % Configuration.BlockCount))
        {
            var error = new double[received.ColumnCount];
            random.FillGaussian(error);
            foreach (var row in group)
            {
                for (var j = 0; j < error.Length; j++)
                {
                    received[row, j] += magnitude * OutputRms * error[j];
                }
            }
        }
    }

    private static Matrix<double> Outputs(CodeConfiguration configuration, PassKind pass, Matrix<double> weights, RandomSource random, out double[] truth)
    {
        if (pass == PassKind.MatMat)
        {
            throw new InvalidConfigurationException("the matmat pass is defined for gpd only");
        }

        var m = configuration.RowSplit;
        var n = configuration.ColumnSplit;
        var blocks = configuration.BlockCount;
        var copies = Copies(configuration);
        var blockRows = weights.RowCount / m;
        var blockCols = weights.ColumnCount / n;
        var forward = pass == PassKind.Forward;
        var operand = GaussianVector(forward ? weights.ColumnCount : weights.RowCount, random);
        truth = (forward ? weights * operand : weights.TransposeThisAndMultiply(operand)).ToArray();
        var outputs = Matrix<double>.Build.Dense(copies * blocks, forward ? blockRows : blockCols);
        for (var b = 0; b < blocks; b++)
        {
            var (i, j) = (b / n, b % n);
            var block = weights.SubMatrix(i * blockRows, blockRows, j * blockCols, blockCols);
            var product = forward
                ? BlockProducts.Multiply(block, operand.SubVector(j * blockCols, blockCols))
                : BlockProducts.TransposeMultiply(block, operand.SubVector(i * blockRows, blockRows));
            for (var c = 0; c < copies; c++)
            {
                outputs.SetRow(b + (c * blocks), product);
            }
        }

        return outputs;
    }
}
