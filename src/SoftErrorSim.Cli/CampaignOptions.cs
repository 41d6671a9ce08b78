using System.CommandLine;
using SoftErrorSim.Core.Coding;
using SoftErrorSim.Core.Decoding;
using SoftErrorSim.Core.Faults;

namespace SoftErrorSim.Cli;

/// <summary>The options of a Monte Carlo campaign shared by `decode` and `sweep`: pass, error model, decoder, trials, seed, threads, output, progress.</summary>
public sealed class CampaignOptions
{
    private readonly Option<string> _pass = Names.Option("--pass", "Which product: forward, backward or matmat (gpd with --d).", PassKind.Forward, CodeConfiguration.Name);
    private readonly Option<string> _model = Names.Option("--error-model", "What an error does: gaussian (continuous random), bitflip or adversarial.", ErrorModelKind.Gaussian, ErrorValueModel.Name);
    private readonly Option<string> _bits = new("--bits") { Description = "bitflip: bit range LO:HI (0 = lowest mantissa bit, 52-62 exponent, 63 sign).", DefaultValueFactory = _ => "0:63" };
    private readonly Option<int> _flips = new("--flips") { Description = "bitflip: bits flipped per error, at most the number of bits in --bits.", DefaultValueFactory = _ => 1 };
    private readonly Option<double> _magnitude = new("--magnitude") { Description = "gaussian/adversarial: error size relative to the RMS of the clean outputs.", DefaultValueFactory = _ => 1.0 };
    private readonly Option<double> _fraction = new("--fraction") { Description = "gaussian: fraction of an output's entries that are struck (0, 1].", DefaultValueFactory = _ => 1.0 };
    private readonly Option<string> _decoder = new("--decoder") { Description = "auto (bounded-distance for adversarial errors, probability-one otherwise), bounded-distance or probability-one.", DefaultValueFactory = _ => "auto" };
    private readonly Option<bool> _force = CommonOptions.Force();
    private readonly Option<string> _progress = CommonOptions.Progress();
    private readonly Option<int> _trials;
    private readonly Option<ulong> _seed = new("--seed") { Description = "Root seed of all random streams.", DefaultValueFactory = _ => 1UL };
    private readonly Option<int> _threads = new("--threads") { Description = "Worker threads (results do not depend on it). Default: all cores.", DefaultValueFactory = _ => Environment.ProcessorCount };
    private readonly Option<string> _output = new("--out") { Description = "Output folder (created if missing).", Required = true };

    /// <summary>Creates the options; <paramref name="defaultTrials"/> is the default of --trials.</summary>
    public CampaignOptions(int defaultTrials)
    {
        _decoder.AcceptOnlyFromAmong("auto", "bounded-distance", "probability-one");
        _trials = new Option<int>("--trials") { Description = "Trials per point.", DefaultValueFactory = _ => defaultTrials };
    }

    /// <summary>Adds every option to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        foreach (var option in new Option[] { _pass, _model, _bits, _flips, _magnitude, _fraction, _decoder, _trials, _seed, _threads, _output, _force, _progress })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The pass.</summary>
    public PassKind Pass(ParseResult result) => Names.Parse<PassKind>(Value(result, _pass), CodeConfiguration.Name);

    /// <summary>The validated error value model.</summary>
    public ErrorValueModel Model(ParseResult result)
    {
        var (lowBit, highBit) = CodeOptions.ParseRange(Value(result, _bits), "--bits");
        var flips = Value(result, _flips);
        if (flips < 1 || flips > highBit - lowBit + 1)
        {
            throw new UsageException($"--flips must lie between 1 and {highBit - lowBit + 1}, the bits in --bits {lowBit}:{highBit} (got {flips})");
        }

        return new ErrorValueModel
        {
            Kind = Names.Parse<ErrorModelKind>(Value(result, _model), ErrorValueModel.Name),
            LowBit = lowBit,
            HighBit = highBit,
            FlipsPerError = flips,
            Magnitude = Value(result, _magnitude),
            Fraction = Value(result, _fraction),
        }.Validate();
    }

    /// <summary>The decoder, or null for automatic choice.</summary>
    public DecoderKind? Decoder(ParseResult result) =>
        Value(result, _decoder) == "auto" ? null : Names.Parse<DecoderKind>(Value(result, _decoder), Names.Kebab);

    /// <summary>Trials per point.</summary>
    public int Trials(ParseResult result) => Value(result, _trials);

    /// <summary>Root seed.</summary>
    public ulong Seed(ParseResult result) => Value(result, _seed);

    /// <summary>Worker threads.</summary>
    public int Threads(ParseResult result) => Value(result, _threads);

    /// <summary>The output folder.</summary>
    public string Output(ParseResult result) => Value(result, _output);

    /// <summary>Whether results of another run in the output folder may be overwritten.</summary>
    public bool Force(ParseResult result) => Value(result, _force);

    /// <summary>The --progress mode.</summary>
    public string Progress(ParseResult result) => Value(result, _progress);

    private static T Value<T>(ParseResult result, Option<T> option) => result.GetValue(option)!;
}
