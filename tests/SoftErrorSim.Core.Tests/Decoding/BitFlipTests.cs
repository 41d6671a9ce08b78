using SoftErrorSim.Core.Coding;
using SoftErrorSim.Core.Decoding;
using SoftErrorSim.Core.Faults;
using SoftErrorSim.Core.MonteCarlo;
using SoftErrorSim.Core.Passes;
using SoftErrorSim.Core.Randomness;

namespace SoftErrorSim.Core.Tests.Decoding;

public class BitFlipTests
{
    [Fact]
    public void Flipping_the_sign_bit_negates_and_exponent_bits_make_infinity_and_NaN()
    {
        Assert.Equal(-1.5, FaultInjector.FlipBit(1.5, 63));
        Assert.Equal(double.NegativeZero, FaultInjector.FlipBit(0.0, 63));
        // 1.0 = 0x3FF0_0000_0000_0000; setting bit 62 gives 0x7FF0..., +infinity.
        Assert.Equal(double.PositiveInfinity, FaultInjector.FlipBit(1.0, 62));
        // 1.5 has a mantissa bit set, so the same flip gives NaN.
        Assert.True(double.IsNaN(FaultInjector.FlipBit(1.5, 62)));
        // The lowest mantissa bit moves 1.0 by one ulp; a subnormal stays subnormal.
        Assert.Equal(Math.BitIncrement(1.0), FaultInjector.FlipBit(1.0, 0));
        Assert.True(double.IsSubnormal(FaultInjector.FlipBit(double.Epsilon, 1)));
        // Flipping twice restores the value exactly, for every bit.
        for (var bit = 0; bit < 64; bit++)
        {
            Assert.Equal(BitConverter.DoubleToInt64Bits(Math.PI), BitConverter.DoubleToInt64Bits(FaultInjector.FlipBit(FaultInjector.FlipBit(Math.PI, bit), bit)));
        }
    }

    public static TheoryData<int> Bits => new(Enumerable.Range(0, 64));

    public static TheoryData<int, EvaluationPointKind> BitsAndPoints()
    {
        var data = new TheoryData<int, EvaluationPointKind>();
        foreach (var points in new[] { EvaluationPointKind.UnitCircle, EvaluationPointKind.Chebyshev })
        {
            foreach (var bit in Enumerable.Range(0, 64))
            {
                data.Add(bit, points);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(BitsAndPoints))]
    public void A_flip_of_any_bit_is_corrected_by_both_decoders(int bit, EvaluationPointKind points)
    {
        // P = 12, K = 5. One erring node: probability one corrects it whatever the bit (mantissa
        // flips of any size, exponent flips to NaN, infinity, 1e300 or a subnormal, the sign).
        // Up to floor((P-K)/2) = 3 erring nodes: bounded distance corrects them whatever their
        // values. Probability one promises P-K-1 only for continuous random values; bit flips are
        // discrete and sparse, so beyond one error it is not held to it here.
        // On the circle a node's output is complex: the flip strikes the real or the imaginary double.
        var code = new CodeConfiguration { Scheme = SchemeKind.Gpd, NodeCount = 12, RowSplit = 2, ColumnSplit = 2, Points = points };
        var pass = CodedPass.Create(code, PassKind.Forward, new PassShape(16, 16), new RandomSource(99));
        var model = new ErrorValueModel { Kind = ErrorModelKind.BitFlip, LowBit = bit, HighBit = bit };
        for (var trial = 0; trial < 30; trial++)
        {
            var random = new RandomSource((ulong)((bit * 1000) + trial));
            var single = new DecodeCampaignSettings { Code = code, Model = model, Decoder = DecoderKind.ProbabilityOne };
            var (outcome, _, reason) = DecodeCampaign.Trial(pass, single, 1, random);
            Assert.True(outcome is DecodeOutcome.Clean or DecodeOutcome.Corrected, $"bit {bit}, trial {trial}, probability one: {outcome} ({reason})");

            var bounded = single with { Decoder = DecoderKind.BoundedDistance };
            (outcome, _, reason) = DecodeCampaign.Trial(pass, bounded, 1 + (trial % 3), random);
            Assert.True(outcome is DecodeOutcome.Clean or DecodeOutcome.Corrected, $"bit {bit}, trial {trial}, bounded distance: {outcome} ({reason})");
        }
    }

    [Theory]
    [InlineData(EvaluationPointKind.UnitCircle)]
    [InlineData(EvaluationPointKind.Chebyshev)]
    public void Special_values_in_outputs_are_located_and_corrected(EvaluationPointKind points)
    {
        var code = new CodeConfiguration { Scheme = SchemeKind.Gpd, NodeCount = 12, RowSplit = 2, ColumnSplit = 2, Points = points };
        var pass = CodedPass.Create(code, PassKind.Forward, new PassShape(8, 8), new RandomSource(4));
        var specials = new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity, 1e300, -1e200, double.MaxValue, double.Epsilon };
        for (var i = 0; i < specials.Length; i++)
        {
            var received = (double[])pass.CleanOutputs.Clone();
            received[(i * pass.Words) + 3] = specials[i];
            received[((i + 5) % 12) * pass.Words] += 0.5;
            foreach (var decoder in new[] { DecoderKind.ProbabilityOne, DecoderKind.BoundedDistance })
            {
                var decoded = pass.Decode(received, decoder, new RandomSource(1));
                Assert.Equal(DecodeStatus.Decoded, decoded.Status);
                Assert.True(DecodingTolerance.RelativeError(decoded.Result!, pass.Truth) <= DecodingTolerance.SuccessRelativeError, $"{specials[i]} with {decoder}");
            }
        }
    }

    [Fact]
    public void A_NaN_result_is_never_counted_as_correct()
    {
        double[] truth = [1, 2, 3];
        Assert.Equal(double.PositiveInfinity, DecodingTolerance.RelativeError([1, double.NaN, 3], truth));
        Assert.Equal(DecodeOutcome.Miscorrected, OutcomeClassifier.Classify(true, DecodeStatus.Decoded, [1, double.NaN, 3], truth));
        Assert.Equal(DecodeOutcome.Miscorrected, OutcomeClassifier.Classify(false, DecodeStatus.Decoded, [1, double.PositiveInfinity, 3], truth));
    }
}
