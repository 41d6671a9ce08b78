using MathNet.Numerics.LinearAlgebra;
using SoftErrorSim.Core.Coding;
using SoftErrorSim.Core.Randomness;

namespace SoftErrorSim.Benchmarks;

/// <summary>
/// The configuration every product and decoder benchmark measures, as named by the decoding-cost
/// target: GPD with m = n = 3 (K_fwd = mn + n - 1 = 11) on P = 24 nodes, 256 x 256 blocks, so W is
/// 768 x 768 and every coded forward output has 256 words.
/// </summary>
internal static class BenchmarkWorkload
{
    public const int NodeCount = 24;
    public const int Split = 3;
    public const int BlockSize = 256;

    /// <summary>Seed of the workload; timings do not depend on the values, only on the shapes.</summary>
    public const ulong Seed = 1;

    public static CodeConfiguration Configuration(EvaluationPointKind points) => new CodeConfiguration
    {
        Scheme = SchemeKind.Gpd,
        NodeCount = NodeCount,
        RowSplit = Split,
        ColumnSplit = Split,
        Points = points,
    }.Validate();

    public static Matrix<double> Gaussian(int rows, int cols, RandomSource random)
    {
        var values = new double[rows * cols];
        random.FillGaussian(values);
        return Matrix<double>.Build.Dense(rows, cols, values);
    }
}
