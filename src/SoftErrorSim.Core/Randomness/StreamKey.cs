using System.Text;

namespace SoftErrorSim.Core.Randomness;

/// <summary>
/// Derives independent stream seeds from (root seed, configuration, indices) so that trial i of a
/// configuration always draws the same numbers, whatever the thread count or shard split (SPEC 6).
/// </summary>
public static class StreamKey
{
    /// <summary>One step of SplitMix64 (Steele, Lea and Flood, 2014): advances the state and returns a mixed value.</summary>
    public static ulong SplitMix64(ref ulong state)
    {
        state += 0x9E3779B97F4A7C15UL;
        var z = state;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>The seed of the stream named by a root seed and a path of indices.</summary>
    public static ulong Derive(ulong rootSeed, params ReadOnlySpan<ulong> path)
    {
        var state = rootSeed;
        var key = SplitMix64(ref state);
        foreach (var part in path)
        {
            state = key ^ part;
            key = SplitMix64(ref state);
        }

        return key;
    }

    /// <summary>The random source named by a root seed and a path of indices.</summary>
    public static RandomSource Source(ulong rootSeed, params ReadOnlySpan<ulong> path) => new(Derive(rootSeed, path));

    /// <summary>
    /// A stable 64-bit FNV-1a hash of a canonical configuration text: two runs of one configuration
    /// get one key on every platform (string.GetHashCode is randomised per process).
    /// </summary>
    public static ulong Hash(string canonicalText)
    {
        var hash = 0xCBF29CE484222325UL;
        foreach (var b in Encoding.UTF8.GetBytes(canonicalText))
        {
            hash ^= b;
            hash *= 0x100000001B3UL;
        }

        return hash;
    }
}
