namespace SoftErrorSim.Cli.Tests;

/// <summary>
/// Seed and configuration to exact CSV bytes: any change of the random streams, of how a trial
/// draws them, or of a decoder's verdicts shows up here as a changed file, never silently. When a
/// change is intended, regenerate the files with the command lines below and say so in the commit.
/// </summary>
public class GoldenStreamTests
{
    public const string SweepLine = "sweep --schemes gpd,mds,replication,uncoded --nodes 12 --row-nodes 4 --col-nodes 4 --m 2 --n 2 --error-rate 0.1,0.3 --magnitude 0.5 --trials 300 --block-rows 8 --block-cols 8 --seed 20261130";

    /// <summary>A stratified sweep whose journal blocks (250 trials) cut across its strata: the strata's trials, streams and per-stratum tallies.</summary>
    public const string StratifiedLine = "sweep --schemes gpd,replication --nodes 12 --m 2 --n 2 --error-rate 0.02,0.1 --estimator stratified --trials 600 --block-rows 16 --block-cols 16 --checkpoint-every 250 --seed 20261130";

    public const string DecodeLine = "decode --nodes 12 --m 2 --n 2 --points chebyshev --error-model bitflip --errors 0:4 --trials 200 --block-rows 8 --block-cols 8 --seed 20261130";

    [Theory]
    [InlineData(SweepLine, "sweep.csv", "sweep-seed20261130.csv")]
    [InlineData(DecodeLine, "decode.csv", "decode-seed20261130.csv")]
    public void A_seed_and_a_configuration_give_exactly_the_committed_bytes(string line, string file, string golden)
    {
        var folder = CliRunner.TempFolder();
        var (exit, _, error) = CliRunner.Run($"{line} --threads 2 --out {folder}");
        Assert.True(exit == 0, error);
        var expected = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Golden", golden));
        Assert.Equal(expected, File.ReadAllBytes(Path.Combine(folder, file)));
    }

    [Fact]
    public void A_stratified_sweep_gives_exactly_the_committed_sweep_and_strata_bytes()
    {
        var folder = CliRunner.TempFolder();
        var (exit, _, error) = CliRunner.Run($"{StratifiedLine} --threads 2 --out {folder}");
        Assert.True(exit == 0, error);
        foreach (var (file, golden) in new[] { ("sweep.csv", "sweep-stratified-seed20261130.csv"), ("strata.csv", "strata-stratified-seed20261130.csv") })
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Golden", golden)), File.ReadAllBytes(Path.Combine(folder, file)));
        }
    }
}
