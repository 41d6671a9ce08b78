using SoftErrorSim.Core.Coding;
using SoftErrorSim.Core.Decoding;
using SoftErrorSim.Core.Faults;
using SoftErrorSim.Core.Kernels;
using SoftErrorSim.Core.Randomness;
using SoftErrorSim.Core.Schemes;

namespace SoftErrorSim.Core.Passes;

/// <summary>What a pass's decode produced: the result (flattened) when decoded, and whom it blamed.</summary>
public sealed record PassDecodeResult(DecodeStatus Status, double[]? Result, IReadOnlyList<int> BlamedNodes, double ConditionNumber, double EstimatedError, string? Reason);

/// <summary>
/// One coded product of one scheme on a fixed random workload (weights and operand drawn once),
/// built on the scheme's <see cref="CodedLayer"/>, the same type training uses: the clean output of
/// every node that computes in the pass, the error-free result from a plain product (the oracle),
/// and the scheme's decoder. Single-decode experiments copy the clean outputs, strike some rows,
/// decode, and compare against <see cref="Truth"/>.
/// </summary>
public sealed class CodedPass
{
    private CodedPass(CodeConfiguration configuration, PassKind pass, CodedLayer layer, int columns, double[] cleanOutputs, double[] truth)
    {
        Configuration = configuration;
        Pass = pass;
        Layer = layer;
        Columns = columns;
        CleanOutputs = cleanOutputs;
        Truth = truth;
        Words = layer.OutputWords(LayerPass, columns);
        RecoveryThreshold = layer.Threshold(LayerPass, columns);
        OutputRms = FaultInjector.RootMeanSquare(cleanOutputs);
    }

    /// <summary>The configuration.</summary>
    public CodeConfiguration Configuration { get; }

    /// <summary>Which product.</summary>
    public PassKind Pass { get; }

    /// <summary>The layer the nodes store (the scheme's one implementation).</summary>
    public CodedLayer Layer { get; }

    /// <summary>Operand columns: 1 for matrix-vector passes, d times the batch block for the matrix-matrix pass.</summary>
    public int Columns { get; }

    /// <summary>K of the code decoded in this pass (in symbols: nodes, CodeNet grid lines, or blocks).</summary>
    public int RecoveryThreshold { get; }

    /// <summary>Words of each node's output.</summary>
    public int Words { get; }

    /// <summary>One row of <see cref="Words"/> words per node that computes in this pass (see <see cref="ActiveNodes"/>), row-major.</summary>
    public double[] CleanOutputs { get; }

    /// <summary>The node index behind each row of <see cref="CleanOutputs"/>.</summary>
    public IReadOnlyList<int> ActiveNodes => Layer.Nodes(LayerPass);

    /// <summary>The error-free result of the pass, column after column, from a plain uncoded product.</summary>
    public double[] Truth { get; }

    /// <summary>Root mean square of the clean outputs: the scale errors are measured against.</summary>
    public double OutputRms { get; }

    private PassKind LayerPass => Scheme.LayerPass(Pass);

    /// <summary>
    /// The result of a trial nobody struck, per decoder (bounded distance, probability one), once
    /// known to be the same for every trial (see DecodeCampaign): boxed, so that publishing it is
    /// one atomic reference write; every thread computes the same value, so a race only repeats the work.
    /// </summary>
    internal object?[] CleanTrials { get; } = new object?[2];

    /// <summary>Decodes a received word shaped like <see cref="CleanOutputs"/>.</summary>
    public PassDecodeResult Decode(ReadOnlySpan<double> received, DecoderKind decoder, RandomSource random)
    {
        var decoded = Layer.Decode(LayerPass, received, Columns, decoder, random);
        return new PassDecodeResult(decoded.Status, decoded.Result, decoded.Blamed, decoded.ConditionNumber, decoded.EstimatedError, decoded.Reason);
    }

    [ThreadStatic]
    private static double[]? t_result;

    /// <summary>
    /// As <see cref="Decode"/>, with the result in a buffer of the calling thread that its next
    /// transient decode overwrites, and the decoder's coefficients in another: for a campaign
    /// trial, which classifies the result at once (a fresh result and coefficient array per trial
    /// were three quarters of what a campaign allocated). The same numbers as <see cref="Decode"/>.
    /// </summary>
    internal PassDecodeResult DecodeTransient(ReadOnlySpan<double> received, DecoderKind decoder, RandomSource random)
    {
        if (t_result is null || t_result.Length != Truth.Length)
        {
            t_result = new double[Truth.Length];
        }

        var decoded = Layer.Decode(LayerPass, received, Columns, decoder, random, t_result);
        return new PassDecodeResult(decoded.Status, decoded.Result, decoded.Blamed, decoded.ConditionNumber, decoded.EstimatedError, decoded.Reason);
    }

    /// <summary>Adds the adversarial model's errors (size <paramref name="magnitude"/> times the outputs' RMS) on the given rows.</summary>
    public void InjectAdversarial(Span<double> received, IReadOnlyList<int> rows, double magnitude, RandomSource random) =>
        Layer.InjectAdversarial(LayerPass, received, rows, Columns, magnitude * OutputRms, random);

    /// <summary>Where an attacker who knows the scheme puts <paramref name="count"/> errors (SPEC 3).</summary>
    public IReadOnlyList<int> AttackPositions(int count, RandomSource random) =>
        Scheme.Of(Configuration.Scheme).AttackPositions(Layer, LayerPass, count, random);

    /// <summary>
    /// Builds the pass for a validated configuration on a random workload with entries N(0, 1)
    /// drawn from <paramref name="random"/>: W is (m R) x (n C), the operand one vector (or the
    /// matrix-matrix pass's d x batch-block columns).
    /// </summary>
    public static CodedPass Create(CodeConfiguration configuration, PassKind pass, PassShape shape, RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(random);
        ActiveNodeCount(configuration, pass);
        shape.Validate();
        var weights = Gaussian(configuration.RowSplit * shape.BlockRows, configuration.ColumnSplit * shape.BlockCols, random);
        var layer = Scheme.Of(configuration.Scheme).CreateLayer(configuration, weights);
        var layerPass = Scheme.LayerPass(pass);
        var columns = pass == PassKind.MatMat ? configuration.BatchSplit!.Value * shape.BatchBlockCols : 1;
        var operand = new double[layer.OperandLength(layerPass) * columns];
        random.FillGaussian(operand);

        var truth = new double[layer.ResultLength(layerPass) * columns];
        for (var s = 0; s < columns; s++)
        {
            var x = operand.AsSpan(s * layer.OperandLength(layerPass), layer.OperandLength(layerPass));
            var y = truth.AsSpan(s * layer.ResultLength(layerPass), layer.ResultLength(layerPass));
            if (layerPass == PassKind.Backward)
            {
                BlockProducts.TransposeMultiply(weights, x, y);
            }
            else
            {
                BlockProducts.Multiply(weights, x, y);
            }
        }

        var nodes = layer.Nodes(layerPass);
        var words = layer.OutputWords(layerPass, columns);
        var outputs = new double[nodes.Count * words];
        var encoded = new double[layer.EncodedWords(layerPass, columns)];
        for (var i = 0; i < nodes.Count; i++)
        {
            layer.Encode(layerPass, nodes[i], operand, columns, encoded);
            layer.Product(layerPass, nodes[i], encoded, columns, outputs.AsSpan(i * words, words));
        }

        return new CodedPass(configuration, pass, layer, columns, outputs, truth);
    }

    /// <summary>How many nodes compute in a pass, without building it (validates the configuration and the pass).</summary>
    public static int ActiveNodeCount(CodeConfiguration configuration, PassKind pass)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        configuration.Validate();
        if (pass == PassKind.MatMat && (configuration.Scheme != SchemeKind.Gpd || configuration.BatchSplit is null))
        {
            throw new InvalidConfigurationException("the matmat pass is defined for gpd with ‹d›");
        }

        return Scheme.Of(configuration.Scheme).ActiveNodeCount(configuration, pass);
    }

    /// <summary>
    /// The nodes behind the rows of a pass's workload (<see cref="ActiveNodes"/> of the pass
    /// <see cref="Create"/> would build), without building it: what the injector strikes.
    /// </summary>
    public static IReadOnlyList<int> ActiveNodesOf(CodeConfiguration configuration, PassKind pass)
    {
        ActiveNodeCount(configuration, pass);
        return Scheme.Of(configuration.Scheme).ActiveNodes(configuration, Scheme.LayerPass(pass));
    }

    private static MathNet.Numerics.LinearAlgebra.Matrix<double> Gaussian(int rows, int cols, RandomSource random)
    {
        var values = new double[rows * cols];
        random.FillGaussian(values);
        return MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(rows, cols, values);
    }
}
