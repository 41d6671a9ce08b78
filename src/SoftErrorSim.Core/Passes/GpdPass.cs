using MathNet.Numerics.LinearAlgebra;
using SoftErrorSim.Core.Coding;
using SoftErrorSim.Core.Decoding;
using SoftErrorSim.Core.Faults;
using SoftErrorSim.Core.Randomness;

namespace SoftErrorSim.Core.Passes;

/// <summary>
/// A Generalized PolyDot pass: every node p multiplies its stored block by its locally encoded
/// input; the decoder recovers the product polynomial's coefficients and reads the wanted blocks at
/// their degrees (SPEC 2).
/// </summary>
public sealed class GpdPass : CodedPass
{
    private readonly GeneralizedPolyDotCode _code;
    private readonly RealLinearCode _linearCode;
    private readonly int[] _nodes;
    private readonly int _resultRows;
    private readonly int _resultCols;
    private readonly int _blockRows;
    private readonly int _blockCols;

    internal GpdPass(CodeConfiguration configuration, PassKind pass, PassShape shape, Matrix<double> weights, RandomSource random)
        : this(configuration, pass, shape, weights, random, GeneralizedPolyDotCode.From(configuration))
    {
    }

    private GpdPass(CodeConfiguration configuration, PassKind pass, PassShape shape, Matrix<double> weights, RandomSource random, GeneralizedPolyDotCode code)
        : base(configuration, pass, Threshold(code, pass), Outputs(code, pass, shape, weights, random, out var truth), truth)
    {
        _code = code;
        _linearCode = pass switch
        {
            PassKind.Forward => code.ForwardCode,
            PassKind.Backward => code.BackwardCode,
            _ => code.MatMatCode!,
        };
        _nodes = Enumerable.Range(0, code.NodeCount).ToArray();
        var m = configuration.RowSplit;
        var n = configuration.ColumnSplit;
        (_blockRows, _blockCols, _resultRows, _resultCols) = pass switch
        {
            PassKind.Forward => (shape.BlockRows, 1, m * shape.BlockRows, 1),
            PassKind.Backward => (shape.BlockCols, 1, n * shape.BlockCols, 1),
            _ => (shape.BlockRows, shape.BatchBlockCols, m * shape.BlockRows, configuration.BatchSplit!.Value * shape.BatchBlockCols),
        };
    }

    /// <summary>The code whose stored blocks the nodes hold.</summary>
    public GeneralizedPolyDotCode Code => _code;

    /// <inheritdoc />
    public override IReadOnlyList<int> ActiveNodes => _nodes;

    /// <inheritdoc />
    public override PassDecodeResult Decode(Matrix<double> received, DecoderKind decoder, RandomSource random)
    {
        var decoded = LinearDecoder(decoder).Decode(_linearCode, received, random);
        if (decoded.Status == DecodeStatus.Detected)
        {
            return new PassDecodeResult(DecodeStatus.Detected, null, decoded.BlamedSymbols, decoded.ConditionNumber, decoded.Reason);
        }

        return new PassDecodeResult(DecodeStatus.Decoded, Extract(decoded.Coefficients!), decoded.BlamedSymbols, decoded.ConditionNumber, decoded.Reason);
    }

    /// <inheritdoc />
    public override void InjectAdversarial(Matrix<double> received, IReadOnlyList<int> rows, double magnitude, RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(received);
        var errors = ErrorInjection.CodewordAttack(_linearCode, rows, received.ColumnCount, magnitude * OutputRms, random, WantedDegrees());
        received.Add(errors, received);
    }

    /// <summary>The degrees whose coefficients the pass reads; the others are garbage terms.</summary>
    public int[] WantedDegrees()
    {
        var m = Configuration.RowSplit;
        var n = Configuration.ColumnSplit;
        return Pass switch
        {
            PassKind.Forward => Enumerable.Range(0, m).Select(_code.ForwardDegree).ToArray(),
            PassKind.Backward => Enumerable.Range(0, n).Select(_code.BackwardDegree).ToArray(),
            _ => Enumerable.Range(0, m).SelectMany(i => Enumerable.Range(0, Configuration.BatchSplit!.Value).Select(l => _code.MatMatDegree(i, l))).ToArray(),
        };
    }

    /// <summary>Reads the wanted blocks out of the decoded coefficients (one coefficient per row).</summary>
    public double[] Extract(Matrix<double> coefficients)
    {
        ArgumentNullException.ThrowIfNull(coefficients);
        var result = new double[_resultRows * _resultCols];
        var m = Configuration.RowSplit;
        var n = Configuration.ColumnSplit;
        switch (Pass)
        {
            case PassKind.Forward:
                for (var i = 0; i < m; i++)
                {
                    for (var k = 0; k < _blockRows; k++)
                    {
                        result[(i * _blockRows) + k] = coefficients[_code.ForwardDegree(i), k];
                    }
                }

                break;
            case PassKind.Backward:
                for (var j = 0; j < n; j++)
                {
                    for (var k = 0; k < _blockRows; k++)
                    {
                        result[(j * _blockRows) + k] = coefficients[_code.BackwardDegree(j), k];
                    }
                }

                break;
            default:
                var d = Configuration.BatchSplit!.Value;
                for (var i = 0; i < m; i++)
                {
                    for (var l = 0; l < d; l++)
                    {
                        var degree = _code.MatMatDegree(i, l);
                        for (var r = 0; r < _blockRows; r++)
                        {
                            for (var c = 0; c < _blockCols; c++)
                            {
                                result[((i * _blockRows) + r) * _resultCols + (l * _blockCols) + c] = coefficients[degree, (r * _blockCols) + c];
                            }
                        }
                    }
                }

                break;
        }

        return result;
    }

    private static int Threshold(GeneralizedPolyDotCode code, PassKind pass) => pass switch
    {
        PassKind.Forward => code.ForwardCode.Dimension,
        PassKind.Backward => code.BackwardCode.Dimension,
        _ => code.MatMatCode!.Dimension,
    };

    private static Matrix<double> Outputs(GeneralizedPolyDotCode code, PassKind pass, PassShape shape, Matrix<double> weights, RandomSource random, out double[] truth)
    {
        var stored = code.EncodeWeights(weights);
        var p = code.NodeCount;
        switch (pass)
        {
            case PassKind.Forward:
                {
                    var input = GaussianVector(weights.ColumnCount, random);
                    truth = (weights * input).ToArray();
                    var outputs = Matrix<double>.Build.Dense(p, shape.BlockRows);
                    for (var node = 0; node < p; node++)
                    {
                        outputs.SetRow(node, BlockProducts.Multiply(stored[node], code.EncodeInput(input, node)));
                    }

                    return outputs;
                }

            case PassKind.Backward:
                {
                    var delta = GaussianVector(weights.RowCount, random);
                    truth = weights.TransposeThisAndMultiply(delta).ToArray();
                    var outputs = Matrix<double>.Build.Dense(p, shape.BlockCols);
                    for (var node = 0; node < p; node++)
                    {
                        outputs.SetRow(node, BlockProducts.TransposeMultiply(stored[node], code.EncodeDelta(delta, node)));
                    }

                    return outputs;
                }

            default:
                {
                    var right = Gaussian(weights.ColumnCount, code.BatchSplit!.Value * shape.BatchBlockCols, random);
                    truth = RowMajor(weights * right);
                    var outputs = Matrix<double>.Build.Dense(p, shape.BlockRows * shape.BatchBlockCols);
                    for (var node = 0; node < p; node++)
                    {
                        outputs.SetRow(node, RowMajor(stored[node] * code.EncodeRightFactor(right, node)));
                    }

                    return outputs;
                }
        }
    }
}
