namespace SoftErrorSim.Core.Training;

/// <summary>
/// The memory a training run (<see cref="CodedTraining.Run(TrainingSettings, Dataset, Dataset, IProgress{TrainingProgress}?, CancellationToken)"/>)
/// needs, estimated from its settings before anything is allocated, so that a run that cannot fit
/// is refused instead of growing until the machine swaps or kills it. All sizes in bytes of 8-byte
/// doubles. Each layer's W (rows x cols) is zero-padded to multiples of m and n and cut into
/// blocks of (padded rows / m) x (padded cols / n); what the run holds, by what allocates it:
/// <list type="bullet">
/// <item><see cref="Stored"/>: one block per storing node and layer (GPD and CodeNet: every node;
/// replication: floor(P/mn) copies of the mn blocks; uncoded and fault-free: the mn blocks).</item>
/// <item><see cref="Checkpoint"/>: one copy of the stored blocks and of the shadow (the run keeps one checkpoint buffer).</item>
/// <item><see cref="Shadow"/>: the plain W of every layer, kept beside the code by every scheme (the
/// decode oracle, updated in the same pass as its backward product); it is the initial W itself,
/// which every scheme copies its blocks out of.</item>
/// <item><see cref="Evaluation"/>: after every round the test samples go through the layers one at
/// a time, each layer read block by block as the nodes hold it (CodedLayer.MultiplyReconstructed):
/// two blocks (a rebuilt block and its saved original) and the activations of every test sample
/// at the layer's input and output, never a reconstructed copy of W.</item>
/// <item><see cref="Construction"/>: while the codes are built, the layer being encoded also has its
/// padded copy (when padding is needed) and its mn cut-out blocks.</item>
/// </list>
/// The peak is the larger of building (the initial weights, transients, the codes built so far) and
/// running (codes, checkpoint, shadow, evaluation buffers), plus the data.
/// </summary>
/// <param name="Stored">Bytes of every node's stored blocks.</param>
/// <param name="Checkpoint">Bytes of the checkpoint copy of the stored blocks and shadows.</param>
/// <param name="Shadow">Bytes of the shadows (plain weights).</param>
/// <param name="Evaluation">Bytes of one evaluation: two blocks and the activations of the test samples.</param>
/// <param name="Construction">Bytes alive only while the codes are built, beyond the codes themselves.</param>
/// <param name="Data">Bytes of the data set's samples.</param>
public sealed record TrainingMemory(long Stored, long Checkpoint, long Shadow, long Evaluation, long Construction, long Data)
{
    private const long Word = sizeof(double);

    /// <summary>The estimated peak: the larger of building and running, plus the data.</summary>
    public long PeakBytes => Math.Max(Stored + Shadow + Construction, Stored + Checkpoint + Shadow + Evaluation) + Data;

    /// <summary>
    /// Estimates the run of <paramref name="settings"/> (which need not be valid beyond positive
    /// widths and splits) on a data set of <paramref name="dataValues"/> doubles in all.
    /// </summary>
    public static TrainingMemory Estimate(TrainingSettings settings, long dataValues)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentOutOfRangeException.ThrowIfNegative(dataValues);
        // In doubles: absurd widths (--layers 2000000000,...) must give a huge number, not an overflow.
        var (m, n) = ((double)settings.RowSplit, (double)settings.ColumnSplit);
        var storingNodes = settings.Scheme switch
        {
            TrainingScheme.Gpd or TrainingScheme.Mds => settings.Code.NodeCount,
            TrainingScheme.Replication => Math.Floor(settings.NodeCount / (m * n)) * m * n,
            _ => m * n,
        };
        double stored = 0, shadow = 0, block = 0, width = settings.Layers.Count == 0 ? 0 : settings.Layers.Max(), transient = 0;
        for (var l = 0; l + 1 < settings.Layers.Count; l++)
        {
            var (rows, cols) = ((double)settings.Layers[l + 1], (double)settings.Layers[l]);
            var paddedRows = Math.Ceiling(rows / m) * m;
            var paddedCols = Math.Ceiling(cols / n) * n;
            var padded = paddedRows * paddedCols;
            stored += storingNodes * (paddedRows / m) * (paddedCols / n);
            shadow += rows * cols;
            block = Math.Max(block, padded / (m * n));

            // Encoding one layer: its padded copy (when padding is needed) and the mn blocks cut out of it.
            var encoding = (padded != rows * cols ? padded : 0) + (settings.Scheme is TrainingScheme.Gpd or TrainingScheme.Mds ? padded : 0);
            transient = Math.Max(transient, encoding);
        }

        var evaluation = (2 * block) + (2 * width * Math.Max(settings.TestSamples, 0));
        return new TrainingMemory(Bytes(stored), Bytes(stored + shadow), Bytes(shadow), Bytes(evaluation), Bytes(transient), Bytes(dataValues));
    }

    /// <summary>Saturates at an eighth of long's range so that the peak, a sum of at most five parts, cannot overflow.</summary>
    private static long Bytes(double words) => (long)Math.Min(words * Word, long.MaxValue / 8);
}
