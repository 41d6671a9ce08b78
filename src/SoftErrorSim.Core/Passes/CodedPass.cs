using MathNet.Numerics.LinearAlgebra;
using SoftErrorSim.Core.Coding;
using SoftErrorSim.Core.Decoding;
using SoftErrorSim.Core.Faults;
using SoftErrorSim.Core.Randomness;

namespace SoftErrorSim.Core.Passes;

/// <summary>Block sizes of a single-pass workload.</summary>
/// <param name="BlockRows">R: rows of each weight block (forward output length).</param>
/// <param name="BlockCols">C: columns of each weight block (backward output length).</param>
/// <param name="BatchBlockCols">Columns of each block of the right factor in matrix-matrix products.</param>
public sealed record PassShape(int BlockRows, int BlockCols, int BatchBlockCols = 4)
{
    /// <summary>Throws <see cref="ArgumentException"/> with a one-line reason when a size is not positive.</summary>
    public PassShape Validate()
    {
        if (BlockRows < 1 || BlockCols < 1 || BatchBlockCols < 1)
        {
            throw new ArgumentException($"block sizes must be positive integers (got {BlockRows} x {BlockCols}, batch {BatchBlockCols})");
        }

        if ((long)BlockRows * BlockCols > 1L << 24)
        {
            throw new ArgumentException($"block {BlockRows} x {BlockCols} exceeds the supported 2^24 entries");
        }

        return this;
    }
}

/// <summary>What a pass's decode produced: the result (flattened) when decoded, and whom it blamed.</summary>
public sealed record PassDecodeResult(DecodeStatus Status, double[]? Result, IReadOnlyList<int> BlamedNodes, double ConditionNumber, string? Reason);

/// <summary>
/// One coded product of one scheme on a fixed random workload (weights and input drawn once): the
/// clean output of every node that computes in the pass, the error-free result from a plain
/// product (the oracle), and the scheme's decoder. Single-decode experiments copy the clean
/// outputs, strike some rows, decode, and compare against <see cref="Truth"/>.
/// </summary>
public abstract class CodedPass
{
    /// <summary>Sets the facts common to all passes.</summary>
    protected CodedPass(CodeConfiguration configuration, PassKind pass, int threshold, Matrix<double> cleanOutputs, double[] truth)
    {
        Configuration = configuration;
        Pass = pass;
        RecoveryThreshold = threshold;
        CleanOutputs = cleanOutputs;
        Truth = truth;
        OutputRms = ErrorInjection.RootMeanSquare(cleanOutputs);
    }

    /// <summary>The configuration.</summary>
    public CodeConfiguration Configuration { get; }

    /// <summary>Which product.</summary>
    public PassKind Pass { get; }

    /// <summary>K of the code decoded in this pass (in symbols: nodes, CodeNet grid lines, or blocks).</summary>
    public int RecoveryThreshold { get; }

    /// <summary>One row per node that computes in this pass (see <see cref="ActiveNodes"/>), the output it sends.</summary>
    public Matrix<double> CleanOutputs { get; }

    /// <summary>The node index behind each row of <see cref="CleanOutputs"/>.</summary>
    public abstract IReadOnlyList<int> ActiveNodes { get; }

    /// <summary>The error-free result of the pass, flattened row-major, from a plain uncoded product.</summary>
    public double[] Truth { get; }

    /// <summary>Root mean square of the clean outputs: the scale errors are measured against.</summary>
    public double OutputRms { get; }

    /// <summary>Decodes a received word shaped like <see cref="CleanOutputs"/>.</summary>
    public abstract PassDecodeResult Decode(Matrix<double> received, DecoderKind decoder, RandomSource random);

    /// <summary>Adds the adversarial model's errors on the given rows of <paramref name="received"/>.</summary>
    public abstract void InjectAdversarial(Matrix<double> received, IReadOnlyList<int> rows, double magnitude, RandomSource random);

    /// <summary>
    /// Builds the pass for a validated configuration on a random workload with entries N(0, 1)
    /// drawn from <paramref name="random"/>.
    /// </summary>
    public static CodedPass Create(CodeConfiguration configuration, PassKind pass, PassShape shape, RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(random);
        configuration.Validate();
        shape.Validate();
        if (pass == PassKind.MatMat && (configuration.Scheme != SchemeKind.Gpd || configuration.BatchSplit is null))
        {
            throw new InvalidConfigurationException("the matmat pass is defined for gpd with --d");
        }

        var m = configuration.RowSplit;
        var n = configuration.ColumnSplit;
        var weights = Gaussian(m * shape.BlockRows, n * shape.BlockCols, random);
        return configuration.Scheme switch
        {
            SchemeKind.Gpd => new GpdPass(configuration, pass, shape, weights, random),
            SchemeKind.Mds => new CodeNetPass(configuration, pass, weights, random),
            SchemeKind.Replication or SchemeKind.Uncoded => new ReplicationPass(configuration, pass, weights, random),
            _ => throw new InvalidConfigurationException($"unknown scheme {configuration.Scheme}"),
        };
    }

    /// <summary>
    /// How many nodes compute in a pass, without building it: P for GPD; Pr n (forward) or m Pc
    /// (backward) for CodeNet; r mn for replication; mn for uncoded.
    /// </summary>
    public static int ActiveNodeCount(CodeConfiguration configuration, PassKind pass)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        configuration.Validate();
        if (pass == PassKind.MatMat && (configuration.Scheme != SchemeKind.Gpd || configuration.BatchSplit is null))
        {
            throw new InvalidConfigurationException("the matmat pass is defined for gpd with --d");
        }

        return configuration.Scheme switch
        {
            SchemeKind.Gpd => configuration.NodeCount,
            SchemeKind.Mds => pass == PassKind.Forward
                ? configuration.RowNodes!.Value * configuration.ColumnSplit
                : configuration.RowSplit * configuration.ColumnNodes!.Value,
            _ => ReplicationPass.Copies(configuration) * configuration.BlockCount,
        };
    }

    /// <summary>A matrix of independent standard normal entries.</summary>
    protected static Matrix<double> Gaussian(int rows, int cols, RandomSource random)
    {
        var values = new double[rows * cols];
        random.FillGaussian(values);
        return Matrix<double>.Build.Dense(rows, cols, values);
    }

    /// <summary>A vector of independent standard normal entries.</summary>
    protected static Vector<double> GaussianVector(int length, RandomSource random)
    {
        var values = new double[length];
        random.FillGaussian(values);
        return Vector<double>.Build.Dense(values);
    }

    /// <summary>The decoder object for a linear code.</summary>
    protected static ILinearDecoder LinearDecoder(DecoderKind kind) =>
        kind == DecoderKind.BoundedDistance ? BoundedDistanceDecoder.Instance : ProbabilityOneDecoder.Instance;

    /// <summary>Flattens a matrix row-major.</summary>
    protected static double[] RowMajor(Matrix<double> matrix)
    {
        var result = new double[matrix.RowCount * matrix.ColumnCount];
        for (var i = 0; i < matrix.RowCount; i++)
        {
            for (var j = 0; j < matrix.ColumnCount; j++)
            {
                result[(i * matrix.ColumnCount) + j] = matrix[i, j];
            }
        }

        return result;
    }
}
