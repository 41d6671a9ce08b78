using SoftErrorSim.Core.Coding;
using SoftErrorSim.Core.Decoding;
using SoftErrorSim.Core.Faults;
using SoftErrorSim.Core.MonteCarlo;
using SoftErrorSim.Core.Passes;
using SoftErrorSim.Core.Randomness;
using SoftErrorSim.Core.Schemes;

namespace SoftErrorSim.Core.Tests.Decoding;

public class DecodingCliffTests
{
    private static DecodeCampaignResult Run(CodeConfiguration code, PassKind pass, ErrorModelKind model, DecoderKind decoder, int from, int to, int trials = 200, PassShape? shape = null) =>
        DecodeCampaign.Run(new DecodeCampaignSettings
        {
            Code = code,
            Pass = pass,
            Shape = shape ?? new PassShape(16, 16, 2),
            Model = new ErrorValueModel { Kind = model },
            Decoder = decoder,
            MinErrors = from,
            MaxErrors = to,
            Trials = trials,
            Seed = 2024,
        });

    private static CodeConfiguration Gpd(int nodes, int m, int n, int? d = null) =>
        new() { Scheme = SchemeKind.Gpd, NodeCount = nodes, RowSplit = m, ColumnSplit = n, BatchSplit = d };

    public static TheoryData<int, int, int, PassKind> GpdCases => new()
    {
        { 12, 2, 2, PassKind.Forward },   // K = 5
        { 12, 2, 2, PassKind.Backward },  // K = 6
        { 14, 1, 3, PassKind.Forward },   // MatDot, K = 5
        { 10, 4, 1, PassKind.Forward },   // polynomial code, K = 4
        { 16, 2, 2, PassKind.MatMat },    // d = 2, K = 9
    };

    [Theory]
    [MemberData(nameof(GpdCases))]
    public void Probability_one_corrects_P_minus_K_minus_1_continuous_errors_and_detects_beyond(int nodes, int m, int n, PassKind pass)
    {
        var result = Run(Gpd(nodes, m, n, pass == PassKind.MatMat ? 2 : null), pass, ErrorModelKind.Gaussian, DecoderKind.ProbabilityOne, 0, nodes);
        var k = result.RecoveryThreshold;
        foreach (var row in result.Rows)
        {
            if (row.Errors <= nodes - k - 1)
            {
                Assert.True(row.Counts.Successes == row.Counts.Trials, $"e={row.Errors}: {row.Counts}");
            }
            else
            {
                Assert.True(row.Counts.Detected == row.Counts.Trials, $"e={row.Errors}: {row.Counts}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(GpdCases))]
    public void Bounded_distance_corrects_floor_half_distance_adversarial_errors(int nodes, int m, int n, PassKind pass)
    {
        var result = Run(Gpd(nodes, m, n, pass == PassKind.MatMat ? 2 : null), pass, ErrorModelKind.Adversarial, DecoderKind.BoundedDistance, 0, nodes, trials: 100);
        var t = (nodes - result.RecoveryThreshold) / 2;
        foreach (var row in result.Rows.Where(r => r.Errors <= t))
        {
            Assert.True(row.Counts.Successes == row.Counts.Trials, $"e={row.Errors}: {row.Counts}");
        }

        // Beyond the radius the decoder either flags failure or is led to the attacker's codeword;
        // it never returns the right answer by luck when the attack is a full codeword slice.
        foreach (var row in result.Rows.Where(r => r.Errors > t))
        {
            Assert.Equal(0, row.Counts.Successes);
        }
    }

    [Theory]
    [InlineData(13, 2, 2)] // K = 5, P - K = 8 even: t = 4, the attacker wins at t + 1 = 5
    [InlineData(11, 1, 3)] // K = 5, P - K = 6: t = 3, attacker wins at 4
    public void The_attacker_produces_miscorrections_just_beyond_the_radius(int nodes, int m, int n)
    {
        var result = Run(Gpd(nodes, m, n), PassKind.Forward, ErrorModelKind.Adversarial, DecoderKind.BoundedDistance, 0, nodes, trials: 100);
        var t = (nodes - result.RecoveryThreshold) / 2;
        var beyond = result.Rows.Single(r => r.Errors == t + 1);
        Assert.Equal(beyond.Counts.Trials, beyond.Counts.Miscorrected);
    }

    [Theory]
    [InlineData(ParityKind.Gaussian)]
    [InlineData(ParityKind.Chebyshev)]
    public void CodeNet_forward_tolerates_Pr_minus_m_minus_1_random_and_floor_half_adversarial_errors(ParityKind parity)
    {
        // (Pr, m, Pc, n) = (7, 3, 5, 2): forward is a (7, 3) code over grid rows; one error per row.
        var code = new CodeConfiguration
        {
            Scheme = SchemeKind.Mds,
            RowSplit = 3,
            ColumnSplit = 2,
            RowNodes = 7,
            ColumnNodes = 5,
            Parity = parity,
            NodeCount = CodeConfiguration.CodeNetNodeCount(7, 3, 5, 2),
        };
        var random = Run(code, PassKind.Forward, ErrorModelKind.Gaussian, DecoderKind.ProbabilityOne, 0, 3);
        Assert.All(random.Rows, r => Assert.Equal(r.Counts.Trials, r.Counts.Successes));
        var backward = Run(code, PassKind.Backward, ErrorModelKind.Gaussian, DecoderKind.ProbabilityOne, 0, 2);
        Assert.All(backward.Rows, r => Assert.Equal(r.Counts.Trials, r.Counts.Successes));
        var adversarial = Run(code, PassKind.Forward, ErrorModelKind.Adversarial, DecoderKind.BoundedDistance, 0, 2);
        Assert.All(adversarial.Rows, r => Assert.Equal(r.Counts.Trials, r.Counts.Successes));
        var many = Run(code, PassKind.Forward, ErrorModelKind.Gaussian, DecoderKind.ProbabilityOne, 12, 14);
        Assert.All(many.Rows, r => Assert.Equal(0, r.Counts.Miscorrected));
    }

    [Theory]
    [InlineData(DecoderKind.ProbabilityOne, 2)] // r = 4: two agreeing copies survive two random errors in one block
    [InlineData(DecoderKind.BoundedDistance, 1)] // majority of 4 survives one arbitrary error per block
    public void Replication_corrects_what_comparison_allows(DecoderKind decoder, int perBlock)
    {
        var code = new CodeConfiguration { Scheme = SchemeKind.Replication, NodeCount = 17, RowSplit = 2, ColumnSplit = 2 };
        var pass = CodedPass.Create(code, PassKind.Forward, new PassShape(8, 8), new RandomSource(1));
        Assert.Equal(4, ((ReplicatedLayer)pass.Layer).CopyCount);
        var model = new ErrorValueModel { Kind = decoder == DecoderKind.BoundedDistance ? ErrorModelKind.Adversarial : ErrorModelKind.Gaussian };
        var settings = new DecodeCampaignSettings { Code = code, Model = model, Decoder = decoder };
        for (var trial = 0; trial < 50; trial++)
        {
            var random = new RandomSource((ulong)trial);
            var received = (double[])pass.CleanOutputs.Clone();
            // Strike perBlock copies of block 1 (nodes 1, 5, 9, 13 hold it).
            var struck = random.Sample(4, perBlock).Select(c => 1 + (4 * c)).ToArray();
            DecodeCampaign.Inject(pass, model, received, struck, random);
            var decoded = pass.Decode(received, decoder, random);
            Assert.Equal(DecodeOutcome.Corrected, OutcomeClassifier.Classify(true, decoded.Status, decoded.Result, pass.Truth));

            received = (double[])pass.CleanOutputs.Clone();
            var overwhelmed = random.Sample(4, perBlock + 1).Select(c => 1 + (4 * c)).ToArray();
            DecodeCampaign.Inject(pass, model, received, overwhelmed, random);
            decoded = pass.Decode(received, decoder, random);
            Assert.NotEqual(DecodeOutcome.Corrected, OutcomeClassifier.Classify(true, decoded.Status, decoded.Result, pass.Truth));
        }
    }

    [Fact]
    public void Uncoded_passes_every_error_through_as_a_miscorrection()
    {
        var code = new CodeConfiguration { Scheme = SchemeKind.Uncoded, NodeCount = 4, RowSplit = 2, ColumnSplit = 2 };
        var result = Run(code, PassKind.Forward, ErrorModelKind.Gaussian, DecoderKind.ProbabilityOne, 0, 2, trials: 50);
        Assert.Equal(50, result.Rows[0].Counts.Clean);
        Assert.Equal(50, result.Rows[1].Counts.Miscorrected);
        Assert.Equal(50, result.Rows[2].Counts.Miscorrected);
    }

    [Fact]
    public void Short_outputs_with_more_errors_than_entries_are_located_by_the_subset_search()
    {
        // Output length 2, three errors: the syndrome has rank 2 < 3, so the span test alone cannot
        // locate them; the bounded search must, and must never miscorrect.
        var result = Run(Gpd(12, 2, 2), PassKind.Forward, ErrorModelKind.Gaussian, DecoderKind.ProbabilityOne, 3, 3, trials: 100, shape: new PassShape(2, 2));
        var row = result.Rows.Single();
        Assert.Equal(0, row.Counts.Miscorrected);
        Assert.True(row.Counts.Successes >= 95, row.Counts.ToString());
    }

    [Theory]
    [InlineData(PassKind.Forward)]  // K = 24 on 40 Chebyshev points: condition number about 3e8
    [InlineData(PassKind.Backward)] // K = 35: about 5e12
    public void A_configuration_beyond_float64_on_real_points_is_refused_by_the_contract_and_decodes_on_the_circle(PassKind pass)
    {
        // The CodeNet-sized comparison (P = 40, mn = 20) beyond real evaluation points (SPEC 2):
        // every decode is refused with its reason, never accepted wrong; on the unit circle the
        // same code decodes every trial.
        var real = Gpd(40, 4, 5) with { Points = EvaluationPointKind.Chebyshev };
        var result = Run(real, pass, ErrorModelKind.Gaussian, DecoderKind.ProbabilityOne, 0, 2, trials: 10, shape: new PassShape(4, 4));
        Assert.All(result.Rows, r => Assert.Equal(r.Counts.Trials, r.Counts.Detected));
        Assert.All(result.DetectionReasons.Keys, reason => Assert.Contains("float64", reason, StringComparison.Ordinal));
        var circle = Run(Gpd(40, 4, 5), pass, ErrorModelKind.Gaussian, DecoderKind.ProbabilityOne, 0, 2, trials: 10, shape: new PassShape(4, 4));
        Assert.All(circle.Rows, r => Assert.Equal(r.Counts.Trials, r.Counts.Successes));
    }

    [Fact]
    public void Active_node_counts_match_the_built_passes()
    {
        var codes = new[]
        {
            Gpd(9, 2, 2),
            new CodeConfiguration { Scheme = SchemeKind.Mds, RowSplit = 3, ColumnSplit = 2, RowNodes = 5, ColumnNodes = 4, NodeCount = CodeConfiguration.CodeNetNodeCount(5, 3, 4, 2) },
            new CodeConfiguration { Scheme = SchemeKind.Replication, NodeCount = 14, RowSplit = 2, ColumnSplit = 2 },
            new CodeConfiguration { Scheme = SchemeKind.Uncoded, NodeCount = 6, RowSplit = 2, ColumnSplit = 2 },
        };
        foreach (var code in codes)
        {
            foreach (var pass in new[] { PassKind.Forward, PassKind.Backward })
            {
                var built = CodedPass.Create(code, pass, new PassShape(2, 2), new RandomSource(1));
                Assert.Equal(built.ActiveNodes.Count, CodedPass.ActiveNodeCount(code, pass));
            }
        }
    }
}
