using System.CommandLine;
using System.Globalization;
using SoftErrorSim.Core.Faults;

namespace SoftErrorSim.Cli;

/// <summary>
/// The fault environment's options (SPEC 3), shared by sweep, train and decode: rates per step kind
/// and per node. Every number is read with the invariant culture; any malformed value is a
/// <see cref="UsageException"/> (exit 2, one line, nothing written).
/// </summary>
public sealed class FaultOptions
{
    private readonly Option<string?>? _stepRates;
    private readonly Option<string?> _nodeRates;
    private readonly Option<double?>? _burstRate;
    private readonly Option<int?>? _burstSize;

    /// <summary>
    /// Creates the options; <paramref name="stepRates"/> false leaves out --step-rates (decode strikes
    /// an exact count); <paramref name="bursts"/> adds --burst-rate and --burst-size, described for
    /// training when <paramref name="training"/>.
    /// </summary>
    public FaultOptions(bool stepRates = true, bool bursts = false, bool training = false)
    {
        if (bursts)
        {
            _burstRate = new Option<double?>("--burst-rate")
            {
                Description = training
                    ? "B: probability per coded product (every forward and backward product of every layer, re-executed steps included) that one rack of --burst-size adjacent nodes (chosen uniformly among the floor(P/G) racks [rG, rG+G)) has its product struck at once, on top of the independent faults and whatever --fault-steps says (a product fault of --fault; a node struck by both is one fault); drawn from a stream of its own. Default 0."
                    : "B: probability per decode that one rack of --burst-size adjacent nodes (chosen uniformly among the floor(P/G) racks [rG, rG+G)) errs at once, on top of the independent faults.",
            };
            _burstSize = new Option<int?>("--burst-size") { Description = "G: nodes in a rack that a burst strikes together (needed with --burst-rate)." };
        }

        _stepRates = stepRates
            ? new Option<string?>("--step-rates") { Description = "Rates per step kind that override --error-rate for that kind: KIND=RATE,... with KIND one of encode, product, decode, activation, hadamard, update (a sweep decodes one product: encode and product only)." }
            : null;
        _nodeRates = new Option<string?>("--node-rates") { Description = "Per-node rates: a comma list of P rates (each node's rate at --error-rate), @FILE.csv (columns node,rate), outlier:K:F (K nodes chosen by the seed at F times the rate) or lognormal:SIGMA (multipliers exp(SIGMA Z) from the seed, median 1)." };
    }

    /// <summary>Adds the options to a command.</summary>
    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (_stepRates is not null)
        {
            command.Options.Add(_stepRates);
        }

        command.Options.Add(_nodeRates);
        if (_burstRate is not null && _burstSize is not null)
        {
            command.Options.Add(_burstRate);
            command.Options.Add(_burstSize);
        }
    }

    /// <summary>The environment the command line describes (the default one when neither option is given).</summary>
    public FaultEnvironment Environment(ParseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var burstRate = _burstRate is null ? null : result.GetValue(_burstRate);
        var burstSize = _burstSize is null ? null : result.GetValue(_burstSize);
        if (burstRate is { } b && !(b >= 0 && b <= 1))
        {
            throw new UsageException(string.Create(CultureInfo.InvariantCulture, $"--burst-rate must lie in [0, 1] (got {b})"));
        }

        if ((burstRate is > 0) != burstSize.HasValue && !(burstRate is 0))
        {
            throw new UsageException("--burst-rate and --burst-size go together");
        }

        return new FaultEnvironment
        {
            BurstRate = burstRate ?? 0,
            BurstSize = burstSize ?? 1,
            StepRates = _stepRates is not null && result.GetValue(_stepRates) is { } steps ? ParseStepRates(steps) : new Dictionary<StepKind, double>(),
            NodeRates = result.GetValue(_nodeRates) is { } nodes ? ParseNodeRates(nodes) : null,
        };
    }

    /// <summary>
    /// Every node's flops rate from --node-flops: a comma list of P positive rates, or a spread
    /// (outlier:K:F, K nodes at F times <paramref name="baseFlops"/>; lognormal:SIGMA) drawn from
    /// its own stream of the seed (not the rates' own, so slow nodes and erring nodes are drawn apart).
    /// </summary>
    public static double[] NodeFlops(string text, int nodeCount, double baseFlops, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = text.Trim();
        if (text.Length > 0 && (char.IsAsciiDigit(text[0]) || text[0] == '.'))
        {
            var speeds = text.Split(',', StringSplitOptions.TrimEntries).Select(item =>
                double.TryParse(item, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value > 0 && double.IsFinite(value)
                    ? value
                    : throw new UsageException($"--node-flops: '{item}' is not a positive flops rate")).ToArray();
            return speeds.Length == nodeCount
                ? speeds
                : throw new UsageException(string.Create(CultureInfo.InvariantCulture, $"--node-flops lists {speeds.Length} speeds for {nodeCount} nodes: give one per node"));
        }

        var spread = text.StartsWith('@') ? throw new UsageException("--node-flops takes a list or a spread (outlier:K:F, lognormal:SIGMA), not a file") : ParseNodeRates(text.Replace("--node-rates", "--node-flops", StringComparison.Ordinal));
        try
        {
            spread.Validate(nodeCount);
        }
        catch (ArgumentException e)
        {
            throw new UsageException(CliApp.SpellFlags(e.Message).Replace("--node-rates", "--node-flops", StringComparison.Ordinal));
        }

        var multipliers = spread.Multipliers(nodeCount, Core.Randomness.StreamKey.Hash(string.Create(CultureInfo.InvariantCulture, $"node-flops/{seed}")));
        return multipliers.Select(m => m * baseFlops).ToArray() is var flops && flops.All(f => f > 0 && double.IsFinite(f))
            ? flops
            : throw new UsageException("--node-flops: the spread gives a node no speed (a factor of 0)");
    }

    /// <summary>Parses KIND=RATE,...; each kind once, each rate in [0, 1].</summary>
    public static IReadOnlyDictionary<StepKind, double> ParseStepRates(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var rates = new Dictionary<StepKind, double>();
        foreach (var item in text.Split(',', StringSplitOptions.TrimEntries))
        {
            var parts = item.Split('=', StringSplitOptions.TrimEntries);
            if (parts.Length != 2)
            {
                throw new UsageException($"--step-rates: '{item}' must be KIND=RATE");
            }

            var step = Enum.GetValues<StepKind>().Where(s => FaultEnvironment.Name(s) == parts[0]).Select(s => (StepKind?)s).FirstOrDefault()
                ?? throw new UsageException($"--step-rates: unknown step kind '{parts[0]}' (encode, product, decode, activation, hadamard, update)");
            if (!rates.TryAdd(step, Rate(parts[1], "--step-rates", item)))
            {
                throw new UsageException($"--step-rates: '{parts[0]}' is given twice");
            }
        }

        return rates;
    }

    /// <summary>Parses a rate list, @FILE, outlier:K:F or lognormal:SIGMA.</summary>
    public static NodeRateSpread ParseNodeRates(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = text.Trim();
        if (text.StartsWith('@'))
        {
            return new ListedNodeRates(ReadFile(text[1..]));
        }

        if (text.StartsWith("outlier", StringComparison.Ordinal))
        {
            var parts = text.Split(':');
            if (parts.Length != 3 || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count)
                || !double.TryParse(parts[2], NumberStyles.Float, CultureInfo.InvariantCulture, out var factor) || !double.IsFinite(factor) || factor < 0)
            {
                throw new UsageException($"--node-rates: '{text}' must be outlier:K:F (K nodes, a non-negative integer; F a factor >= 0)");
            }

            return new OutlierNodeRates(count, factor);
        }

        if (text.StartsWith("lognormal", StringComparison.Ordinal))
        {
            var parts = text.Split(':');
            if (parts.Length != 2 || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var sigma) || !double.IsFinite(sigma) || sigma < 0)
            {
                throw new UsageException($"--node-rates: '{text}' must be lognormal:SIGMA (SIGMA >= 0)");
            }

            return new LogNormalNodeRates(sigma);
        }

        if (text.Length == 0 || !(char.IsAsciiDigit(text[0]) || text[0] == '.'))
        {
            throw new UsageException($"--node-rates: '{text}' is not a rate list, @FILE.csv, outlier:K:F or lognormal:SIGMA");
        }

        return new ListedNodeRates(text.Split(',', StringSplitOptions.TrimEntries).Select(item => Rate(item, "--node-rates", item)).ToArray());
    }

    /// <summary>
    /// Reads a node-rate file: a header `node,rate`, then one row per node, nodes 0..P-1 each once
    /// (in any order). Anything else is refused with the line that is wrong.
    /// </summary>
    public static IReadOnlyList<double> ReadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new UsageException($"--node-rates: cannot read '{path}': {e.Message.Split('\n')[0].Trim()}");
        }

        var body = lines.Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        if (body.Count == 0 || body[0].Replace(" ", string.Empty, StringComparison.Ordinal) != "node,rate")
        {
            throw new UsageException($"--node-rates: '{path}' must start with the header node,rate");
        }

        var rates = new SortedDictionary<int, double>();
        for (var i = 1; i < body.Count; i++)
        {
            var fields = body[i].Split(',', StringSplitOptions.TrimEntries);
            if (fields.Length != 2 || !int.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var node))
            {
                throw new UsageException($"--node-rates: '{path}' line {i + 1}: '{body[i]}' must be NODE,RATE");
            }

            if (!rates.TryAdd(node, Rate(fields[1], "--node-rates", $"{path} line {i + 1}")))
            {
                throw new UsageException($"--node-rates: '{path}' lists node {node} twice");
            }
        }

        if (rates.Count == 0 || rates.Keys.Last() != rates.Count - 1)
        {
            throw new UsageException($"--node-rates: '{path}' must list nodes 0 to P-1, each once");
        }

        return [.. rates.Values];
    }

    private static double Rate(string text, string option, string item) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value is >= 0 and <= 1
            ? value
            : throw new UsageException($"{option}: '{item}' is not a rate in [0, 1]");
}
