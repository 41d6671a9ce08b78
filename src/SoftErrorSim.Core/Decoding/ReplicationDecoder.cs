namespace SoftErrorSim.Core.Decoding;

/// <summary>The verdict on one replicated block.</summary>
/// <param name="Status">Decoded or detected.</param>
/// <param name="ChosenCopy">The copy whose value is returned, or -1.</param>
/// <param name="BlamedCopies">Copies that disagree with the chosen value.</param>
public sealed record ReplicaVote(DecodeStatus Status, int ChosenCopy, IReadOnlyList<int> BlamedCopies);

/// <summary>
/// Decoding of replicated blocks by comparing copies (SPEC 2). Healthy replicas execute the same
/// floating-point operations on the same data, so they agree bit for bit: copies are compared for
/// exact equality, and NaN never agrees with anything.
/// </summary>
public static class ReplicationDecoder
{
    /// <summary>
    /// Bounded distance: the value held by more than half of the r copies (floor((r-1)/2)
    /// arbitrary errors corrected). Probability one: the value held by the largest group when that
    /// group has at least two copies and no other group is as large (with continuous random errors
    /// two agreeing copies are correct, so r-2 errors are corrected; r = 2 only detects). A single
    /// copy (r = 1) is returned unchecked.
    /// </summary>
    public static ReplicaVote Vote(ReadOnlySpan<double> outputs, int length, IReadOnlyList<int> copies, DecoderKind kind)
    {
        ArgumentNullException.ThrowIfNull(copies);
        var r = copies.Count;
        if (r == 1)
        {
            return new ReplicaVote(DecodeStatus.Decoded, copies[0], []);
        }

        var groupOf = new int[r];
        var sizes = new List<int>();
        var leaders = new List<int>();
        for (var i = 0; i < r; i++)
        {
            groupOf[i] = -1;
            for (var g = 0; g < leaders.Count; g++)
            {
                if (outputs.Slice(copies[i] * length, length).SequenceEqual(outputs.Slice(copies[leaders[g]] * length, length)) && !HasNaN(outputs.Slice(copies[i] * length, length)))
                {
                    groupOf[i] = g;
                    sizes[g]++;
                    break;
                }
            }

            if (groupOf[i] < 0)
            {
                groupOf[i] = leaders.Count;
                leaders.Add(i);
                sizes.Add(1);
            }
        }

        var best = sizes.IndexOf(sizes.Max());
        var unique = sizes.Count(s => s == sizes[best]) == 1;
        var accepted = kind == DecoderKind.BoundedDistance
            ? 2 * sizes[best] > r
            : sizes[best] >= 2 && unique;
        var blamed = Enumerable.Range(0, r).Where(i => groupOf[i] != best).Select(i => copies[i]).ToList();
        return accepted
            ? new ReplicaVote(DecodeStatus.Decoded, copies[leaders[best]], blamed)
            : new ReplicaVote(DecodeStatus.Detected, -1, blamed);
    }

    private static bool HasNaN(ReadOnlySpan<double> values)
    {
        foreach (var v in values)
        {
            if (double.IsNaN(v))
            {
                return true;
            }
        }

        return false;
    }
}
