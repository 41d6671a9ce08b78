using SoftErrorSim.Core.Training;

namespace SoftErrorSim.Core.Tests.Training;

public class NodeSpeedTests
{
    private static double SimulatedSeconds(IReadOnlyList<double>? speeds)
    {
        var settings = new TrainingSettings
        {
            Scheme = TrainingScheme.Gpd,
            Layers = [12, 10, 4],
            TrainSamples = 40,
            TestSamples = 10,
            Rounds = 2,
            NodeCount = 10,
            ErrorRate = 0,
            CheckpointEvery = 20,
            Cost = new CostModel { NodeFlopsPerSecond = speeds },
        };
        var (train, test) = SyntheticDataset.Generate(50, 12, 4, 1).Split(40, 10, 1);
        return CodedTraining.Run(settings.Validate(), train, test).Rows[^1].SimulatedSeconds;
    }

    [Fact]
    public void Equal_speeds_give_exactly_the_single_speed_time_and_a_step_waits_for_the_slowest_node()
    {
        var plain = SimulatedSeconds(null);

        // Equal speeds: the same divisions, bit for bit (SimulatedTimeTests holds the closed form for it).
        Assert.Equal(plain, SimulatedSeconds(Enumerable.Repeat(1e9, 10).ToArray()));

        // One node at half speed costs what every node at half speed costs: the step waits for it.
        var oneSlow = Enumerable.Repeat(1e9, 10).ToArray();
        oneSlow[7] = 5e8;
        var allSlow = SimulatedSeconds(Enumerable.Repeat(5e8, 10).ToArray());
        Assert.Equal(allSlow, SimulatedSeconds(oneSlow));

        // T(s) = A + C / s: halving the speed again adds twice what the first halving added (sums of a few hundred terms: 1e-9 relative).
        var quarter = SimulatedSeconds(Enumerable.Repeat(2.5e8, 10).ToArray());
        Assert.True(allSlow > plain);
        Assert.Equal(2, (quarter - allSlow) / (allSlow - plain), 1e-9);
    }

    [Fact]
    public void A_speed_list_of_the_wrong_length_or_a_zero_speed_is_refused()
    {
        var settings = new TrainingSettings { Scheme = TrainingScheme.Gpd, NodeCount = 10, Layers = [12, 10, 4], TrainSamples = 40, TestSamples = 10, Rounds = 2 };
        Assert.Throws<ArgumentException>(() => (settings with { Cost = new CostModel { NodeFlopsPerSecond = [1e9, 1e9] } }).Validate());
        Assert.Throws<ArgumentException>(() => (settings with { Cost = new CostModel { NodeFlopsPerSecond = Enumerable.Repeat(0.0, 10).ToArray() } }).Validate());
    }
}
