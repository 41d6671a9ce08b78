using System.Globalization;
using SoftErrorSim.Core.Faults;
using SoftErrorSim.Core.Passes;
using SoftErrorSim.Core.Randomness;
using SoftErrorSim.Core.Schemes;

namespace SoftErrorSim.Core.MonteCarlo;

/// <summary>
/// The fault environment of a rate campaign (SPEC 3): a trial decodes one product, so a node's
/// output is wrong when its product errs or, with an encode rate given, when its local encoding
/// of the input did (SPEC 5: a local error shows up in the node's next coded output). Node p then
/// errs with probability 1 - (1 - product_p)(1 - encode_p), product_p the point's rate (or the
/// product step's own) spread over the nodes, encode_p the encode step's rate spread likewise (0
/// when not given). Other step kinds happen after the decode and are refused.
/// </summary>
public static class CampaignFaults
{
    /// <summary>Every node's probability of a wrong output at the point's rate, indexed by node; null in the default environment (every node at the rate).</summary>
    public static double[]? NodeRates(RateCampaignSettings settings, double rate)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var environment = settings.Environment;
        if (environment.IsDefault)
        {
            return null;
        }

        var nodes = settings.Code.NodeCount;
        var product = environment.NodeRatesFor(StepKind.Product, nodes, rate, settings.Seed);
        if (!environment.StepRates.ContainsKey(StepKind.Encode))
        {
            return product;
        }

        var encode = environment.NodeRatesFor(StepKind.Encode, nodes, rate, settings.Seed);
        return product.Select((q, p) => Math.Min(1, q + encode[p] - (q * encode[p]))).ToArray();
    }

    /// <summary>The rates of the rows of a pass (row i is node <paramref name="activeNodes"/>[i], <see cref="CodedPass.ActiveNodes"/>), or null in the default environment.</summary>
    internal static double[]? ActiveRates(RateCampaignSettings settings, IReadOnlyList<int> activeNodes, double rate) =>
        NodeRates(settings, rate) is { } rates ? activeNodes.Select(p => rates[p]).ToArray() : null;

    /// <summary>The rows of each rack among a pass's rows (row i is node <paramref name="activeNodes"/>[i]; racks with no computing node left out), or null without bursts.</summary>
    internal static int[][]? ActiveRacks(RateCampaignSettings settings, IReadOnlyList<int> activeNodes)
    {
        if (!(settings.Environment.BurstRate > 0))
        {
            return null;
        }

        var rowOf = new Dictionary<int, int>();
        for (var i = 0; i < activeNodes.Count; i++)
        {
            rowOf[activeNodes[i]] = i;
        }

        return settings.Environment.Racks(settings.Code.NodeCount)
            .Select(rack => rack.Where(rowOf.ContainsKey).Select(p => rowOf[p]).ToArray())
            .ToArray();
    }

    /// <summary>
    /// The injector of one rate-campaign trial (SPEC 3), the first draws of the trial's stream: each
    /// of the pass's <paramref name="active"/> rows is struck independently at its rate
    /// (<paramref name="rates"/>, or <paramref name="rate"/> for all), then a burst may join a rack.
    /// Fills <paramref name="struck"/> with the struck rows, ascending and distinct; when
    /// <paramref name="count"/> is given, adds the independent strikes of every row and the burst to it.
    /// </summary>
    internal static void Inject(RateCampaignSettings settings, double rate, double[]? rates, int[][]? racks, int active, RandomSource random, List<int> struck, InjectionCount? count)
    {
        struck.Clear();
        var scale = settings.InjectorRateScale;
        for (var node = 0; node < active; node++)
        {
            if (random.NextDouble() < (rates?[node] ?? rate) * scale && node != settings.ExemptNode)
            {
                struck.Add(node);
            }
        }

        count?.AddIndependent(struck);
        if (racks is not null && Burst(settings, racks, struck, random))
        {
            count?.AddBurst();
        }
    }

    /// <summary>
    /// A trial's burst: with the burst rate, one rack chosen uniformly (among all racks, so a rack
    /// of idle nodes is a harmless burst) joins the struck rows, which stay ascending and distinct.
    /// Returns whether a burst happened.
    /// </summary>
    internal static bool Burst(RateCampaignSettings settings, int[][] racks, List<int> struck, RandomSource random)
    {
        if (settings.Environment.DrawRack(random, racks.Length) is not { } chosen)
        {
            return false;
        }

        var rows = new SortedSet<int>(struck);
        rows.UnionWith(racks[chosen]);
        struck.Clear();
        struck.AddRange(rows);
        return true;
    }

    /// <summary>
    /// The oracle of the environment (SPEC 3): with node rates p, the Poisson-binomial oracle of
    /// <see cref="NodeRateOracle"/>; with bursts, by total probability over the burst,
    /// (1 - B) F(p) + (B / R) sum over racks r of F(p with rack r's nodes at rate 1), exact because
    /// a burst and the independent faults are independent and a node struck by both is simply wrong.
    /// </summary>
    public static (double? Success, double? Failure) Analytic(RateCampaignSettings settings, double rate)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var rates = NodeRates(settings, rate) ?? Enumerable.Repeat(rate, settings.Code.NodeCount).ToArray();
        var (code, pass, kind, decoder) = (settings.Code, settings.Pass, settings.Model.Kind, settings.EffectiveDecoder);
        var success = NodeRateOracle.SuccessProbability(code, pass, kind, decoder, rates, settings.Shape);
        var failure = NodeRateOracle.FailureProbability(code, pass, kind, decoder, rates, settings.Shape);
        var burst = settings.Environment.BurstRate;
        if (!(burst > 0) || success is null || failure is null)
        {
            return (success, failure);
        }

        var racks = settings.Environment.Racks(code.NodeCount);
        double rackSuccess = 0, rackFailure = 0;
        foreach (var rack in racks)
        {
            var struck = (double[])rates.Clone();
            foreach (var p in rack)
            {
                struck[p] = 1;
            }

            rackSuccess += NodeRateOracle.SuccessProbability(code, pass, kind, decoder, struck, settings.Shape)!.Value / racks.Count;
            rackFailure += NodeRateOracle.FailureProbability(code, pass, kind, decoder, struck, settings.Shape)!.Value / racks.Count;
        }

        return (((1 - burst) * success.Value) + (burst * rackSuccess), ((1 - burst) * failure.Value) + (burst * rackFailure));
    }

    /// <summary>
    /// The law an exact-count decode campaign draws its struck rows from when node rates are given:
    /// the erring set of a rate campaign at those rates, conditioned on its size, which gives a set
    /// S probability proportional to the product over S of p_i / (1 - p_i). A listed spread uses its
    /// rates; a named spread's multipliers w_i are used as those odds (p_i = w_i / (1 + w_i)), the
    /// small-rate limit in which the odds are the rates. Null without node rates.
    /// </summary>
    internal static NodeErrorRates? Weights(DecodeCampaignSettings settings, CodedPass pass)
    {
        if (settings.NodeRates is not { } spread)
        {
            return null;
        }

        var nodes = settings.Code.NodeCount;
        var rates = spread is ListedNodeRates listed
            ? [.. listed.NodeRates]
            : spread.Multipliers(nodes, settings.Seed).Select(w => w / (1 + w)).ToArray();
        return NodeErrorRates.PerNode(pass.ActiveNodes.Select(p => rates[p]).ToArray());
    }

    /// <summary>The struck rows of an exact-count trial under node rates: ascending.</summary>
    internal static int[] Struck(NodeErrorRates weights, int errors, RandomSource random)
    {
        var positions = new int[errors];
        weights.Sample(errors, random, positions);
        return positions;
    }

    /// <summary>What node rates add to the keys of an exact-count campaign's streams (nothing without them).</summary>
    public static string KeyText(DecodeCampaignSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.NodeRates is { } spread ? ";node-rates=" + spread.CanonicalText() : string.Empty;
    }

    /// <summary>Throws <see cref="ArgumentException"/> unless the node rates fit the pass and can strike the largest count asked for.</summary>
    public static void Validate(DecodeCampaignSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.NodeRates is not { } spread)
        {
            return;
        }

        spread.Validate(settings.Code.NodeCount);
        if (settings.Model.Kind == ErrorModelKind.Adversarial)
        {
            throw new ArgumentException("‹node-rates› weight random positions; the adversarial model chooses its own");
        }

        var weights = spread is ListedNodeRates listed ? [.. listed.NodeRates] : spread.Multipliers(settings.Code.NodeCount, settings.Seed);
        var positive = weights.Count(w => w > 0);
        if (positive < settings.MaxErrors)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"‹errors› up to {settings.MaxErrors} needs as many nodes of positive rate in ‹node-rates› (it has {positive})"));
        }
    }

    /// <summary>What the environment adds to the keys of a campaign's streams and of a sweep's fingerprint (nothing by default, so default runs keep their bytes).</summary>
    public static string KeyText(RateCampaignSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.Environment.IsDefault ? string.Empty : ";environment=" + settings.Environment.CanonicalText();
    }

    /// <summary>Throws <see cref="ArgumentException"/> unless the environment fits the configuration and names only steps a decode campaign has.</summary>
    public static void Validate(RateCampaignSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Environment.Validate(settings.Code.NodeCount);
        foreach (var step in settings.Environment.StepRates.Keys)
        {
            if (step is not (StepKind.Encode or StepKind.Product))
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"‹step-rates› {FaultEnvironment.Name(step)}: a decode campaign strikes only encode and product (its other steps come after the decode)"));
            }
        }
    }
}
