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
        ArgumentNullException.ThrowIfNull(data);
        double loss = 0;
        var correct = 0;
        for (var s = 0; s < samples; s++)
        {
            var input = inputScale == 1 ? data.Inputs[s] : data.Inputs[s].Select(v => v * inputScale).ToArray();
            var logits = Logits(weights, input, biases);
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
}
