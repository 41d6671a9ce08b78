using SoftErrorSim.Core.Coding;
using SoftErrorSim.Core.Decoding;
using SoftErrorSim.Core.Faults;
using SoftErrorSim.Core.MonteCarlo;

namespace SoftErrorSim.Core.Tests.Decoding;

/// <summary>
/// The decoding contract of SPEC 4: with continuous random errors a decode is never accepted when its
/// result is off by more than the success tolerance, whatever the errors' size. The old floor grew
/// with the condition number and accepted 469 of 500 wrong single-error decodes at magnitude 1e-7 on
/// Chebyshev points (P = 40, m = 2, n = 5); every case here must show zero miscorrections.
/// </summary>
public class DecodingContractTests
{
    public static readonly double[] Magnitudes = [1e-12, 1e-9, 1e-7, 1e-5, 1e-3, 1, 1e3];

    public static TheoryData<int, int, int, EvaluationPointKind, PassKind> Configurations()
    {
        var data = new TheoryData<int, int, int, EvaluationPointKind, PassKind>();
        foreach (var pass in new[] { PassKind.Forward, PassKind.Backward })
        {
            data.Add(24, 2, 4, EvaluationPointKind.Chebyshev, pass);
            data.Add(40, 2, 5, EvaluationPointKind.Chebyshev, pass);
            data.Add(40, 4, 4, EvaluationPointKind.UnitCircle, pass);
            data.Add(64, 4, 4, EvaluationPointKind.UnitCircle, pass);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Configurations))]
    [Trait("Category", "Slow")]
    public void No_error_size_from_1e_minus_12_to_1e3_is_ever_accepted_wrong(int nodes, int m, int n, EvaluationPointKind points, PassKind pass)
    {
        var code = new CodeConfiguration { Scheme = SchemeKind.Gpd, NodeCount = nodes, RowSplit = m, ColumnSplit = n, Points = points };
        foreach (var magnitude in Magnitudes)
        {
            var result = DecodeCampaign.Run(new DecodeCampaignSettings
            {
                Code = code,
                Pass = pass,
                Shape = new PassShape(16, 16),
                Model = new ErrorValueModel { Kind = ErrorModelKind.Gaussian, Magnitude = magnitude },
                MinErrors = 1,
                MaxErrors = 3,
                Trials = 100,
                Seed = 1130,
                Threads = 2,
            });
            foreach (var row in result.Rows)
            {
                Assert.True(row.Counts.Miscorrected == 0, $"magnitude {magnitude}, {row.Errors} errors: {row.Counts}");

                // Large errors are always located and corrected (the circle and P = 24 are well
                // within float64 at 1 to 3 errors); tiny ones may be corrected or too small to matter.
                if (magnitude >= 1e-5)
                {
                    Assert.True(row.Counts.Successes == row.Counts.Trials, $"magnitude {magnitude}, {row.Errors} errors: {row.Counts}");
                }
            }
        }
    }

    [Theory]
    [InlineData(DecoderKind.ProbabilityOne)]
    [InlineData(DecoderKind.BoundedDistance)]
    public void Exponent_flips_on_the_circle_are_corrected_up_to_half_the_distance_and_never_crash(DecoderKind decoder)
    {
        // P = 12, K_fwd = 5: floor((P - K)/2) = 3. Exponent flips make huge values, tiny ones, NaN
        // and infinities (erasures); every one of them is located and corrected.
        var code = new CodeConfiguration { Scheme = SchemeKind.Gpd, NodeCount = 12, RowSplit = 2, ColumnSplit = 2 };
        var result = DecodeCampaign.Run(new DecodeCampaignSettings
        {
            Code = code,
            Model = new ErrorValueModel { Kind = ErrorModelKind.BitFlip, LowBit = 52, HighBit = 62 },
            Decoder = decoder,
            Shape = new PassShape(16, 16),
            MinErrors = 0,
            MaxErrors = 3,
            Trials = 300,
            Seed = 1131,
        });
        Assert.All(result.Rows, row => Assert.True(row.Counts.Successes == row.Counts.Trials, $"{row.Errors} errors: {row.Counts}"));

        // All 64 bits, many more errors: nothing crashes, and a wrong result needs more erring nodes than P - K - 1.
        var all = DecodeCampaign.Run(new DecodeCampaignSettings
        {
            Code = code,
            Model = new ErrorValueModel { Kind = ErrorModelKind.BitFlip },
            Decoder = decoder,
            Shape = new PassShape(16, 16),
            MinErrors = 0,
            MaxErrors = 12,
            Trials = 200,
            Seed = 1132,
        });
        Assert.Equal(13, all.Rows.Count);
    }
}
