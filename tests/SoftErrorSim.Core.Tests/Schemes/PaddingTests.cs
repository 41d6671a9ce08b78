using MathNet.Numerics.LinearAlgebra;
using SoftErrorSim.Core.Coding;
using SoftErrorSim.Core.Decoding;
using SoftErrorSim.Core.Randomness;
using SoftErrorSim.Core.Schemes;

namespace SoftErrorSim.Core.Tests.Schemes;

/// <summary>
/// Splits that leave whole blocks in the padding: W 5 x 5 cut 4 ways pads to 8 x 8, blocks of 2, so
/// the fourth block row and column hold no word of W (a replication run at 784-32-32-10 crashed on
/// such a block). Every scheme's clean forward and backward decode is the plain product (MathNet).
/// </summary>
public class PaddingTests
{
    public static TheoryData<string> Schemes() => ["replication", "mds", "uncoded", "gpd"];

    [Theory]
    [MemberData(nameof(Schemes))]
    public void Clean_decodes_of_a_split_with_blocks_wholly_in_the_padding_are_the_plain_products(string scheme)
    {
        var configuration = scheme switch
        {
            "replication" => new CodeConfiguration { Scheme = SchemeKind.Replication, NodeCount = 32, RowSplit = 4, ColumnSplit = 4 },
            "mds" => new CodeConfiguration { Scheme = SchemeKind.Mds, RowSplit = 4, ColumnSplit = 4, RowNodes = 5, ColumnNodes = 5, NodeCount = CodeConfiguration.CodeNetNodeCount(5, 4, 5, 4) },
            "uncoded" => new CodeConfiguration { Scheme = SchemeKind.Uncoded, NodeCount = 16, RowSplit = 4, ColumnSplit = 4 },
            _ => new CodeConfiguration { Scheme = SchemeKind.Gpd, NodeCount = 40, RowSplit = 4, ColumnSplit = 4, Points = EvaluationPointKind.UnitCircle },
        };
        var random = new RandomSource(3);
        var weights = Matrix<double>.Build.Dense(5, 5, (_, _) => random.NextGaussian());
        var layer = Scheme.Of(configuration.Scheme).CreateLayer(configuration, weights);
        foreach (var pass in new[] { PassKind.Forward, PassKind.Backward })
        {
            var operand = new double[5];
            random.FillGaussian(operand);
            var nodes = layer.Nodes(pass);
            var words = layer.OutputWords(pass, 1);
            var received = new double[nodes.Count * words];
            for (var i = 0; i < nodes.Count; i++)
            {
                var encoded = new double[layer.EncodedWords(pass, 1)];
                layer.Encode(pass, nodes[i], operand, 1, encoded);
                layer.Product(pass, nodes[i], encoded, 1, received.AsSpan(i * words, words));
            }

            var decoded = layer.Decode(pass, received, 1, DecoderKind.ProbabilityOne, new RandomSource(1));
            var vector = Vector<double>.Build.Dense(operand);
            var truth = (pass == PassKind.Backward ? weights.TransposeThisAndMultiply(vector) : weights * vector).ToArray();
            Assert.Equal(DecodeStatus.Decoded, decoded.Status);

            // Unit data and at most 5 terms: the decode's rounding (an interpolation for coded schemes) stays below 1e-12.
            Assert.True(DecodingTolerance.RelativeError(decoded.Result!, truth) < 1e-12, $"{scheme} {pass}");
        }
    }
}
