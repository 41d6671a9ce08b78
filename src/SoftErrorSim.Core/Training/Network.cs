using MathNet.Numerics.LinearAlgebra;
using SoftErrorSim.Core.Kernels;
using SoftErrorSim.Core.Randomness;

namespace SoftErrorSim.Core.Training;

/// <summary>
/// The network maths of SPEC 5, independent of how it is distributed: a multilayer perceptron
/// with ReLU hidden layers and softmax cross-entropy, its initial weights, and its evaluation.
/// </summary>
public static class Network
{
    /// <summary>The initial weights every scheme of a comparison starts from, from the seed alone (He-normal by default).</summary>
    public static Matrix<double>[] InitialWeights(IReadOnlyList<int> layers, ulong seed, WeightInitialization initialization = WeightInitialization.HeNormal)
    {
        ArgumentNullException.ThrowIfNull(layers);
        return Enumerable.Range(0, layers.Count - 1).Select(l =>
        {
            var random = StreamKey.Source(seed, StreamKey.Hash("initial-weights"), (ulong)l);
            var scale = initialization == WeightInitialization.GlorotNormal
                ? Math.Sqrt(2.0 / (layers[l] + layers[l + 1]))
                : Math.Sqrt(2.0 / layers[l]);
            var values = new double[layers[l + 1] * layers[l]];
            random.FillGaussian(values);
            for (var i = 0; i < values.Length; i++)
            {
                values[i] *= scale;
            }

            return Matrix<double>.Build.Dense(layers[l + 1], layers[l], values);
        }).ToArray();
    }

    /// <summary>The network's logits for one input with plain weights (and biases, when given): ReLU between layers, none at the end.</summary>
    public static double[] Logits(IReadOnlyList<Matrix<double>> weights, double[] input, IReadOnlyList<double[]>? biases = null)
    {
        ArgumentNullException.ThrowIfNull(weights);
        var activation = input;
        for (var l = 0; l < weights.Count; l++)
        {
            var output = new double[weights[l].RowCount];
            BlockProducts.Multiply(weights[l], activation, output);
            if (biases is not null)
            {
                DenseKernels.AddScaled(output, biases[l], 1);
            }

            activation = l < weights.Count - 1 ? Relu(output) : output;
        }

        return activation;
    }

    /// <summary>Softmax cross-entropy of logits against a class, computed stably.</summary>
    public static double CrossEntropy(ReadOnlySpan<double> logits, int label)
    {
        var max = double.NegativeInfinity;
        foreach (var z in logits)
        {
            max = Math.Max(max, z);
        }

        double sum = 0;
        foreach (var z in logits)
        {
            sum += Math.Exp(z - max);
        }

        return -(logits[label] - max - Math.Log(sum));
    }

    /// <summary>softmax(z) - onehot(label): the gradient of the cross-entropy with respect to the logits.</summary>
    public static double[] OutputGradient(ReadOnlySpan<double> logits, int label)
    {
        var max = double.NegativeInfinity;
        foreach (var z in logits)
        {
            max = Math.Max(max, z);
        }

        var gradient = new double[logits.Length];
        double sum = 0;
        for (var k = 0; k < logits.Length; k++)
        {
            gradient[k] = Math.Exp(logits[k] - max);
            sum += gradient[k];
        }

        for (var k = 0; k < gradient.Length; k++)
        {
            gradient[k] /= sum;
        }

        gradient[label] -= 1;
        return gradient;
    }

    /// <summary>max(0, z) entrywise.</summary>
    public static double[] Relu(double[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return values.Select(v => v > 0 ? v : 0).ToArray();
    }

    /// <summary>g * relu'(z) entrywise (relu'(z) = 1 for z &gt; 0, else 0).</summary>
    public static double[] ReluBackward(double[] gradient, double[] preActivation)
    {
        ArgumentNullException.ThrowIfNull(gradient);
        ArgumentNullException.ThrowIfNull(preActivation);
        return gradient.Select((g, i) => preActivation[i] > 0 ? g : 0).ToArray();
    }

    /// <summary>Test loss and accuracy of plain weights (and biases) on a data set whose inputs are multiplied by <paramref name="inputScale"/>.</summary>
    public static (double Loss, double Accuracy) Evaluate(IReadOnlyList<Matrix<double>> weights, Dataset data, int samples, IReadOnlyList<double[]>? biases = null, double inputScale = 1)
    {
        ArgumentNullException.ThrowIfNull(weights);
        return Evaluate(weights.Select(w => new EvaluationLayer(w.RowCount, w.ColumnCount, (x, count, y) => MultiplyAll(w, x, count, y))).ToArray(), data, samples, biases, inputScale);
    }

    /// <summary>
    /// Test loss and accuracy of a network whose layers are given as products of all samples at
    /// once (layer after layer, so that a layer held in pieces is read once per evaluation, not
    /// once per sample): bit for bit the per-sample <see cref="Logits"/> with the same weights.
    /// </summary>
    public static (double Loss, double Accuracy) Evaluate(IReadOnlyList<EvaluationLayer> layers, Dataset data, int samples, IReadOnlyList<double[]>? biases = null, double inputScale = 1)
    {
        ArgumentNullException.ThrowIfNull(layers);
        ArgumentNullException.ThrowIfNull(data);
        var width = layers[0].Cols;
        var activation = new double[width * samples];
        for (var s = 0; s < samples; s++)
        {
            var input = data.Inputs[s];
            var target = activation.AsSpan(s * width, width);
            for (var i = 0; i < width; i++)
            {
                target[i] = inputScale == 1 ? input[i] : input[i] * inputScale;
            }
        }

        for (var l = 0; l < layers.Count; l++)
        {
            var rows = layers[l].Rows;
            var output = new double[rows * samples];
            layers[l].Multiply(activation, samples, output);
            for (var s = 0; s < samples; s++)
            {
                var z = output.AsSpan(s * rows, rows);
                if (biases is not null)
                {
                    DenseKernels.AddScaled(z, biases[l], 1);
                }

                if (l < layers.Count - 1)
                {
                    for (var i = 0; i < z.Length; i++)
                    {
                        z[i] = z[i] > 0 ? z[i] : 0;
                    }
                }
            }

            activation = output;
        }

        var classes = layers[^1].Rows;
        double loss = 0;
        var correct = 0;
        for (var s = 0; s < samples; s++)
        {
            var logits = activation.AsSpan(s * classes, classes);
            loss += CrossEntropy(logits, data.Labels[s]);
            var best = 0;
            for (var k = 1; k < logits.Length; k++)
            {
                if (logits[k] > logits[best])
                {
                    best = k;
                }
            }

            correct += best == data.Labels[s] ? 1 : 0;
        }

        return (loss / samples, (double)correct / samples);
    }

    /// <summary>outputs = W inputs for <paramref name="samples"/> vectors, one read of W for all of them.</summary>
    public static void MultiplyAll(Matrix<double> weights, double[] inputs, int samples, double[] outputs)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(outputs);
        Array.Clear(outputs);
        FusedProducts.MultiplyBlockInto(weights.AsColumnMajorArray() ?? weights.ToColumnMajorArray(), weights.RowCount, weights.RowCount, weights.ColumnCount, 0, 0, inputs, weights.ColumnCount, outputs, weights.RowCount, samples);
    }
}

/// <summary>One layer of an evaluation: W's shape and the product of all samples with it (<see cref="Network.Evaluate(IReadOnlyList{EvaluationLayer}, Dataset, int, IReadOnlyList{double[]}?, double)"/>).</summary>
/// <param name="Rows">Rows of W (outputs per sample).</param>
/// <param name="Cols">Columns of W (inputs per sample).</param>
/// <param name="Multiply">outputs = W inputs for the given number of samples, vectors one after another.</param>
public sealed record EvaluationLayer(int Rows, int Cols, Action<double[], int, double[]> Multiply);
