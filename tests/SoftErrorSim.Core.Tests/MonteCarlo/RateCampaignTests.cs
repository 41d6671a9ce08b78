using SoftErrorSim.Core.Coding;
using SoftErrorSim.Core.Decoding;
using SoftErrorSim.Core.Faults;
using SoftErrorSim.Core.MonteCarlo;
using SoftErrorSim.Core.Schemes;
using SoftErrorSim.Core.Statistics;

namespace SoftErrorSim.Core.Tests.MonteCarlo;

public class RateCampaignTests
{
    private static readonly CodeConfiguration GpdCode = new() { Scheme = SchemeKind.Gpd, NodeCount = 12, RowSplit = 2, ColumnSplit = 2 };
    private static readonly CodeConfiguration MdsCode = new() { Scheme = SchemeKind.Mds, RowSplit = 3, ColumnSplit = 2, RowNodes = 7, ColumnNodes = 4, NodeCount = CodeConfiguration.CodeNetNodeCount(7, 3, 4, 2) };
    private static readonly CodeConfiguration ReplicationCode = new() { Scheme = SchemeKind.Replication, NodeCount = 17, RowSplit = 2, ColumnSplit = 2 };
    private static readonly CodeConfiguration UncodedCode = new() { Scheme = SchemeKind.Uncoded, NodeCount = 4, RowSplit = 2, ColumnSplit = 2 };

    public static TheoryData<string, PassKind, ErrorModelKind, double> Grid => new()
    {
        { "gpd", PassKind.Forward, ErrorModelKind.Gaussian, 0.05 },
        { "gpd", PassKind.Forward, ErrorModelKind.Gaussian, 0.4 },
        { "gpd", PassKind.Backward, ErrorModelKind.Gaussian, 0.3 },
        { "gpd", PassKind.Forward, ErrorModelKind.Adversarial, 0.2 },
        { "mds", PassKind.Forward, ErrorModelKind.Gaussian, 0.1 },
        { "mds", PassKind.Backward, ErrorModelKind.Gaussian, 0.15 },
        { "mds", PassKind.Forward, ErrorModelKind.Adversarial, 0.05 },
        { "replication", PassKind.Forward, ErrorModelKind.Gaussian, 0.2 },
        { "replication", PassKind.Backward, ErrorModelKind.Adversarial, 0.1 },
        { "uncoded", PassKind.Forward, ErrorModelKind.Gaussian, 0.1 },
    };

    [Theory]
    [MemberData(nameof(Grid))]
    public void Monte_Carlo_agrees_with_the_analytic_oracle_within_five_standard_errors(string scheme, PassKind pass, ErrorModelKind model, double rate)
    {
        var code = scheme switch
        {
            "gpd" => GpdCode,
            "mds" => MdsCode,
            "replication" => ReplicationCode,
            _ => UncodedCode,
        };
        const int trials = 1500;
        var row = RateCampaign.Run(new RateCampaignSettings
        {
            Code = code,
            Pass = pass,
            Shape = new PassShape(6, 6),
            Model = new ErrorValueModel { Kind = model },
            ErrorRates = [rate],
            Trials = trials,
            Seed = 31,
        }).Single();
        var expected = row.AnalyticSuccessRate!.Value;
        var standardError = Math.Sqrt(expected * (1 - expected) / trials);
        Assert.True(
            Math.Abs(row.Counts.SuccessRate - expected) <= (5 * standardError) + 1e-12,
            $"{scheme} {pass} {model} eps={rate}: Monte Carlo {row.Counts.SuccessRate} vs oracle {expected} (5 SE = {5 * standardError})");
    }

    [Fact]
    public void A_null_campaign_reports_only_clean_decodes()
    {
        foreach (var code in new[] { GpdCode, MdsCode, ReplicationCode, UncodedCode })
        {
            var row = RateCampaign.Run(new RateCampaignSettings { Code = code, Shape = new PassShape(4, 4), ErrorRates = [0.0], Trials = 50 }).Single();
            Assert.Equal(50, row.Counts.Clean);
            Assert.Equal(1.0, row.AnalyticSuccessRate);
        }
    }

    [Fact]
    public void A_rate_gives_the_same_counts_whatever_else_is_in_the_list_and_the_thread_count()
    {
        var alone = RateCampaign.Run(new RateCampaignSettings { Code = GpdCode, Shape = new PassShape(4, 4), ErrorRates = [0.3], Trials = 200, Threads = 1 });
        var among = RateCampaign.Run(new RateCampaignSettings { Code = GpdCode, Shape = new PassShape(4, 4), ErrorRates = [0.1, 0.3, 0.5], Trials = 200, Threads = 2 });
        Assert.Equal(alone.Single(), among[1]);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void Error_rates_outside_0_1_are_refused(double rate) =>
        Assert.Throws<ArgumentException>(() => RateCampaign.Validate(new RateCampaignSettings { Code = GpdCode, ErrorRates = [rate] }));

    [Theory]
    [InlineData(DecoderKind.ProbabilityOne, 0.13)]
    [InlineData(DecoderKind.BoundedDistance, 0.31)]
    public void The_CodeNet_oracle_equals_exhaustive_enumeration_of_node_error_patterns(DecoderKind decoder, double rate)
    {
        // (Pr, m, Pc, n) = (5, 2, 3, 2): 10 forward nodes in 5 grid rows of 2; enumerate all 2^10 patterns.
        var code = new CodeConfiguration { Scheme = SchemeKind.Mds, RowSplit = 2, ColumnSplit = 2, RowNodes = 5, ColumnNodes = 3, NodeCount = CodeConfiguration.CodeNetNodeCount(5, 2, 3, 2) };
        var tolerance = decoder == DecoderKind.BoundedDistance ? (5 - 2) / 2 : 5 - 2 - 1;
        double exact = 0;
        for (var pattern = 0; pattern < 1 << 10; pattern++)
        {
            var errors = System.Numerics.BitOperations.PopCount((uint)pattern);
            var badRows = Enumerable.Range(0, 5).Count(row => (pattern >> (2 * row) & 3) != 0);
            if (badRows <= tolerance)
            {
                exact += Math.Pow(rate, errors) * Math.Pow(1 - rate, 10 - errors);
            }
        }

        Assert.Equal(exact, SchemeOracle.SuccessProbability(code, PassKind.Forward, ErrorModelKind.Gaussian, decoder, rate)!.Value, 12);
    }

    [Theory]
    [InlineData(DecoderKind.ProbabilityOne)]
    [InlineData(DecoderKind.BoundedDistance)]
    public void The_replication_oracle_equals_exhaustive_enumeration(DecoderKind decoder)
    {
        // P = 7, m = 2, n = 1: r = 3 copies of 2 blocks on nodes 0..5; enumerate all 2^6 patterns.
        var code = new CodeConfiguration { Scheme = SchemeKind.Replication, NodeCount = 7, RowSplit = 2, ColumnSplit = 1 };
        const double rate = 0.17;
        const int perBlock = 1; // r = 3: majority corrects (r-1)/2 = 1, agreement r-2 = 1, for either decoder
        double exact = 0;
        for (var pattern = 0; pattern < 1 << 6; pattern++)
        {
            var ok = Enumerable.Range(0, 2).All(b => Enumerable.Range(0, 3).Count(c => (pattern >> (b + (2 * c)) & 1) != 0) <= perBlock);
            if (ok)
            {
                var errors = System.Numerics.BitOperations.PopCount((uint)pattern);
                exact += Math.Pow(rate, errors) * Math.Pow(1 - rate, 6 - errors);
            }
        }

        Assert.Equal(exact, SchemeOracle.SuccessProbability(code, PassKind.Forward, ErrorModelKind.Gaussian, decoder, rate)!.Value, 12);
    }

    [Fact]
    public void Bit_flips_have_no_exact_oracle()
    {
        Assert.Null(SchemeOracle.SuccessProbability(GpdCode, PassKind.Forward, ErrorModelKind.BitFlip, DecoderKind.ProbabilityOne, 0.1));
        // e^x - 1 = x + x^2/2 + ...: 1.0000000005e-9 at x = 1e-9, where exp(x) - 1 keeps only 8 digits.
        Assert.True(Math.Abs(BinomialTail.ExpMinus1(1e-9) - 1.0000000005e-9) < 1e-24);
        Assert.Equal(Math.Exp(0.5) - 1, BinomialTail.ExpMinus1(0.5), 15);
    }
}
