namespace SoftErrorSim.Core.Training;

/// <summary>
/// Every node's own copy of one vector (an activation, a delta): the value the healthy nodes
/// agree on, plus the copies of the nodes whose local steps went wrong. Stored copy-on-write, so
/// P healthy copies cost one vector (SPEC 5: a local error only spoils that node's copy).
/// </summary>
internal sealed class NodeCopies
{
    private readonly Dictionary<int, double[]> _deviants;

    public NodeCopies(double[] consensus, Dictionary<int, double[]>? deviants = null)
    {
        Consensus = consensus;
        _deviants = deviants ?? [];
    }

    /// <summary>The value every node whose steps went right holds.</summary>
    public double[] Consensus { get; }

    /// <summary>Nodes whose copy differs from the consensus.</summary>
    public IReadOnlyCollection<int> DeviantNodes => _deviants.Keys;

    /// <summary>Node's own copy.</summary>
    public double[] Of(int node) => _deviants.TryGetValue(node, out var copy) ? copy : Consensus;

    /// <summary>Node's own copy, made private to it so a fault can change it alone.</summary>
    public double[] Private(int node)
    {
        if (!_deviants.TryGetValue(node, out var copy))
        {
            copy = (double[])Consensus.Clone();
            _deviants[node] = copy;
        }

        return copy;
    }

    /// <summary>Applies a node-local function to every copy (each node computes it on its own copy).</summary>
    public NodeCopies Map(Func<double[], double[]> local) =>
        new(local(Consensus), _deviants.ToDictionary(d => d.Key, d => local(d.Value)));

    /// <summary>Applies a node-local function of two per-node vectors.</summary>
    public NodeCopies Zip(NodeCopies other, Func<double[], double[], double[]> local)
    {
        var deviants = new Dictionary<int, double[]>();
        foreach (var node in _deviants.Keys.Union(other._deviants.Keys))
        {
            deviants[node] = local(Of(node), other.Of(node));
        }

        return new NodeCopies(local(Consensus, other.Consensus), deviants);
    }
}
