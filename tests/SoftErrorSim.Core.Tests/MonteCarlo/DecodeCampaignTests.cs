using SoftErrorSim.Core.Coding;
using SoftErrorSim.Core.Faults;
using SoftErrorSim.Core.MonteCarlo;

namespace SoftErrorSim.Core.Tests.MonteCarlo;

public class DecodeCampaignTests
{
    private static DecodeCampaignSettings Settings(int threads) => new()
    {
        Code = new CodeConfiguration { Scheme = SchemeKind.Gpd, NodeCount = 10, RowSplit = 2, ColumnSplit = 2 },
        Shape = new(8, 8),
        Model = new ErrorValueModel { Kind = ErrorModelKind.BitFlip },
        MinErrors = 0,
        MaxErrors = 10,
        Trials = 300,
        Seed = 77,
        Threads = threads,
    };

    [Fact]
    public void One_thread_and_two_threads_give_identical_counts()
    {
        var one = DecodeCampaign.Run(Settings(1));
        var two = DecodeCampaign.Run(Settings(2));
        Assert.Equal(one.Rows, two.Rows);
        Assert.Equal(one.DetectionReasons, two.DetectionReasons);
    }

    [Fact]
    public void A_different_seed_gives_different_draws()
    {
        var a = DecodeCampaign.Run(Settings(1));
        var b = DecodeCampaign.Run(Settings(1) with { Seed = 78 });
        Assert.NotEqual(a.Rows.Select(r => r.Counts), b.Rows.Select(r => r.Counts));
    }

    [Fact]
    public void Zero_errors_give_only_clean_decodes_for_every_scheme()
    {
        var codes = new[]
        {
            new CodeConfiguration { Scheme = SchemeKind.Gpd, NodeCount = 9, RowSplit = 2, ColumnSplit = 2 },
            new CodeConfiguration { Scheme = SchemeKind.Mds, RowSplit = 2, ColumnSplit = 2, RowNodes = 4, ColumnNodes = 3, NodeCount = CodeConfiguration.CodeNetNodeCount(4, 2, 3, 2) },
            new CodeConfiguration { Scheme = SchemeKind.Replication, NodeCount = 9, RowSplit = 2, ColumnSplit = 2 },
            new CodeConfiguration { Scheme = SchemeKind.Uncoded, NodeCount = 4, RowSplit = 2, ColumnSplit = 2 },
        };
        foreach (var code in codes)
        {
            foreach (var pass in new[] { PassKind.Forward, PassKind.Backward })
            {
                var result = DecodeCampaign.Run(new DecodeCampaignSettings { Code = code, Pass = pass, Shape = new(6, 4), MaxErrors = 0, Trials = 20 });
                Assert.Equal(20, result.Rows.Single().Counts.Clean);
            }
        }
    }

    [Theory]
    [InlineData(-1, 2)]
    [InlineData(3, 2)]
    [InlineData(0, 11)]
    public void Bad_error_ranges_are_refused_before_any_work(int from, int to)
    {
        var settings = Settings(1) with { MinErrors = from, MaxErrors = to };
        Assert.Throws<ArgumentException>(() => DecodeCampaign.Prepare(settings));
    }
}
