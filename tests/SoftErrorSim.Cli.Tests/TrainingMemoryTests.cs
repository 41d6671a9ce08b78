using System.Globalization;
using SoftErrorSim.Core.Training;

namespace SoftErrorSim.Cli.Tests;

/// <summary>Runs alone: it measures the process's live heap, which tests running beside it would inflate.</summary>
[CollectionDefinition("Live heap", DisableParallelization = true)]
public sealed class LiveHeapMeasurements;

/// <summary>
/// The training memory estimate against what runs really hold: the live heap between steps, and
/// the smallest heap a whole run fits in.
/// </summary>
[Collection("Live heap")]
public class TrainingMemoryTests
{
    /// <summary>A run whose weights dominate everything else it holds: about 250 MB.</summary>
    private const string Layers = "300,2000,2000,10";

    private static TrainingSettings Settings(TrainingScheme scheme) => new TrainingSettings
    {
        Scheme = scheme,
        Layers = [300, 2000, 2000, 10],
        TrainSamples = 8,
        TestSamples = 2,
        Rounds = 2,
        CheckpointEvery = 2,
        ErrorRate = 0,
        NodeCount = 8,
        RowNodes = scheme == TrainingScheme.Mds ? 3 : null,
        ColumnNodes = scheme == TrainingScheme.Mds ? 3 : null,
        Threads = 2,
    }.Validate();

    [Theory]
    [InlineData(TrainingScheme.Gpd)]
    [InlineData(TrainingScheme.Mds)]
    [InlineData(TrainingScheme.Replication)]
    [InlineData(TrainingScheme.Uncoded)]
    [InlineData(TrainingScheme.FaultFree)]
    public void Between_the_first_steps_the_live_heap_is_the_estimated_codes_checkpoint_and_shadow(TrainingScheme scheme)
    {
        var settings = Settings(scheme);
        var (train, test) = SyntheticDataset.Generate(10, 300, 10, 1).Split(8, 2, 1);
        var estimate = TrainingMemory.Estimate(settings, 0);
        var before = GC.GetTotalMemory(forceFullCollection: true);
        long peak = 0;

        // The first round's steps report before its evaluation: codes, checkpoint and shadow are what is held then.
        var progress = new Relay(p =>
        {
            if (p.SamplesDone < settings.SamplesPerRound)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true));
            }
        });
        CodedTraining.Run(settings, train, test, progress);

        // The heap without the run, measured again once it is over. A full collection also lets the
        // runtime trim what earlier tests left pooled (ArrayPool buffers unused for a minute); when
        // that happens after the first baseline, that baseline counts memory the run's measurements
        // no longer see (the CI run measured 0.879 for fault-free once), and when it happens after
        // the last measurement the second baseline misses memory they saw. Without a trim the two
        // agree (the run leaves only this thread's small decode buffers behind), so the check holds
        // the live heap to the estimate with whichever baseline saw the same pool as the run.
        var after = GC.GetTotalMemory(forceFullCollection: true);
        var held = estimate.Stored + estimate.Checkpoint + estimate.Shadow;
        var ratios = new[] { (double)(peak - before) / held, (double)(peak - after) / held };

        // Beyond the blocks the run holds only vectors of a step and the codes' small matrices (under 1% here);
        // the 5% above covers the other tests' leftovers a baseline may still count, and the 5% below
        // what a baseline counted that other tests' caches release during the run (the optimised
        // build's CI run measured 0.967 once for mds, where 0.99 had held in every earlier run).
        Assert.True(ratios.Any(r => r is >= 0.95 and <= 1.05), string.Create(CultureInfo.InvariantCulture, $"live heap / estimate {ratios[0]:0.000} (baseline before) or {ratios[1]:0.000} (after); peak {peak}, before {before}, after {after}, estimate {held} bytes"));
    }

    [Fact]
    [Trait("Category", "Process")]
    public void A_whole_run_fits_in_a_heap_capped_at_115_percent_of_its_estimate_and_is_refused_below_it()
    {
        var line = $"train --dataset synthetic --layers {Layers} --train-samples 8 --test-samples 2 --rounds 2 --checkpoint-every 2 --error-rate 0 --threads 2";
        var estimate = TrainingMemory.Estimate(Settings(TrainingScheme.Gpd), 10 * 300).PeakBytes;

        // Measured on the 2-core machine: the run needs 250 to 260 MiB of heap (runtime and command line included)
        // against an estimate of 247 MiB; the 15% cap leaves about 10% for the GC's own variation.
        var (fits, _, error) = ProcessRunner.Run($"{line} --out {CliRunner.TempFolder()}", Capped(estimate * 1.15));
        Assert.True(fits == 0, error);

        var folder = CliRunner.TempFolder();
        var (refused, _, reason) = ProcessRunner.Run($"{line} --out {folder}", Capped(estimate * 0.9));
        Assert.Equal(2, refused);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"train needs about {TrainCommand.Bytes(estimate)} of memory"), Assert.Single(CliRunner.Lines(reason)), StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    [Trait("Category", "Process")]
    public void A_million_wide_layer_is_refused_with_the_memory_it_needs_against_the_machines()
    {
        // The machine is made to have 4 GB (a heap limit), so that the refusal does not depend on where the test runs.
        var folder = CliRunner.TempFolder();
        var (exit, output, error) = ProcessRunner.Run($"train --layers 784,1000000,10 --out {folder}", Capped(4.0 * (1L << 30)));
        var estimate = TrainingMemory.Estimate(new TrainingSettings { Layers = [784, 1_000_000, 10] }, 10_000L * 784);
        var needs = estimate.PeakBytes;
        Assert.Equal(2, exit);
        Assert.Equal(string.Empty, output);
        Assert.Equal(
            $"error: train needs about {TrainCommand.Bytes(needs)} of memory for these --layers (stored blocks {TrainCommand.Bytes(estimate.Stored)}, checkpoint {TrainCommand.Bytes(estimate.Checkpoint)}, evaluation {TrainCommand.Bytes(estimate.Evaluation)}); this machine has 4.0 GB: use narrower --layers or fewer --nodes",
            Assert.Single(CliRunner.Lines(error)));

        // The first layer alone is 784 x 1e6 doubles, 6.3 GB: GPD on 8 nodes with m = n = 2 stores
        // it twice (12.5 GB), the reference copy once more, the checkpoint both again.
        Assert.Equal("12 GB", TrainCommand.Bytes(estimate.Stored));
        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public void The_estimate_grows_with_what_each_scheme_stores_and_never_overflows()
    {
        // GPD on P nodes stores P blocks of W/mn each, P/mn copies of W; replication stores floor(P/mn)
        // copies; every scheme keeps one plain reference copy (the shadow decodes are judged against).
        var w = 2000.0 * 2000 * 8;
        var gpd = TrainingMemory.Estimate(new TrainingSettings { Layers = [2000, 2000], NodeCount = 12 }, 0);
        var replication = TrainingMemory.Estimate(new TrainingSettings { Scheme = TrainingScheme.Replication, Layers = [2000, 2000], NodeCount = 12 }, 0);
        Assert.Equal(3 * w, gpd.Stored);
        Assert.Equal(w, gpd.Shadow);
        Assert.Equal(3 * w, replication.Stored);
        Assert.Equal(w, replication.Shadow);
        Assert.True(TrainingMemory.Estimate(new TrainingSettings { Layers = [int.MaxValue, int.MaxValue, int.MaxValue] }, long.MaxValue / 16).PeakBytes > 0);
    }

    private static Dictionary<string, string> Capped(double bytes) =>
        new() { ["DOTNET_GCHeapHardLimit"] = "0x" + ((long)bytes).ToString("X", CultureInfo.InvariantCulture) };

    private sealed class Relay(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
