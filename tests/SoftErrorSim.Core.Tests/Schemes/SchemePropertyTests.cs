using CsCheck;
using MathNet.Numerics.LinearAlgebra;
using SoftErrorSim.Core.Coding;
using SoftErrorSim.Core.Decoding;
using SoftErrorSim.Core.Passes;
using SoftErrorSim.Core.Randomness;
using SoftErrorSim.Core.Schemes;

namespace SoftErrorSim.Core.Tests.Schemes;

/// <summary>
/// Properties every scheme owes, checked on random configurations with CsCheck (the failing case's
/// seed is printed and shrunk on failure): storing then reconstructing W is the identity, and any K
/// clean outputs of GPD give the plain product.
/// </summary>
public class SchemePropertyTests
{
    private static readonly Gen<EvaluationPointKind> Points = Gen.Bool.Select(circle => circle ? EvaluationPointKind.UnitCircle : EvaluationPointKind.Chebyshev);

    private static readonly Gen<CodeConfiguration> Configurations =
        Gen.Select(Gen.Int[1, 3], Gen.Int[1, 3], Gen.Int[0, 4], Points, Gen.Int[0, 3]).Select((m, n, extra, points, scheme) => scheme switch
        {
            0 => new CodeConfiguration { Scheme = SchemeKind.Gpd, NodeCount = PolyDotThresholds.Backward(m, n) + PolyDotThresholds.Forward(m, n) + extra, RowSplit = m, ColumnSplit = n, Points = points },
            1 => new CodeConfiguration { Scheme = SchemeKind.Mds, RowSplit = m, ColumnSplit = n, RowNodes = m + 1 + extra, ColumnNodes = n + 1, NodeCount = CodeConfiguration.CodeNetNodeCount(m + 1 + extra, m, n + 1, n) },
            2 => new CodeConfiguration { Scheme = SchemeKind.Replication, NodeCount = (m * n * 3) + extra, RowSplit = m, ColumnSplit = n },
            _ => new CodeConfiguration { Scheme = SchemeKind.Uncoded, NodeCount = (m * n) + extra, RowSplit = m, ColumnSplit = n },
        });

    [Fact]
    public void Storing_then_reconstructing_W_is_the_identity_for_every_scheme_and_shape() =>
        Gen.Select(Configurations, Gen.Int[1, 9], Gen.Int[1, 9], Gen.ULong).Sample((configuration, rows, cols, seed) =>
        {
            var random = new RandomSource(seed);
            var weights = Matrix<double>.Build.Dense(rows, cols, (_, _) => random.NextGaussian());
            var layer = Scheme.Of(configuration.Scheme).CreateLayer(configuration, weights);

            // Padding, pairing and encoding undone: rounding of an interpolation of at most mn = 9
            // blocks of unit data, far below 1e-10.
            return (layer.Reconstruct([]) - weights).InfinityNorm() < 1e-10;
        }, iter: 60);

    [Fact]
    public void Any_K_clean_outputs_of_a_small_GPD_code_give_the_plain_product() =>
        Gen.Select(Gen.Int[1, 3], Gen.Int[1, 3], Gen.Int[1, 3], Points, Gen.ULong).Sample((m, n, extra, points, seed) =>
        {
            var configuration = new CodeConfiguration { Scheme = SchemeKind.Gpd, NodeCount = Math.Max(PolyDotThresholds.Backward(m, n), PolyDotThresholds.Forward(m, n)) + extra, RowSplit = m, ColumnSplit = n, Points = points };
            var random = new RandomSource(seed);
            foreach (var pass in new[] { PassKind.Forward, PassKind.Backward })
            {
                var workload = CodedPass.Create(configuration, pass, new PassShape(3, 2), random);
                var rows = random.Sample(configuration.NodeCount, workload.RecoveryThreshold);
                var decoded = workload.Layer.DecodeErasures(pass, workload.CleanOutputs, 1, rows)!;

                // Codes of at most 17 nodes are well conditioned on any K rows (kappa below 1e4):
                // the contract admits them, and the result is the plain product to 1e-6.
                if (decoded.Status != DecodeStatus.Decoded || DecodingTolerance.RelativeError(decoded.Result!, workload.Truth) > 1e-6)
                {
                    return false;
                }
            }

            return true;
        }, iter: 60);

    [Fact]
    public void The_active_nodes_known_without_building_are_the_rows_of_the_built_pass() =>
        // The sweep's injector check strikes the rows' nodes without building a workload: they
        // must be, node for node and in order, those of the pass a campaign builds.
        Gen.Select(Configurations, Gen.ULong).Sample((configuration, seed) =>
            new[] { PassKind.Forward, PassKind.Backward }.All(pass =>
                CodedPass.ActiveNodesOf(configuration, pass).SequenceEqual(CodedPass.Create(configuration, pass, new PassShape(2, 2), new RandomSource(seed)).ActiveNodes)),
            iter: 60);
}
