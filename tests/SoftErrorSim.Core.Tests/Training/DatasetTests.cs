using SoftErrorSim.Core.Training;

namespace SoftErrorSim.Core.Tests.Training;

public class DatasetTests
{
    [Fact]
    public void The_shipped_MNIST_digits_match_the_facts_of_their_conversion()
    {
        // Facts computed from the converted file by the conversion's own verifier (Training/Data/README.md).
        var mnist = MnistDataset.Load();
        Assert.Equal(10_000, mnist.Count);
        Assert.Equal(784, mnist.Features);
        Assert.Equal([1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978], Enumerable.Range(0, 10).Select(d => mnist.Labels.Count(l => l == d)));
        Assert.Equal(31_095, Math.Round(mnist.Inputs[0].Sum() * 255));
        Assert.Equal(35_433, Math.Round(mnist.Inputs[1].Sum() * 255));
        Assert.Equal(19_255, Math.Round(mnist.Inputs[9999].Sum() * 255));
        Assert.Equal(9, mnist.Labels[9999]);
        Assert.Equal(262_146_600, Math.Round(mnist.Inputs.Sum(x => x.Sum()) * 255));
        Assert.All(mnist.Inputs, x => Assert.All(x, v => Assert.InRange(v, 0, 1)));
    }

    [Fact]
    public void Splits_are_disjoint_seeded_and_mix_the_classes()
    {
        var mnist = MnistDataset.Load();
        var (train, test) = mnist.Split(2000, 500, 7);
        var again = mnist.Split(2000, 500, 7).Train;
        Assert.Equal(train.Labels, again.Labels);
        Assert.Empty(train.Inputs.Intersect(test.Inputs, ReferenceEqualityComparer.Instance));
        Assert.All(Enumerable.Range(0, 10), d => Assert.InRange(train.Labels.Count(l => l == d), 120, 290));
        Assert.NotEqual(train.Labels, mnist.Split(2000, 500, 8).Train.Labels);
        Assert.Throws<ArgumentException>(() => mnist.Split(9000, 1001, 1));
    }

    [Fact]
    public void Synthetic_data_is_reproducible_and_has_every_class()
    {
        var a = SyntheticDataset.Generate(300, 12, 4, 3);
        var b = SyntheticDataset.Generate(300, 12, 4, 3);
        Assert.Equal(a.Labels, b.Labels);
        Assert.Equal(a.Inputs[17], b.Inputs[17]);
        Assert.All(Enumerable.Range(0, 4), c => Assert.Contains(c, a.Labels));
    }
}
