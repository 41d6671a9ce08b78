using System.Globalization;
using System.Text;
using SoftErrorSim.Core.Randomness;

namespace SoftErrorSim.Core.Faults;

/// <summary>The operations a soft error can strike (SPEC 3), in the order their rates are listed.</summary>
public enum StepKind
{
    /// <summary>The local encoding of a product's input.</summary>
    Encode,

    /// <summary>The coded product.</summary>
    Product,

    /// <summary>A node's own decode of the all-gathered outputs.</summary>
    Decode,

    /// <summary>The nonlinearity.</summary>
    Activation,

    /// <summary>The Hadamard product with f'.</summary>
    Hadamard,

    /// <summary>The coded update of a stored block.</summary>
    Update,
}

/// <summary>
/// How the per-node rates are spread around the default rate (SPEC 3, "The fault environment").
/// A spread gives every node a multiplier of the rate of each step kind; an explicit list gives
/// every node's own rate at the default rate (step-kind rates scale it by their ratio to the default).
/// </summary>
public abstract record NodeRateSpread
{
    /// <summary>The canonical text of the spread: it keys random streams and names the spread in manifests.</summary>
    public abstract string CanonicalText();

    /// <summary>
    /// Every node's rate for a step kind whose rate is <paramref name="stepRate"/> when the default
    /// rate is <paramref name="defaultRate"/>; each clipped to [0, 1]. The draws of a spread come
    /// from their own stream (seed, "node-rates", P), so they are the same for every step kind,
    /// every error rate of a sweep and every scheme on the same P.
    /// </summary>
    public double[] Rates(int nodeCount, double stepRate, double defaultRate, ulong seed) => Rates(nodeCount, stepRate, defaultRate, seed, clip: true);

    /// <summary>Throws <see cref="ArgumentException"/> (one line, naming ‹node-rates›) unless the spread can apply to <paramref name="nodeCount"/> nodes.</summary>
    public abstract void Validate(int nodeCount);

    /// <summary>
    /// Every node's multiplier of a base value, unclipped (what a spread of node speeds uses, SPEC 5),
    /// from the same draws as <see cref="Rates(int, double, double, ulong)"/>; a listed spread's entries are its values themselves.
    /// </summary>
    public double[] Multipliers(int nodeCount, ulong seed) => Rates(nodeCount, 1, 1, seed, clip: false);

    /// <summary>The rates (or, unclipped, the multiplied values) of every node.</summary>
    protected abstract double[] Rates(int nodeCount, double stepRate, double defaultRate, ulong seed, bool clip);

    /// <summary>A stream of the spread's own draws.</summary>
    protected static RandomSource Stream(ulong seed, int nodeCount) =>
        StreamKey.Source(seed, StreamKey.Hash("node-rates"), (ulong)nodeCount);

    /// <summary>Clips a rate into [0, 1] (when <paramref name="clip"/>).</summary>
    protected static double Clip(double rate, bool clip = true) => clip ? Math.Clamp(rate, 0, 1) : rate;
}

/// <summary>Every node's own rate at the default rate, from a list or a file (node p is entry p).</summary>
public sealed record ListedNodeRates(IReadOnlyList<double> NodeRates) : NodeRateSpread
{
    /// <inheritdoc />
    public override string CanonicalText() =>
        "list:" + string.Join(",", NodeRates.Select(r => r.ToString("R", CultureInfo.InvariantCulture)));

    /// <inheritdoc />
    protected override double[] Rates(int nodeCount, double stepRate, double defaultRate, ulong seed, bool clip)
    {
        if (!clip)
        {
            return [.. NodeRates];
        }

        Validate(nodeCount);

        // A listed rate is the node's rate at the default; another step kind scales it by the
        // ratio of its rate to the default (with a zero default, a listed rate is the node's rate for every step kind).
        var scale = defaultRate > 0 ? stepRate / defaultRate : 1;
        return NodeRates.Select(r => Clip(r * scale)).ToArray();
    }

    /// <inheritdoc />
    public override void Validate(int nodeCount)
    {
        if (NodeRates.Count != nodeCount)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"‹node-rates› lists {NodeRates.Count} rates for {nodeCount} nodes: give one rate per node"));
        }

        foreach (var rate in NodeRates)
        {
            if (!(rate >= 0 && rate <= 1))
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"‹node-rates› values must lie in [0, 1] (got {rate})"));
            }
        }
    }
}

/// <summary>K nodes, chosen by the seed, at F times the rate of every step kind; the others at it (SPEC 3: "1 node in 8 is 100x worse").</summary>
public sealed record OutlierNodeRates(int Count, double Factor) : NodeRateSpread
{
    /// <inheritdoc />
    public override string CanonicalText() => string.Create(CultureInfo.InvariantCulture, $"outlier:{Count}:{Factor:R}");

    /// <summary>The outlier nodes on <paramref name="nodeCount"/> nodes, ascending.</summary>
    public IReadOnlyList<int> Outliers(int nodeCount, ulong seed)
    {
        Validate(nodeCount);
        return [.. Stream(seed, nodeCount).Sample(nodeCount, Count).Order()];
    }

    /// <inheritdoc />
    protected override double[] Rates(int nodeCount, double stepRate, double defaultRate, ulong seed, bool clip)
    {
        var rates = Enumerable.Repeat(Clip(stepRate, clip), nodeCount).ToArray();
        foreach (var node in Outliers(nodeCount, seed))
        {
            rates[node] = Clip(stepRate * Factor, clip);
        }

        return rates;
    }

    /// <inheritdoc />
    public override void Validate(int nodeCount)
    {
        if (Count < 0 || Count > nodeCount)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"‹node-rates› outlier:K:F needs 0 <= K <= P = {nodeCount} (got K = {Count})"));
        }

        if (!(Factor >= 0) || !double.IsFinite(Factor))
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"‹node-rates› outlier:K:F needs a finite factor F >= 0 (got {Factor})"));
        }
    }
}

/// <summary>
/// Rates drawn around the rate of every step kind: node p's multiplier is exp(sigma Z_p), Z_p
/// standard normal from the seed, so the median multiplier is 1 (the median rate equals the
/// configured one, before clipping to 1).
/// </summary>
public sealed record LogNormalNodeRates(double Sigma) : NodeRateSpread
{
    /// <inheritdoc />
    public override string CanonicalText() => string.Create(CultureInfo.InvariantCulture, $"lognormal:{Sigma:R}");

    /// <inheritdoc />
    protected override double[] Rates(int nodeCount, double stepRate, double defaultRate, ulong seed, bool clip)
    {
        Validate(nodeCount);
        var stream = Stream(seed, nodeCount);
        return Enumerable.Range(0, nodeCount).Select(_ => Clip(stepRate * Math.Exp(Sigma * stream.NextGaussian()), clip)).ToArray();
    }

    /// <inheritdoc />
    public override void Validate(int nodeCount)
    {
        if (!(Sigma >= 0) || !double.IsFinite(Sigma))
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"‹node-rates› lognormal:SIGMA needs a finite SIGMA >= 0 (got {Sigma})"));
        }
    }
}

/// <summary>
/// The fault environment beyond one default rate (SPEC 3): rates per step kind and per node. The
/// default environment (no step-kind rate, no spread) is the single rate every node and step
/// shared before, and draws exactly the same random numbers.
/// </summary>
public sealed record FaultEnvironment
{
    /// <summary>Rates of step kinds that override the default rate, each in [0, 1].</summary>
    public IReadOnlyDictionary<StepKind, double> StepRates { get; init; } = new Dictionary<StepKind, double>();

    /// <summary>How the nodes' rates spread around a step kind's rate; null: every node at it.</summary>
    public NodeRateSpread? NodeRates { get; init; }

    /// <summary>
    /// Probability per step (per decode in a campaign) that one rack errs at once, on top of the
    /// independent faults: racks are the floor(P/G) groups of <see cref="BurstSize"/> adjacent
    /// nodes [rG, rG + G), one chosen uniformly.
    /// </summary>
    public double BurstRate { get; init; }

    /// <summary>G, the nodes of a rack that a burst strikes together.</summary>
    public int BurstSize { get; init; } = 1;

    /// <summary>Whether this is the single-rate environment.</summary>
    public bool IsDefault => StepRates.Count == 0 && NodeRates is null && BurstRate == 0;

    /// <summary>The racks of <paramref name="nodeCount"/> nodes: floor(P/G) groups of G adjacent nodes.</summary>
    public IReadOnlyList<int[]> Racks(int nodeCount) =>
        Enumerable.Range(0, nodeCount / BurstSize).Select(r => Enumerable.Range(r * BurstSize, BurstSize).ToArray()).ToArray();

    /// <summary>
    /// One burst draw (SPEC 3), the same in a decode campaign and in training: a burst happens with
    /// probability <see cref="BurstRate"/> (one uniform draw), and then strikes one of
    /// <paramref name="rackCount"/> racks chosen uniformly (one more draw). Returns the rack's
    /// index, or null when no burst happens.
    /// </summary>
    public int? DrawRack(RandomSource random, int rackCount)
    {
        ArgumentNullException.ThrowIfNull(random);
        return random.NextDouble() < BurstRate ? random.NextInt(rackCount) : null;
    }

    /// <summary>The rate of a step kind: its own when given, the default otherwise.</summary>
    public double StepRate(StepKind step, double defaultRate) => StepRates.TryGetValue(step, out var rate) ? rate : defaultRate;

    /// <summary>Every node's rate for a step kind.</summary>
    public double[] NodeRatesFor(StepKind step, int nodeCount, double defaultRate, ulong seed)
    {
        var stepRate = StepRate(step, defaultRate);
        return NodeRates is null ? Enumerable.Repeat(stepRate, nodeCount).ToArray() : NodeRates.Rates(nodeCount, stepRate, defaultRate, seed);
    }

    /// <summary>Throws <see cref="ArgumentException"/> (one line, naming the setting) unless every rate lies in [0, 1] and the spread fits P nodes.</summary>
    public FaultEnvironment Validate(int nodeCount)
    {
        foreach (var (step, rate) in StepRates)
        {
            if (!(rate >= 0 && rate <= 1))
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"‹step-rates› {Name(step)} must lie in [0, 1] (got {rate})"));
            }
        }

        NodeRates?.Validate(nodeCount);
        if (!(BurstRate >= 0 && BurstRate <= 1))
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"‹burst-rate› must lie in [0, 1] (got {BurstRate})"));
        }

        if (BurstSize < 1 || BurstSize > nodeCount)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"‹burst-size› must lie between 1 and P = {nodeCount} (got {BurstSize})"));
        }

        return this;
    }

    /// <summary>The command-line name of a step kind.</summary>
    public static string Name(StepKind step) => step.ToString().ToLowerInvariant();

    /// <summary>The canonical text of the environment (empty for the default one, so that default runs keep their streams).</summary>
    public string CanonicalText()
    {
        if (IsDefault)
        {
            return string.Empty;
        }

        var text = new StringBuilder();
        foreach (var (step, rate) in StepRates.OrderBy(s => s.Key))
        {
            text.Append(CultureInfo.InvariantCulture, $"{Name(step)}={rate:R};");
        }

        text.Append("nodes=").Append(NodeRates?.CanonicalText() ?? "equal");
        if (BurstRate > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $";burst={BurstRate:R}x{BurstSize}");
        }

        return text.ToString();
    }
}
