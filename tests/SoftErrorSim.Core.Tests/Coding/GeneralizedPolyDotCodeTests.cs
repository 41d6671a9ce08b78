using MathNet.Numerics.LinearAlgebra;
using SoftErrorSim.Core.Coding;
using SoftErrorSim.Core.Decoding;
using SoftErrorSim.Core.Passes;
using SoftErrorSim.Core.Randomness;

namespace SoftErrorSim.Core.Tests.Coding;

public class GeneralizedPolyDotCodeTests
{
    // The grid of splits the thresholds are established on: m = 1 (MatDot), n = 1 (polynomial/MDS),
    // square, wide, tall, and d > 1 for matrix-matrix products.
    public static TheoryData<int, int, int> Splits => new()
    {
        { 1, 1, 1 }, { 1, 3, 1 }, { 3, 1, 1 }, { 2, 2, 1 }, { 2, 3, 2 }, { 3, 2, 1 }, { 1, 2, 3 }, { 2, 1, 2 },
    };

    [Theory]
    [MemberData(nameof(Splits))]
    public void Every_K_clean_outputs_recover_the_plain_product_and_K_minus_1_do_not(int m, int n, int d)
    {
        var k = Math.Max(GpdThresholds.Backward(m, n), GpdThresholds.MatMat(m, n, d));
        var configuration = new CodeConfiguration { Scheme = SchemeKind.Gpd, NodeCount = k + 3, RowSplit = m, ColumnSplit = n, BatchSplit = d };
        foreach (var passKind in new[] { PassKind.Forward, PassKind.Backward, PassKind.MatMat })
        {
            var pass = CodedPass.Create(configuration, passKind, new PassShape(3, 2, 2), new RandomSource(7));
            var threshold = pass.RecoveryThreshold;
            Assert.Equal(
                passKind switch
                {
                    PassKind.Forward => (m * n) + n - 1,
                    PassKind.Backward => (2 * m * n) - n,
                    _ => (m * n * d) + n - 1,
                },
                threshold);
            var code = CodeOf(pass);
            var random = new RandomSource(11);
            foreach (var subset in Subsets(configuration.NodeCount, threshold, random, 60))
            {
                var decoded = ErasureDecoder.Decode(code, pass.CleanOutputs, subset);
                Assert.Equal(DecodeStatus.Decoded, decoded.Status);
                var result = ((GpdPass)pass).Extract(decoded.Coefficients!);
                // Tolerance: rounding of a K x K solve with condition number below 1e4 on unit data.
                Assert.True(DecodingTolerance.RelativeError(result, pass.Truth) < 1e-9, $"{passKind} from {string.Join(',', subset)}");

                var fewer = subset.Take(threshold - 1).ToArray();
                Assert.Equal(DecodeStatus.Detected, ErasureDecoder.Decode(code, pass.CleanOutputs, fewer).Status);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Splits))]
    public void K_minus_1_outputs_leave_a_wanted_block_undetermined(int m, int n, int d)
    {
        // Independent of any decoder: from K-1 evaluations, the polynomial vanishing on them is
        // invisible to those nodes yet moves a wanted coefficient, so no decoder could succeed.
        var k = Math.Max(GpdThresholds.Backward(m, n), GpdThresholds.MatMat(m, n, d));
        var code = new GeneralizedPolyDotCode(EvaluationPoints.Create(EvaluationPointKind.Chebyshev, k + 2), m, n, d);
        var cases = new (RealLinearCode Code, int[] Wanted)[]
        {
            (code.ForwardCode, Enumerable.Range(0, m).Select(code.ForwardDegree).ToArray()),
            (code.BackwardCode, Enumerable.Range(0, n).Select(code.BackwardDegree).ToArray()),
            (code.MatMatCode!, Enumerable.Range(0, m).SelectMany(i => Enumerable.Range(0, d).Select(l => code.MatMatDegree(i, l))).ToArray()),
        };
        foreach (var (linear, wanted) in cases)
        {
            if (linear.Dimension == 1)
            {
                // Zero outputs determine nothing: the single coefficient is wanted and free.
                Assert.Single(wanted);
                continue;
            }

            var rows = Enumerable.Range(0, linear.Dimension - 1).ToArray();
            var restricted = Matrix<double>.Build.Dense(rows.Length, linear.Dimension, (i, t) => linear.Generator[rows[i], t]);
            var nullVector = restricted.Svd(true).VT.Row(linear.Dimension - 1);
            Assert.True((restricted * nullVector).L2Norm() < 1e-10);
            Assert.Contains(wanted, t => Math.Abs(nullVector[t]) > 1e-8);
        }
    }

    [Fact]
    public void Coded_update_then_decode_equals_plain_update_then_product()
    {
        const int m = 2, n = 3, rows = 4, cols = 3;
        var code = new GeneralizedPolyDotCode(EvaluationPoints.Create(EvaluationPointKind.Chebyshev, 12), m, n);
        var random = new RandomSource(3);
        var weights = Random(m * rows, n * cols, random);
        var stored = code.EncodeWeights(weights);
        var delta = RandomVector(m * rows, random);
        var input = RandomVector(n * cols, random);
        const double rate = 0.05;
        for (var p = 0; p < code.NodeCount; p++)
        {
            code.ApplyUpdate(stored[p], p, delta, input, rate);
        }

        var updated = weights - (delta.OuterProduct(input) * rate);
        var expectedStored = code.EncodeWeights(updated);
        for (var p = 0; p < code.NodeCount; p++)
        {
            // Rounding of a few dozen multiply-adds on unit-scale data.
            Assert.True((stored[p] - expectedStored[p]).InfinityNorm() < 1e-12);
        }

        var next = RandomVector(n * cols, random);
        var outputs = Matrix<double>.Build.Dense(code.NodeCount, rows);
        for (var p = 0; p < code.NodeCount; p++)
        {
            outputs.SetRow(p, stored[p] * code.EncodeInput(next, p));
        }

        var decoded = ProbabilityOneDecoder.Instance.Decode(code.ForwardCode, outputs, new RandomSource(1));
        Assert.Equal(DecodeStatus.Decoded, decoded.Status);
        var plain = updated * next;
        for (var i = 0; i < m; i++)
        {
            for (var r = 0; r < rows; r++)
            {
                Assert.Equal(plain[(i * rows) + r], decoded.Coefficients![code.ForwardDegree(i), r], 9);
            }
        }
    }

    [Fact]
    public void Repair_restores_a_corrupted_block_from_mn_good_nodes()
    {
        const int m = 3, n = 2;
        var code = new GeneralizedPolyDotCode(EvaluationPoints.Create(EvaluationPointKind.Chebyshev, 14), m, n);
        var random = new RandomSource(5);
        var stored = code.EncodeWeights(Random(m * 5, n * 4, random));
        var original = stored[9].Clone();
        stored[9] = Random(5, 4, random);
        var good = new[] { 0, 2, 4, 6, 11, 13 };
        var repaired = code.Repair(stored, 9, good);
        Assert.NotNull(repaired);
        Assert.True((repaired! - original).InfinityNorm() < 1e-9);
        Assert.Null(code.Repair(stored, 9, good.Take(m * n - 1).ToArray()));
    }

    [Theory]
    [InlineData(12, 5, 2e1)]
    [InlineData(24, 11, 3.6e3)]
    [InlineData(30, 23, 1.3e8)]
    public void Chebyshev_Vandermonde_condition_numbers_match_the_spec_figures(int nodes, int dimension, double expected)
    {
        // SPEC 2 quotes these 2-norm condition numbers (P rows, K columns); within 25% (one significant figure).
        var code = RealLinearCode.PolynomialEvaluation(EvaluationPoints.Create(EvaluationPointKind.Chebyshev, nodes), dimension);
        var kappa = code.System(code.AllRows()).ConditionNumber;
        Assert.InRange(kappa, expected * 0.75, expected * 1.25);
    }

    internal static RealLinearCode CodeOf(CodedPass pass)
    {
        var gpd = ((GpdPass)pass).Code;
        return pass.Pass switch
        {
            PassKind.Forward => gpd.ForwardCode,
            PassKind.Backward => gpd.BackwardCode,
            _ => gpd.MatMatCode!,
        };
    }

    internal static IEnumerable<int[]> Subsets(int population, int size, RandomSource random, int limit)
    {
        // Exhaustive when small, otherwise a random sample plus the clustered extremes, which are the worst-conditioned.
        var all = new List<int[]>();
        var indices = Enumerable.Range(0, size).ToArray();
        do
        {
            all.Add((int[])indices.Clone());
            if (all.Count > limit * 4)
            {
                break;
            }
        }
        while (NextCombination(indices, population));

        if (all.Count <= limit)
        {
            return all;
        }

        var sample = Enumerable.Range(0, limit - 2).Select(_ => random.Sample(population, size).Order().ToArray()).ToList();
        sample.Add(Enumerable.Range(0, size).ToArray());
        sample.Add(Enumerable.Range(population - size, size).ToArray());
        return sample;
    }

    private static bool NextCombination(int[] indices, int n)
    {
        var k = indices.Length;
        var i = k - 1;
        while (i >= 0 && indices[i] == n - k + i)
        {
            i--;
        }

        if (i < 0)
        {
            return false;
        }

        indices[i]++;
        for (var j = i + 1; j < k; j++)
        {
            indices[j] = indices[j - 1] + 1;
        }

        return true;
    }

    internal static Matrix<double> Random(int rows, int cols, RandomSource random) =>
        Matrix<double>.Build.Dense(rows, cols, (_, _) => random.NextGaussian());

    internal static Vector<double> RandomVector(int length, RandomSource random) =>
        Vector<double>.Build.Dense(length, _ => random.NextGaussian());
}
