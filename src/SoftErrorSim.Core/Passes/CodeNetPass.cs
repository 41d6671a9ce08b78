using MathNet.Numerics.LinearAlgebra;
using SoftErrorSim.Core.Coding;
using SoftErrorSim.Core.Decoding;
using SoftErrorSim.Core.Faults;
using SoftErrorSim.Core.Randomness;

namespace SoftErrorSim.Core.Passes;

/// <summary>
/// A CodeNet pass (SPEC 2). Forward: the nodes of the first n grid columns multiply their stored
/// block by their slice x_j; each grid row sums its partial products, giving one symbol of the
/// (Pr, m) row code. Backward: the nodes of the first m grid rows multiply by delta_i transposed;
/// each grid column sums, giving the (Pc, n) column code. A node error spoils its line's symbol.
/// </summary>
public sealed class CodeNetPass : CodedPass
{
    private readonly CodeNetMdsCode _code;
    private readonly int[] _nodes;
    private readonly int[] _lineOfRow;
    private readonly RealLinearCode _lineCode;

    internal CodeNetPass(CodeConfiguration configuration, PassKind pass, Matrix<double> weights, RandomSource random)
        : this(configuration, pass, weights, random, CodeNetMdsCode.From(configuration))
    {
    }

    private CodeNetPass(CodeConfiguration configuration, PassKind pass, Matrix<double> weights, RandomSource random, CodeNetMdsCode code)
        : base(configuration, pass, pass == PassKind.Forward ? code.RowSplit : code.ColumnSplit, Outputs(code, pass, weights, random, out var truth), truth)
    {
        _code = code;
        _nodes = pass == PassKind.Forward ? code.ForwardNodes() : code.BackwardNodes();
        _lineOfRow = _nodes.Select(p => pass == PassKind.Forward ? code.Positions[p].GridRow : code.Positions[p].GridColumn).ToArray();
        _lineCode = pass == PassKind.Forward ? code.RowCode : code.ColumnCode;
    }

    /// <inheritdoc />
    public override IReadOnlyList<int> ActiveNodes => _nodes;

    /// <summary>The code over grid lines decoded in this pass.</summary>
    public RealLinearCode LineCode => _lineCode;

    /// <inheritdoc />
    public override PassDecodeResult Decode(Matrix<double> received, DecoderKind decoder, RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(received);
        var symbols = Matrix<double>.Build.Dense(_lineCode.Length, received.ColumnCount);
        for (var row = 0; row < received.RowCount; row++)
        {
            for (var j = 0; j < received.ColumnCount; j++)
            {
                symbols[_lineOfRow[row], j] += received[row, j];
            }
        }

        var decoded = LinearDecoder(decoder).Decode(_lineCode, symbols, random);
        var blamedLines = new HashSet<int>(decoded.BlamedSymbols);
        var blamedNodes = Enumerable.Range(0, _nodes.Length).Where(r => blamedLines.Contains(_lineOfRow[r])).Select(r => _nodes[r]).ToList();
        if (decoded.Status == DecodeStatus.Detected)
        {
            return new PassDecodeResult(DecodeStatus.Detected, null, blamedNodes, decoded.ConditionNumber, decoded.Reason);
        }

        // Systematic code: the message coefficients are the wanted blocks themselves.
        return new PassDecodeResult(DecodeStatus.Decoded, RowMajor(decoded.Coefficients!), blamedNodes, decoded.ConditionNumber, decoded.Reason);
    }

    /// <inheritdoc />
    public override void InjectAdversarial(Matrix<double> received, IReadOnlyList<int> rows, double magnitude, RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(received);
        ArgumentNullException.ThrowIfNull(rows);
        // The attacker controls the struck nodes; it can spoil only the grid lines they sit on, and
        // splits each line's share of the codeword equally among its attackers there.
        var lines = rows.Select(r => _lineOfRow[r]).Distinct().ToList();
        var errors = ErrorInjection.CodewordAttack(_lineCode, lines, received.ColumnCount, magnitude * OutputRms, random);
        foreach (var group in rows.GroupBy(r => _lineOfRow[r]))
        {
            var share = 1.0 / group.Count();
            foreach (var row in group)
            {
                for (var j = 0; j < received.ColumnCount; j++)
                {
                    received[row, j] += share * errors[group.Key, j];
                }
            }
        }
    }

    private static Matrix<double> Outputs(CodeNetMdsCode code, PassKind pass, Matrix<double> weights, RandomSource random, out double[] truth)
    {
        if (pass == PassKind.MatMat)
        {
            throw new InvalidConfigurationException("the matmat pass is defined for gpd only");
        }

        var stored = code.EncodeWeights(weights);
        var blockRows = weights.RowCount / code.RowSplit;
        var blockCols = weights.ColumnCount / code.ColumnSplit;
        if (pass == PassKind.Forward)
        {
            var input = GaussianVector(weights.ColumnCount, random);
            truth = (weights * input).ToArray();
            var nodes = code.ForwardNodes();
            var outputs = Matrix<double>.Build.Dense(nodes.Length, blockRows);
            for (var r = 0; r < nodes.Length; r++)
            {
                var column = code.Positions[nodes[r]].GridColumn;
                outputs.SetRow(r, BlockProducts.Multiply(stored[nodes[r]], input.SubVector(column * blockCols, blockCols)));
            }

            return outputs;
        }
        else
        {
            var delta = GaussianVector(weights.RowCount, random);
            truth = weights.TransposeThisAndMultiply(delta).ToArray();
            var nodes = code.BackwardNodes();
            var outputs = Matrix<double>.Build.Dense(nodes.Length, blockCols);
            for (var r = 0; r < nodes.Length; r++)
            {
                var row = code.Positions[nodes[r]].GridRow;
                outputs.SetRow(r, BlockProducts.TransposeMultiply(stored[nodes[r]], delta.SubVector(row * blockRows, blockRows)));
            }

            return outputs;
        }
    }
}
