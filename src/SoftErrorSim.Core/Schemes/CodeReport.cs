using SoftErrorSim.Core.Coding;
using SoftErrorSim.Core.Decoding;
using SoftErrorSim.Core.Randomness;

namespace SoftErrorSim.Core.Schemes;

/// <summary>The facts of one pass of a configuration.</summary>
/// <param name="Threshold">Recovery threshold K of the code decoded in the pass.</param>
/// <param name="ToleranceAdversarial">Errors corrected whatever their values (bounded distance / majority), in exact arithmetic.</param>
/// <param name="ToleranceProbabilistic">Errors corrected with probability one when their values are continuous random, in exact arithmetic.</param>
/// <param name="WordsSentPerNode">Float64 words a computing node sends in the pass: its output to each of the P-1 others (all-gather, no master).</param>
/// <param name="FlopsPerNode">Floating-point operations of one node's product in the pass (a complex multiply-add is four real ones).</param>
/// <param name="ConditionNumber">2-norm condition number of the decoding system on all outputs (null for comparison decoders).</param>
/// <param name="ConditionNumberClustered">The same on the K outputs of the most clustered evaluation points (adjacent nodes), the worst square subset (null when not a polynomial code).</param>
/// <param name="AchievedAdjacent">
/// The largest e for which every set of e adjacent erring nodes (cyclically adjacent on the circle)
/// leaves rows the decoding contract accepts: the probabilistic tolerance float64 actually achieves
/// whatever the positions (null when not computed).
/// </param>
/// <param name="AchievedRandom">The largest e for which at least 99% of random sets of e erring nodes leave accepted rows (null when not computed).</param>
public sealed record PassReport(
    int Threshold,
    int ToleranceAdversarial,
    int ToleranceProbabilistic,
    long WordsSentPerNode,
    double FlopsPerNode,
    double? ConditionNumber,
    double? ConditionNumberClustered,
    int? AchievedAdjacent = null,
    int? AchievedRandom = null);

/// <summary>
/// The parameters of one configuration, as `codes` prints them (SPEC 7): thresholds per pass,
/// tolerances under both models (exact, and achieved in float64 under the decoding contract),
/// storage, communication and arithmetic per node, condition numbers. Thresholds are in symbols of
/// the decoded code: nodes (GPD), grid rows or columns (MDS), blocks (replication and uncoded);
/// tolerances are always in erring nodes.
/// </summary>
public sealed record CodeReport(
    CodeConfiguration Configuration,
    PassShape Shape,
    string ThresholdUnit,
    int CopiesPerBlock,
    long StorageWordsPerNode,
    PassReport Forward,
    PassReport Backward,
    PassReport? MatMat)
{
    /// <summary>Random sets drawn per error count for <see cref="PassReport.AchievedRandom"/>.</summary>
    public const int RandomSets = 200;

    /// <summary>
    /// Whether some pass of the configuration cannot be decoded in float64 at all: the decoding
    /// contract refuses its decodes even when every output is clean.
    /// </summary>
    public bool BeyondFloat64 => new[] { Forward, Backward, MatMat }.Any(p => p is { AchievedAdjacent: < 0 });

    /// <summary>
    /// Computes the report of a configuration with the given block sizes; the achieved tolerances
    /// (a search over error sets, seconds for P = 64) only when <paramref name="achieved"/>.
    /// </summary>
    public static CodeReport For(CodeConfiguration configuration, PassShape shape, bool achieved = false)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(shape);
        configuration.Validate();
        shape.Validate();
        var p = configuration.NodeCount;
        var scheme = Scheme.Of(configuration.Scheme);
        var storage = (long)shape.BlockRows * shape.BlockCols;
        switch (configuration.Scheme)
        {
            case SchemeKind.Gpd when EvaluationPoints.IsComplex(configuration.Points):
                {
                    var code = GpdScheme.ComplexCode(configuration);
                    return new CodeReport(
                        configuration,
                        shape,
                        scheme.ThresholdUnit,
                        1,
                        storage,
                        Polynomial(code.ForwardCode, shape.BlockRows, shape.BlockRows, shape.BlockCols, Inner(configuration, shape.BlockCols), p, achieved),
                        Polynomial(code.BackwardCode, 2L * shape.BlockCols, shape.BlockRows, shape.BlockCols, Inner(configuration, shape.BlockRows), p, achieved),
                        code.MatMatCode is null ? null : Polynomial(code.MatMatCode, (long)shape.BlockRows * shape.BatchBlockCols, shape.BlockRows, shape.BlockCols * shape.BatchBlockCols, Inner(configuration, shape.BlockCols), p, achieved));
                }

            case SchemeKind.Gpd:
                {
                    var code = GpdScheme.RealCode(configuration);
                    return new CodeReport(
                        configuration,
                        shape,
                        scheme.ThresholdUnit,
                        1,
                        storage,
                        Polynomial(code.ForwardCode, shape.BlockRows, shape.BlockRows, shape.BlockCols, Inner(configuration, shape.BlockCols), p, achieved),
                        Polynomial(code.BackwardCode, shape.BlockCols, shape.BlockRows, shape.BlockCols, Inner(configuration, shape.BlockRows), p, achieved),
                        code.MatMatCode is null ? null : Polynomial(code.MatMatCode, (long)shape.BlockRows * shape.BatchBlockCols, shape.BlockRows, shape.BlockCols * shape.BatchBlockCols, Inner(configuration, shape.BlockCols), p, achieved));
                }

            case SchemeKind.Mds:
                {
                    var code = CodeNetMdsCode.From(configuration);
                    PassReport Line(LinearCode<double> line, PassKind pass, long length)
                    {
                        var (adversarial, probabilistic) = scheme.Tolerance(configuration, pass);
                        return new PassReport(line.Dimension, adversarial, probabilistic, length * (p - 1), 2.0 * storage, line.System(line.AllRows()).ConditionNumber, null);
                    }

                    return new CodeReport(configuration, shape, scheme.ThresholdUnit, 1, storage, Line(code.RowCode, PassKind.Forward, shape.BlockRows), Line(code.ColumnCode, PassKind.Backward, shape.BlockCols), null);
                }

            default:
                {
                    var r = ReplicationScheme.Copies(configuration);
                    var (adversarial, probabilistic) = scheme.Tolerance(configuration, PassKind.Forward);
                    PassReport Compare(long length) => new(configuration.BlockCount, adversarial, probabilistic, length * (p - 1), 2.0 * storage, null, null);
                    return new CodeReport(configuration, shape, scheme.ThresholdUnit, r, storage, Compare(shape.BlockRows), Compare(shape.BlockCols), null);
                }
        }
    }

    /// <summary>
    /// Whether the decoding contract accepts a clean decode of a GPD pass on all P nodes (nominal
    /// data, outputs of inner dimension up to <paramref name="inner"/>): false means every decode
    /// of the pass would be refused as too ill-conditioned for float64.
    /// </summary>
    public static bool CleanDecodeAccepted(CodeConfiguration configuration, PassKind pass, int columns, int inner)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var rounding = DecodingTolerance.Rounding(inner + (configuration.RowSplit * configuration.ColumnSplit) + Math.Max(configuration.RowSplit, configuration.ColumnSplit), configuration.NodeCount);
        if (EvaluationPoints.IsComplex(configuration.Points))
        {
            var code = GpdScheme.ComplexCode(configuration);
            return Accepted(pass == PassKind.Backward ? code.BackwardCode : columns > 1 && code.MatMatCode is not null ? code.MatMatCode : code.ForwardCode, [], rounding);
        }

        var real = GpdScheme.RealCode(configuration);
        return Accepted(pass == PassKind.Backward ? real.BackwardCode : columns > 1 && real.MatMatCode is not null ? real.MatMatCode : real.ForwardCode, [], rounding);
    }

    /// <summary>The inner dimension of a GPD pass's outputs for the contract's rounding: the block plus the encodings' terms.</summary>
    private static int Inner(CodeConfiguration configuration, int block) =>
        block + (configuration.RowSplit * configuration.ColumnSplit) + Math.Max(configuration.RowSplit, configuration.ColumnSplit);

    private static PassReport Polynomial<T>(LinearCode<T> code, long outputWords, int blockRows, int blockCols, int inner, int nodeCount, bool achieved)
        where T : struct, IEquatable<T>, IFormattable
    {
        var k = code.Dimension;
        var redundancy = code.Length - k;
        var kappa = code.System(code.AllRows()).ConditionNumber;
        var scalar = Kernels.Field.IsComplex<T>() ? 2 : 1;
        var flops = 2.0 * scalar * scalar * (blockRows / (double)scalar) * blockCols;
        var rounding = DecodingTolerance.Rounding(inner, nodeCount);

        // The K points packed closest together (a run of adjacent nodes) give the worst-conditioned
        // square interpolation.
        var order = Adjacency(code);
        var clustered = order.Take(k).Order().ToArray();
        var clusteredKappa = code.System(clustered).ConditionNumber;
        if (!achieved)
        {
            // The clean decode alone says whether the pass can be decoded in float64 at all.
            var decodable = Accepted(code, [], rounding) ? (int?)null : -1;
            return new PassReport(k, redundancy / 2, Math.Max(redundancy - 1, 0), outputWords * (nodeCount - 1), flops, kappa, clusteredKappa, decodable, decodable);
        }

        var adjacent = Achieved(code, rounding, redundancy, e => AdjacentSets(order, e, Kernels.Field.IsComplex<T>()).All(set => Accepted(code, set, rounding)));
        var random = new RandomSource(0xAC41E7EDUL);
        var randomAchieved = Achieved(code, rounding, redundancy, e =>
        {
            var accepted = 0;
            for (var draw = 0; draw < RandomSets; draw++)
            {
                accepted += Accepted(code, random.Sample(code.Length, e), rounding) ? 1 : 0;
            }

            return accepted >= 0.99 * RandomSets;
        });
        return new PassReport(k, redundancy / 2, Math.Max(redundancy - 1, 0), outputWords * (nodeCount - 1), flops, kappa, clusteredKappa, adjacent, randomAchieved);
    }

    /// <summary>Nodes in the order of their points: by index on the circle (cyclic), by value on the line.</summary>
    private static int[] Adjacency<T>(LinearCode<T> code)
        where T : struct, IEquatable<T>, IFormattable =>
        code.Points is null || Kernels.Field.IsComplex<T>()
            ? code.AllRows()
            : Enumerable.Range(0, code.Length).OrderBy(i => Kernels.Field.Real(code.Points[i])).ToArray();

    private static IEnumerable<int[]> AdjacentSets(int[] order, int size, bool cyclic)
    {
        var starts = cyclic ? order.Length : order.Length - size + 1;
        for (var s = 0; s < starts; s++)
        {
            yield return Enumerable.Range(s, size).Select(i => order[i % order.Length]).ToArray();
        }
    }

    /// <summary>
    /// The largest e (up to P - K - 1) such that the test holds for every count up to e; -1 when
    /// even e = 0 fails (the pass cannot be decoded in float64). Counts are searched in order.
    /// </summary>
    private static int Achieved<T>(LinearCode<T> code, double rounding, int redundancy, Func<int, bool> holds)
        where T : struct, IEquatable<T>, IFormattable
    {
        var best = -1;
        for (var e = 0; e <= Math.Max(redundancy - 1, 0); e++)
        {
            if (!holds(e))
            {
                break;
            }

            best = e;
        }

        return best;
    }

    /// <summary>
    /// Whether the decoding contract accepts a clean decode from the rows left after <paramref name="erring"/>
    /// fail, on nominal data (coefficients of unit scale, so a received column has norm ||G_R||_F):
    /// the estimate ||G_R||_F rounding (readout + 2 x margin x undetectable) within the success tolerance.
    /// </summary>
    private static bool Accepted<T>(LinearCode<T> code, IReadOnlyCollection<int> erring, double rounding)
        where T : struct, IEquatable<T>, IFormattable
    {
        var rows = ReceivedWord.Complement(code.Length, erring);
        if (rows.Count < code.Dimension + 1)
        {
            return false;
        }

        var system = code.System(rows);
        if (!system.Factored)
        {
            return false;
        }

        double norm = 0;
        foreach (var p in rows)
        {
            for (var t = 0; t < code.Dimension; t++)
            {
                norm += Kernels.Field.Abs2(code.Generator[p, t]);
            }
        }

        var columnNorm = Math.Sqrt(norm);
        var estimate = columnNorm * rounding * (system.ReadoutAmplification + (2 * DecodingTolerance.FloorMargin * system.UndetectableAmplification));
        return estimate <= DecodingTolerance.SuccessRelativeError;
    }
}
