using SoftErrorSim.Core.Decoding;
using SoftErrorSim.Core.Passes;

namespace SoftErrorSim.Core.Coding;

/// <summary>The facts of one pass of a configuration.</summary>
/// <param name="Threshold">Recovery threshold K of the code decoded in the pass.</param>
/// <param name="ToleranceAdversarial">Errors corrected whatever their values (bounded distance / majority).</param>
/// <param name="ToleranceProbabilistic">Errors corrected with probability one when their values are continuous random.</param>
/// <param name="WordsSentPerNode">Words a computing node sends in the pass: its output to each of the P-1 others (all-gather, no master).</param>
/// <param name="ConditionNumber">2-norm condition number of the decoding system on all outputs (null for comparison decoders).</param>
/// <param name="ConditionNumberClustered">The same on the K outputs of the most clustered evaluation points, the worst square subset (null when not a polynomial code).</param>
public sealed record PassReport(
    int Threshold,
    int ToleranceAdversarial,
    int ToleranceProbabilistic,
    long WordsSentPerNode,
    double? ConditionNumber,
    double? ConditionNumberClustered);

/// <summary>
/// The parameters of one configuration, as `codes` prints them (SPEC 7): thresholds per pass,
/// tolerances under both models, storage and communication per node, condition numbers.
/// Thresholds are in symbols of the decoded code: nodes (GPD), grid rows or columns (MDS), blocks
/// (replication and uncoded); tolerances are always in erring nodes.
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
    /// <summary>Whether any decoding system of the configuration is beyond float64 (condition number above the limit).</summary>
    public bool BeyondFloat64 =>
        new[] { Forward, Backward, MatMat }.Any(p => p is not null && (p.ConditionNumber > DecodingTolerance.MaxConditionNumber));

    /// <summary>Computes the report of a configuration with the given block sizes.</summary>
    public static CodeReport For(CodeConfiguration configuration, PassShape shape)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(shape);
        configuration.Validate();
        shape.Validate();
        var p = configuration.NodeCount;
        long forwardLength = shape.BlockRows;
        long backwardLength = shape.BlockCols;
        var storage = (long)shape.BlockRows * shape.BlockCols;
        switch (configuration.Scheme)
        {
            case SchemeKind.Gpd:
                {
                    var code = GeneralizedPolyDotCode.From(configuration);
                    var matmat = code.MatMatCode is null ? null : Linear(code.MatMatCode, p, (long)shape.BlockRows * shape.BatchBlockCols, p);
                    return new CodeReport(configuration, shape, "nodes", 1, storage, Linear(code.ForwardCode, p, forwardLength, p), Linear(code.BackwardCode, p, backwardLength, p), matmat);
                }

            case SchemeKind.Mds:
                {
                    var code = CodeNetMdsCode.From(configuration);
                    return new CodeReport(configuration, shape, "grid lines", 1, storage, Linear(code.RowCode, p, forwardLength, code.RowNodes), Linear(code.ColumnCode, p, backwardLength, code.ColumnNodes), null);
                }

            default:
                {
                    var r = ReplicationPass.Copies(configuration);
                    PassReport Compare(long length) => new(configuration.BlockCount, (r - 1) / 2, Math.Max(r - 2, 0), length * (p - 1), null, null);
                    return new CodeReport(configuration, shape, "blocks", r, storage, Compare(forwardLength), Compare(backwardLength), null);
                }
        }
    }

    private static PassReport Linear(RealLinearCode code, int nodeCount, long outputLength, int length)
    {
        var k = code.Dimension;
        var redundancy = length - k;
        var kappa = code.System(code.AllRows()).ConditionNumber;
        double? clustered = null;
        if (code.Points is not null)
        {
            // The K points packed closest together (a run of consecutive sorted points) give the
            // worst-conditioned square interpolation; report the worse of the two ends.
            var order = Enumerable.Range(0, code.Length).OrderBy(i => code.Points[i]).ToArray();
            var low = code.System(order.Take(k).Order().ToArray()).ConditionNumber;
            var high = code.System(order.Skip(code.Length - k).Order().ToArray()).ConditionNumber;
            clustered = Math.Max(low, high);
        }

        return new PassReport(k, redundancy / 2, Math.Max(redundancy - 1, 0), outputLength * (nodeCount - 1), kappa, clustered);
    }
}
