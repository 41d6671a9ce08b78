// Over 300 lines: the training equivalence tests share one fixture of small networks and data.
using MathNet.Numerics.LinearAlgebra;
using SoftErrorSim.Core.Training;

namespace SoftErrorSim.Core.Tests.Training;

public class CodedTrainingTests
{
    private static readonly (Dataset Train, Dataset Test) Synthetic = SyntheticDataset.Generate(700, 20, 4, 5, spread: 0.35).Split(400, 300, 5);
    private static readonly (Dataset Train, Dataset Test) Mnist = MnistDataset.Load().Split(1000, 300, 3);

    private static TrainingSettings Small(TrainingScheme scheme) => new()
    {
        Scheme = scheme,
        Layers = [20, 16, 12, 4],
        LearningRate = 0.05,
        TrainSamples = 400,
        TestSamples = 300,
        Rounds = 4,
        NodeCount = 8,
        ErrorRate = 0,
        CheckpointEvery = 20,
    };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Fault_free_training_equals_plain_SGD_written_independently(bool codeNetStyle)
    {
        // CodeNet's style: biases, Glorot-normal weights, inputs scaled (pixels / 128 on MNIST).
        var settings = Small(TrainingScheme.FaultFree) with
        {
            Biases = codeNetStyle,
            Initialization = codeNetStyle ? WeightInitialization.GlorotNormal : WeightInitialization.HeNormal,
            InputScale = codeNetStyle ? 1.75 : 1,
            BackwardFirstLayer = codeNetStyle,
        };
        var engine = CodedTraining.Run(settings, Synthetic.Train, Synthetic.Test);

        // The oracle: textbook SGD with MathNet's own products and outer products; the Glorot scale
        // sqrt(2 / (fan_in + fan_out)) recomputed here from He's sqrt(2 / fan_in) draws of the same stream.
        var weights = CodedTraining.InitialWeights(settings.Layers, settings.Seed);
        if (codeNetStyle)
        {
            for (var l = 0; l < weights.Length; l++)
            {
                weights[l] *= Math.Sqrt(settings.Layers[l] / (double)(settings.Layers[l] + settings.Layers[l + 1]));
            }
        }

        var biases = weights.Select(w => Vector<double>.Build.Dense(w.RowCount)).ToArray();
        for (var round = 0; round < settings.Rounds; round++)
        {
            double loss = 0;
            for (var s = round * settings.SamplesPerRound; s < (round + 1) * settings.SamplesPerRound; s++)
            {
                var a = new List<Vector<double>> { Vector<double>.Build.DenseOfArray(Synthetic.Train.Inputs[s]) * settings.InputScale };
                var z = new List<Vector<double>>();
                for (var l = 0; l < weights.Length; l++)
                {
                    z.Add((weights[l] * a[^1]) + biases[l]);
                    a.Add(z[^1].Map(v => Math.Max(v, 0)));
                }

                var logits = z[^1];
                var label = Synthetic.Train.Labels[s];
                var exp = (logits - logits.Maximum()).PointwiseExp();
                loss -= Math.Log(exp[label] / exp.Sum());
                var delta = (exp / exp.Sum()) - Vector<double>.Build.Dense(logits.Count, k => k == label ? 1 : 0);
                var deltas = new Vector<double>[weights.Length];
                deltas[^1] = delta;
                for (var l = weights.Length - 1; l >= 1; l--)
                {
                    var zl = z[l - 1];
                    deltas[l - 1] = weights[l].TransposeThisAndMultiply(deltas[l]).MapIndexed((i, g) => zl[i] > 0 ? g : 0);
                }

                for (var l = 0; l < weights.Length; l++)
                {
                    weights[l] -= settings.LearningRate * deltas[l].OuterProduct(a[l]);
                    if (codeNetStyle)
                    {
                        biases[l] -= settings.LearningRate * deltas[l];
                    }
                }
            }

            // Same operations in another order (MathNet's loops against the span kernels): agreement to 1e-9 relative.
            Assert.Equal(loss / settings.SamplesPerRound, engine.Rows[round].Loss, 1e-9 * Math.Max(1, loss / settings.SamplesPerRound));
        }

        var (testLoss, accuracy) = Network.Evaluate(weights, Synthetic.Test, settings.TestSamples, biases.Select(b => b.ToArray()).ToArray(), settings.InputScale);
        Assert.Equal(accuracy, engine.Rows[^1].TestAccuracy);
        Assert.Equal(testLoss, engine.Rows[^1].TestLoss, 1e-9);
        Assert.True(engine.Rows[^1].TestAccuracy > 0.8, "the synthetic task is learnt");
    }

    [Fact]
    public void Batches_are_minibatch_SGD_and_gpd_codes_them_with_the_matrix_matrix_code()
    {
        // B = 4 in d = 2 groups: K_mm = mnd + n - 1 = 9 for m = n = 2, so P = 10.
        var batch = Small(TrainingScheme.FaultFree) with { Batch = 4, BatchSplit = 2, NodeCount = 10, LearningRate = 0.1 };
        var reference = CodedTraining.Run(batch, Synthetic.Train, Synthetic.Test);

        // The oracle: textbook minibatch SGD on the mean loss of each batch of 4.
        var weights = CodedTraining.InitialWeights(batch.Layers, batch.Seed);
        double loss = 0;
        for (var first = 0; first < batch.SamplesPerRound; first += 4)
        {
            var gradients = weights.Select(w => Matrix<double>.Build.Dense(w.RowCount, w.ColumnCount)).ToArray();
            for (var s = first; s < first + 4; s++)
            {
                var a = new List<Vector<double>> { Vector<double>.Build.DenseOfArray(Synthetic.Train.Inputs[s]) };
                var z = new List<Vector<double>>();
                foreach (var w in weights)
                {
                    z.Add(w * a[^1]);
                    a.Add(z[^1].Map(v => Math.Max(v, 0)));
                }

                var label = Synthetic.Train.Labels[s];
                var exp = (z[^1] - z[^1].Maximum()).PointwiseExp();
                loss -= Math.Log(exp[label] / exp.Sum());
                var delta = (exp / exp.Sum()) - Vector<double>.Build.Dense(exp.Count, k => k == label ? 1 : 0);
                for (var l = weights.Length - 1; l >= 0; l--)
                {
                    gradients[l] += delta.OuterProduct(a[l]) / 4;
                    if (l > 0)
                    {
                        var zl = z[l - 1];
                        delta = weights[l].TransposeThisAndMultiply(delta).MapIndexed((i, g) => zl[i] > 0 ? g : 0);
                    }
                }
            }

            for (var l = 0; l < weights.Length; l++)
            {
                weights[l] -= batch.LearningRate * gradients[l];
            }
        }

        Assert.Equal(loss / batch.SamplesPerRound, reference.Rows[0].Loss, 1e-9);

        var gpd = CodedTraining.Run(batch with { Scheme = TrainingScheme.Gpd }, Synthetic.Train, Synthetic.Test);
        Assert.Equal(9, gpd.ForwardThreshold);
        Assert.All(gpd.Rows.Zip(reference.Rows), pair => Assert.Equal(pair.Second.Loss, pair.First.Loss, 1e-8));
        Assert.Equal(0, gpd.Rows[^1].Repairs + gpd.Rows[^1].Rollbacks + gpd.Rows[^1].Miscorrected);

        // With transient product faults the matrix-matrix decodes correct them: P = 12 holds up to
        // P - K_mm - 1 = 2 erring nodes per forward decode (P = 10 would only detect).
        var faulty = CodedTraining.Run(batch with { Scheme = TrainingScheme.Gpd, NodeCount = 12, ErrorRate = 0.01, Fault = FaultKind.Gaussian, Steps = FaultSteps.Product }, Synthetic.Train, Synthetic.Test);
        var last = faulty.Rows[^1];
        Assert.True(last.Corrected > 5, $"{last.Corrected} corrected");
        Assert.Equal(0, last.Miscorrected);
        Assert.Equal(reference.Rows[^1].Loss, last.Loss, 1e-8);
    }

    [Theory]
    [InlineData(TrainingScheme.Gpd)]
    [InlineData(TrainingScheme.Replication)]
    [InlineData(TrainingScheme.Uncoded)]
    public void At_error_rate_zero_every_scheme_follows_the_fault_free_trajectory(TrainingScheme scheme)
    {
        var reference = CodedTraining.Run(Small(TrainingScheme.FaultFree), Synthetic.Train, Synthetic.Test);
        var coded = CodedTraining.Run(Small(scheme), Synthetic.Train, Synthetic.Test);
        Assert.Equal(reference.Rows.Count, coded.Rows.Count);
        for (var round = 0; round < coded.Rows.Count; round++)
        {
            // GPD decodes by least squares on systems of condition number ~20: each decoded value
            // carries ~20 x 1e-16 relative error, and 400 SGD steps keep the drift far below 1e-8.
            Assert.Equal(reference.Rows[round].Loss, coded.Rows[round].Loss, 1e-8);
            Assert.Equal(reference.Rows[round].TestAccuracy, coded.Rows[round].TestAccuracy);
        }

        Assert.Equal(0, coded.Rows[^1].Detected + coded.Rows[^1].Miscorrected + coded.Rows[^1].Repairs + coded.Rows[^1].Rollbacks);
        Assert.Equal(coded.Rows[^1].Decodes, coded.Rows[^1].Clean);
    }

    [Fact]
    public void CodeNet_training_follows_the_fault_free_trajectory_with_and_without_faults()
    {
        var reference = CodedTraining.Run(Small(TrainingScheme.FaultFree), Synthetic.Train, Synthetic.Test);
        var mds = Small(TrainingScheme.Mds) with { RowNodes = 4, ColumnNodes = 4 };
        var clean = CodedTraining.Run(mds, Synthetic.Train, Synthetic.Test);
        Assert.Equal(reference.Rows[^1].Loss, clean.Rows[^1].Loss, 1e-8);
        Assert.Equal(0, clean.Rows[^1].Repairs + clean.Rows[^1].Rollbacks);

        // (4, 2) line codes: one erring grid line per decode is located and its nodes repaired.
        var faulty = CodedTraining.Run(mds with { ErrorRate = 0.005, Fault = FaultKind.Gaussian, Steps = FaultSteps.Product | FaultSteps.Update }, Synthetic.Train, Synthetic.Test);
        var last = faulty.Rows[^1];
        Assert.True(last.FaultsInjected > 20 && last.Corrected > 0 && last.Repairs > 0, $"{last.FaultsInjected} faults, {last.Corrected} corrected, {last.Repairs} repairs");
        Assert.Equal(0, last.Miscorrected);
        Assert.Equal(reference.Rows[^1].Loss, last.Loss, 1e-8);
        Assert.Equal(12, faulty.NodeCount);
    }

    [Fact]
    public void Gpd_corrects_every_transient_product_fault_with_one_repair_each_and_never_rolls_back()
    {
        // P = 12, m = n = 2: K_fwd = 5 and K_bwd = 6, so probability-one decoding holds 5 errors
        // per decode; at eps = 0.01 two errors in one decode already have probability ~0.6%.
        var settings = Small(TrainingScheme.Gpd) with { NodeCount = 12, ErrorRate = 0.01, Fault = FaultKind.Gaussian, Steps = FaultSteps.Product };
        var run = CodedTraining.Run(settings, Synthetic.Train, Synthetic.Test);
        var last = run.Rows[^1];
        Assert.True(last.FaultsInjected > 50, $"{last.FaultsInjected} faults");
        Assert.Equal(last.FaultsInjected, last.Repairs);
        Assert.Equal(0, last.Rollbacks + last.Detected + last.Miscorrected);
        Assert.InRange(last.Corrected, (last.FaultsInjected + 4) / 5, last.FaultsInjected);
        var reference = CodedTraining.Run(Small(TrainingScheme.FaultFree), Synthetic.Train, Synthetic.Test);
        Assert.Equal(reference.Rows[^1].Loss, last.Loss, 1e-8);
    }

    [Fact]
    public void Replication_with_two_copies_rolls_back_on_every_disagreement_and_still_learns_exactly()
    {
        var settings = Small(TrainingScheme.Replication) with { ErrorRate = 0.002, Fault = FaultKind.Gaussian, Steps = FaultSteps.Product };
        var run = CodedTraining.Run(settings, Synthetic.Train, Synthetic.Test);
        var last = run.Rows[^1];
        Assert.Null(run.Stopped);
        Assert.True(last.Rollbacks > 0);
        Assert.Equal(last.Detected, last.Rollbacks);
        Assert.InRange(last.Rollbacks, 1, last.FaultsInjected);
        Assert.Equal(0, last.Miscorrected);
        var reference = CodedTraining.Run(Small(TrainingScheme.FaultFree), Synthetic.Train, Synthetic.Test);
        Assert.Equal(reference.Rows[^1].Loss, last.Loss, 1e-12);
    }

    [Theory]
    [InlineData(FaultSteps.Decode)]
    [InlineData(FaultSteps.Activation)]
    [InlineData(FaultSteps.Encode)]
    public void A_fault_in_one_nodes_forward_step_is_caught_and_corrected_at_the_next_decode(FaultSteps step)
    {
        // Strike node 3 once, in sample 7, in layer 0's forward step. A spoilt encoding errs in
        // layer 0's own product; a spoilt decode or activation copy errs in layer 1's product.
        // Gaussian faults move every entry (a sparse one can be masked by the ReLU, and is then harmless).
        var run = CodedTraining.Run(Small(TrainingScheme.Gpd) with { Fault = FaultKind.Gaussian }, Synthetic.Train, Synthetic.Test, site =>
            site is { Sample: 7, Layer: 0, Forward: true, Node: 3 } && site.Step == step);
        Assert.Equal(1, run.Rows[^1].FaultsInjected);
        Assert.Equal(new BlameEvent(7, step == FaultSteps.Encode ? 0 : 1, true, [3]), run.Blames[0], BlameComparer);
        AssertHealed(run, FaultSteps.Encode == step ? 1 : 3);
    }

    [Fact]
    public void A_fault_in_one_nodes_Hadamard_product_is_corrected_at_the_next_backward_decode()
    {
        // Backward through layer 2 gives layer 1's delta; node 5's Hadamard goes wrong, so its
        // encoded delta for layer 1's transposed product errs, and that decode blames it.
        var run = CodedTraining.Run(Small(TrainingScheme.Gpd) with { Fault = FaultKind.Gaussian }, Synthetic.Train, Synthetic.Test, site =>
            site is { Sample: 11, Layer: 2, Forward: false, Node: 5, Step: FaultSteps.Hadamard });
        Assert.Equal(1, run.Rows[^1].FaultsInjected);
        Assert.Equal(new BlameEvent(11, 1, false, [5]), run.Blames[0], BlameComparer);
        AssertHealed(run, 3);
    }

    private static readonly IEqualityComparer<BlameEvent> BlameComparer = EqualityComparer<BlameEvent>.Create(
        (a, b) => a!.Sample == b!.Sample && a.Layer == b.Layer && a.Forward == b.Forward && a.Nodes.SequenceEqual(b.Nodes),
        e => e.Sample);

    /// <summary>
    /// The spoilt copy also fed the node's own update, so its stored block is corrupted too: the
    /// following decodes blame that node again (at most once per layer it fed) and repair it; every
    /// blame is the struck node, every one is corrected, nothing is rolled back, and the run ends
    /// exactly on the fault-free trajectory.
    /// </summary>
    private static void AssertHealed(TrainingResult run, int maxBlames)
    {
        var last = run.Rows[^1];
        var node = run.Blames[0].Nodes[0];
        Assert.All(run.Blames, b => Assert.Equal([node], b.Nodes));
        Assert.InRange(run.Blames.Count, 1, maxBlames);
        Assert.Equal(run.Blames.Count, last.Corrected);
        Assert.Equal(run.Blames.Count, last.Repairs);
        Assert.Equal(0, last.Rollbacks + last.Miscorrected + last.Detected);
        var reference = CodedTraining.Run(Small(TrainingScheme.FaultFree), Synthetic.Train, Synthetic.Test);
        Assert.Equal(reference.Rows[^1].Loss, last.Loss, 1e-8);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void Under_CodeNet_faults_gpd_keeps_fault_free_accuracy_uncoded_is_hurt_replication_pays_in_rollbacks()
    {
        // The CodeNet setting scaled down: MNIST, 784-64-64-10, 1000 samples in 5 rounds, sparse-weight
        // faults in products and updates, eps = 1e-3 per node per step.
        TrainingSettings Setting(TrainingScheme scheme) => new()
        {
            Scheme = scheme,
            Layers = [784, 64, 64, 10],
            TrainSamples = 1000,
            TestSamples = 300,
            Rounds = 5,
            NodeCount = 8,
            ErrorRate = 1e-3,
            CheckpointEvery = 25,
            LearningRate = 0.01,
        };

        var reference = CodedTraining.Run(Setting(TrainingScheme.FaultFree), Mnist.Train, Mnist.Test).Rows[^1];
        var gpd = CodedTraining.Run(Setting(TrainingScheme.Gpd), Mnist.Train, Mnist.Test).Rows[^1];
        var uncoded = CodedTraining.Run(Setting(TrainingScheme.Uncoded), Mnist.Train, Mnist.Test).Rows[^1];
        var replication = CodedTraining.Run(Setting(TrainingScheme.Replication), Mnist.Train, Mnist.Test).Rows[^1];
        Assert.True(reference.TestAccuracy > 0.75, $"fault-free reaches {reference.TestAccuracy}");
        Assert.InRange(gpd.TestAccuracy, reference.TestAccuracy - 0.02, 1);
        Assert.True(gpd.FaultsInjected > 20 && gpd.Repairs >= gpd.FaultsInjected - gpd.Rollbacks, $"{gpd.FaultsInjected} faults, {gpd.Repairs} repairs, {gpd.Rollbacks} rollbacks");
        Assert.Equal(0, gpd.Miscorrected);
        Assert.True(uncoded.TestAccuracy < reference.TestAccuracy - 0.05, $"uncoded {uncoded.TestAccuracy} vs {reference.TestAccuracy}");
        Assert.True(uncoded.Miscorrected > 0);
        Assert.True(replication.Rollbacks > 10, $"{replication.Rollbacks} rollbacks");
        Assert.InRange(replication.TestAccuracy, reference.TestAccuracy - 0.02, 1);
        Assert.True(replication.SimulatedSeconds > gpd.SimulatedSeconds);
    }
}
