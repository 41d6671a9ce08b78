using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using SoftErrorSim.Core.Coding;
using SoftErrorSim.Core.Decoding;
using SoftErrorSim.Core.Randomness;
using SoftErrorSim.Core.Statistics;

namespace SoftErrorSim.Core.Schemes;

/// <summary>
/// What the rest of the simulator needs to know about one redundancy strategy, registered once in
/// <see cref="All"/>: how to store a layer (its <see cref="CodedLayer"/>), which nodes compute a
/// pass, the code's threshold and tolerances, the analytic oracle's view of a decode, and where an
/// attacker who knows the scheme places its errors. Adding a scheme means adding its layer type
/// and one of these.
/// </summary>
public abstract class Scheme
{
    /// <summary>Every registered scheme, in command-line order.</summary>
    public static IReadOnlyList<Scheme> All { get; } = [new GpdScheme(), new CodeNetScheme(), new ReplicationScheme(SchemeKind.Replication), new ReplicationScheme(SchemeKind.Uncoded)];

    /// <summary>The scheme of a kind.</summary>
    public static Scheme Of(SchemeKind kind) => All.First(s => s.Kind == kind);

    /// <summary>The kind.</summary>
    public abstract SchemeKind Kind { get; }

    /// <summary>The unit a threshold is counted in: nodes, grid lines or blocks.</summary>
    public abstract string ThresholdUnit { get; }

    /// <summary>Stores W (unpadded) under the scheme on the configuration's nodes.</summary>
    public abstract CodedLayer CreateLayer(CodeConfiguration configuration, Matrix<double> weights);

    /// <summary>How many nodes compute in a pass, without building anything.</summary>
    public abstract int ActiveNodeCount(CodeConfiguration configuration, PassKind pass);

    /// <summary>
    /// The nodes that compute in a pass, in the order of the pass's rows (<see cref="CodedLayer.Nodes"/>
    /// of a layer stored on the configuration), without storing any weights: nodes 0 to
    /// <see cref="ActiveNodeCount"/> - 1 unless the scheme says otherwise.
    /// </summary>
    public virtual IReadOnlyList<int> ActiveNodes(CodeConfiguration configuration, PassKind pass) =>
        Enumerable.Range(0, ActiveNodeCount(configuration, pass)).ToArray();

    /// <summary>The decode of a pass as independent units for the analytic oracle (SPEC 6), or null where none is exact.</summary>
    public abstract OracleUnits? Oracle(CodeConfiguration configuration, PassKind pass, DecoderKind decoder, double errorRate);

    /// <summary>Errors (in erring nodes) the pass's decoder corrects: whatever their values, and when they are continuous random.</summary>
    public abstract (int Adversarial, int Probabilistic) Tolerance(CodeConfiguration configuration, PassKind pass);

    /// <summary>Where an attacker who knows the scheme puts <paramref name="count"/> errors among the pass's rows (SPEC 3); random rows where position does not matter.</summary>
    public virtual IReadOnlyList<int> AttackPositions(CodedLayer layer, PassKind pass, int count, RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(layer);
        ArgumentNullException.ThrowIfNull(random);
        return random.Sample(layer.Nodes(pass).Count, count);
    }

    /// <summary>The pass a configuration's layer decodes for a campaign pass: the matrix-matrix pass is a batched forward pass.</summary>
    public static PassKind LayerPass(PassKind pass) => pass == PassKind.Backward ? PassKind.Backward : PassKind.Forward;

    /// <summary>Bounded distance corrects floor(r/2) of r redundant symbols; probability one r - 1.</summary>
    protected static int Corrected(int redundancy, DecoderKind decoder) =>
        decoder == DecoderKind.BoundedDistance ? redundancy / 2 : Math.Max(redundancy - 1, 0);
}

/// <summary>Generalized PolyDot codes: the layer is <see cref="GpdLayer{T}"/> over the reals or, on the unit circle, over the complex numbers.</summary>
public sealed class GpdScheme : Scheme
{
    /// <inheritdoc />
    public override SchemeKind Kind => SchemeKind.Gpd;

    /// <inheritdoc />
    public override string ThresholdUnit => "nodes";

    /// <inheritdoc />
    public override CodedLayer CreateLayer(CodeConfiguration configuration, Matrix<double> weights)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        configuration.Validate();
        return EvaluationPoints.IsComplex(configuration.Points)
            ? new GpdLayer<Complex>(ComplexCode(configuration), weights)
            : new GpdLayer<double>(RealCode(configuration), weights);
    }

    /// <summary>The real code of a configuration on real points.</summary>
    public static GeneralizedPolyDotCode<double> RealCode(CodeConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return new GeneralizedPolyDotCode<double>(EvaluationPoints.Create(configuration.Points, configuration.NodeCount, configuration.CodeSeed), configuration.RowSplit, configuration.ColumnSplit, configuration.BatchSplit);
    }

    /// <summary>The complex code of a configuration on the unit circle.</summary>
    public static GeneralizedPolyDotCode<Complex> ComplexCode(CodeConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return new GeneralizedPolyDotCode<Complex>(EvaluationPoints.UnitCircle(configuration.NodeCount), configuration.RowSplit, configuration.ColumnSplit, configuration.BatchSplit);
    }

    /// <summary>K of a pass: forward mn + n - 1, backward 2mn - n, matrix-matrix mnd + n - 1.</summary>
    public static int Threshold(CodeConfiguration configuration, PassKind pass)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var (m, n) = (configuration.RowSplit, configuration.ColumnSplit);
        return pass switch
        {
            PassKind.Forward => PolyDotThresholds.Forward(m, n),
            PassKind.Backward => PolyDotThresholds.Backward(m, n),
            _ => PolyDotThresholds.MatMat(m, n, configuration.BatchSplit ?? 1),
        };
    }

    /// <inheritdoc />
    public override int ActiveNodeCount(CodeConfiguration configuration, PassKind pass)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration.NodeCount;
    }

    /// <inheritdoc />
    public override OracleUnits? Oracle(CodeConfiguration configuration, PassKind pass, DecoderKind decoder, double errorRate)
    {
        // One node, one symbol: a binomial tail over the P nodes.
        ArgumentNullException.ThrowIfNull(configuration);
        return new OracleUnits(configuration.NodeCount, Corrected(configuration.NodeCount - Threshold(configuration, pass), decoder), errorRate, 1);
    }

    /// <inheritdoc />
    public override (int Adversarial, int Probabilistic) Tolerance(CodeConfiguration configuration, PassKind pass)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var redundancy = configuration.NodeCount - Threshold(configuration, pass);
        return (redundancy / 2, Math.Max(redundancy - 1, 0));
    }

    /// <summary>
    /// L: the scalars of the code's field in one node's output of a pass on a campaign workload of
    /// <paramref name="shape"/> (complex on the unit circle, where two real rows make one complex
    /// row: ceil(R / 2) forward; C backward; forward rows times the right factor's block columns
    /// for matrix-matrix products).
    /// </summary>
    public static int OutputScalars(CodeConfiguration configuration, PassKind pass, PassShape shape)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(shape);
        var rows = configuration.Points == EvaluationPointKind.UnitCircle ? (shape.BlockRows + 1) / 2 : shape.BlockRows;
        return pass switch
        {
            PassKind.Backward => shape.BlockCols,
            PassKind.MatMat => rows * shape.BatchBlockCols,
            _ => rows,
        };
    }
}

/// <summary>CodeNet's two-dimensional MDS grid: the layer is <see cref="CodeNetLayer"/>; symbols are grid lines.</summary>
public sealed class CodeNetScheme : Scheme
{
    /// <inheritdoc />
    public override SchemeKind Kind => SchemeKind.Mds;

    /// <inheritdoc />
    public override string ThresholdUnit => "grid lines";

    /// <inheritdoc />
    public override CodedLayer CreateLayer(CodeConfiguration configuration, Matrix<double> weights) => new CodeNetLayer(CodeNetMdsCode.From(configuration), weights);

    /// <summary>(lines, dimension, nodes per line) of a pass: rows (Pr, m, n) forward, columns (Pc, n, m) backward.</summary>
    public static (int Lines, int Dimension, int NodesPerLine) LineCode(CodeConfiguration configuration, PassKind pass)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return pass == PassKind.Backward
            ? (configuration.ColumnNodes!.Value, configuration.ColumnSplit, configuration.RowSplit)
            : (configuration.RowNodes!.Value, configuration.RowSplit, configuration.ColumnSplit);
    }

    /// <inheritdoc />
    public override int ActiveNodeCount(CodeConfiguration configuration, PassKind pass)
    {
        var (lines, _, perLine) = LineCode(configuration, pass);
        return lines * perLine;
    }

    /// <inheritdoc />
    public override IReadOnlyList<int> ActiveNodes(CodeConfiguration configuration, PassKind pass)
    {
        // The grid's first n columns compute forward and its first m rows backward: the code's
        // node placement, without encoding anything.
        var code = CodeNetMdsCode.From(configuration);
        return pass == PassKind.Backward ? code.BackwardNodes() : code.ForwardNodes();
    }

    /// <inheritdoc />
    public override OracleUnits? Oracle(CodeConfiguration configuration, PassKind pass, DecoderKind decoder, double errorRate)
    {
        // A grid line is a wrong symbol when any of its nodes errs.
        var (lines, dimension, perLine) = LineCode(configuration, pass);
        var lineError = -BinomialTail.ExpMinus1(perLine * BinomialTail.Log1Plus(-errorRate));
        return new OracleUnits(lines, Corrected(lines - dimension, decoder), lineError, 1);
    }

    /// <inheritdoc />
    public override (int Adversarial, int Probabilistic) Tolerance(CodeConfiguration configuration, PassKind pass)
    {
        // In erring nodes, worst case over positions: each on its own grid line.
        var (lines, dimension, _) = LineCode(configuration, pass);
        var redundancy = lines - dimension;
        return (redundancy / 2, Math.Max(redundancy - 1, 0));
    }

    /// <inheritdoc />
    public override IReadOnlyList<int> AttackPositions(CodedLayer layer, PassKind pass, int count, RandomSource random) =>
        ((CodeNetLayer)layer).AttackPositions(pass, count, random);
}

/// <summary>Replication (r = floor(P/(mn)) copies per block) and uncoded storage (r = 1): the layer is <see cref="ReplicatedLayer"/>.</summary>
public sealed class ReplicationScheme(SchemeKind kind) : Scheme
{
    /// <inheritdoc />
    public override SchemeKind Kind => kind;

    /// <inheritdoc />
    public override string ThresholdUnit => "blocks";

    /// <summary>r = floor(P/(mn)) for replication, 1 for uncoded.</summary>
    public static int Copies(CodeConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration.Scheme == SchemeKind.Uncoded ? 1 : configuration.NodeCount / configuration.BlockCount;
    }

    /// <inheritdoc />
    public override CodedLayer CreateLayer(CodeConfiguration configuration, Matrix<double> weights)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        configuration.Validate();
        return new ReplicatedLayer(kind, weights, configuration.RowSplit, configuration.ColumnSplit, Copies(configuration));
    }

    /// <inheritdoc />
    public override int ActiveNodeCount(CodeConfiguration configuration, PassKind pass) => Copies(configuration) * configuration.BlockCount;

    /// <inheritdoc />
    public override OracleUnits? Oracle(CodeConfiguration configuration, PassKind pass, DecoderKind decoder, double errorRate)
    {
        // Each of the mn blocks independently survives at most floor((r-1)/2) errors (majority) or
        // r-2 (agreement of two copies); a single copy (uncoded) survives none.
        var r = Copies(configuration);
        var perBlock = decoder == DecoderKind.BoundedDistance ? (r - 1) / 2 : Math.Max(r - 2, 0);
        return new OracleUnits(r, perBlock, errorRate, configuration.BlockCount);
    }

    /// <inheritdoc />
    public override (int Adversarial, int Probabilistic) Tolerance(CodeConfiguration configuration, PassKind pass)
    {
        var r = Copies(configuration);
        return ((r - 1) / 2, Math.Max(r - 2, 0));
    }

    /// <inheritdoc />
    public override IReadOnlyList<int> AttackPositions(CodedLayer layer, PassKind pass, int count, RandomSource random) =>
        ((ReplicatedLayer)layer).AttackPositions(count, random);
}
