namespace SoftErrorSim.Core.Randomness;

/// <summary>
/// A xoshiro256** generator (Blackman and Vigna, 2018) owned by the project, so that a seed names
/// the same sequence on every runtime and platform (System.Random's seeded sequence is not a
/// contract). One instance is one independent stream; it is not thread-safe: give each trial its own.
/// </summary>
public sealed class RandomSource
{
    private ulong _s0, _s1, _s2, _s3;

    /// <summary>Creates the stream whose 256-bit state is expanded from <paramref name="seed"/> by SplitMix64.</summary>
    public RandomSource(ulong seed)
    {
        var x = seed;
        _s0 = StreamKey.SplitMix64(ref x);
        _s1 = StreamKey.SplitMix64(ref x);
        _s2 = StreamKey.SplitMix64(ref x);
        _s3 = StreamKey.SplitMix64(ref x);
    }

    private RandomSource(ulong s0, ulong s1, ulong s2, ulong s3) => (_s0, _s1, _s2, _s3) = (s0, s1, s2, s3);

    /// <summary>A source with an explicit state, for checking against the reference implementation.</summary>
    internal static RandomSource FromState(ulong s0, ulong s1, ulong s2, ulong s3) => new(s0, s1, s2, s3);

    /// <summary>The 256-bit state, as 64 hex digits: where a recorded fault's draws began (a fault log replays them from it).</summary>
    public string StateText => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{_s0:x16}{_s1:x16}{_s2:x16}{_s3:x16}");

    /// <summary>The stream whose state <see cref="StateText"/> wrote; throws <see cref="FormatException"/> on anything else.</summary>
    public static RandomSource FromStateText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length != 64)
        {
            throw new FormatException("a stream state is 64 hex digits");
        }

        var words = new ulong[4];
        for (var i = 0; i < 4; i++)
        {
            if (!ulong.TryParse(text.AsSpan(16 * i, 16), System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture, out words[i]))
            {
                throw new FormatException("a stream state is 64 hex digits");
            }
        }

        return new(words[0], words[1], words[2], words[3]);
    }

    /// <summary>The next 64 uniformly distributed bits.</summary>
    public ulong NextUInt64()
    {
        var result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>A uniform double in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A uniform double in [low, high).</summary>
    public double NextDouble(double low, double high) => low + ((high - low) * NextDouble());

    /// <summary>A uniform integer in [0, exclusiveMax), unbiased (Lemire's multiply-and-reject).</summary>
    public int NextInt(int exclusiveMax)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(exclusiveMax);
        var bound = (ulong)exclusiveMax;
        var threshold = (0UL - bound) % bound;
        while (true)
        {
            var product = Math.BigMul(NextUInt64(), bound, out var low);
            if (low >= threshold)
            {
                return (int)product;
            }
        }
    }

    /// <summary>A standard normal variate by the Box-Muller transform (two uniforms per variate, no cached state).</summary>
    public double NextGaussian()
    {
        // 1 - U lies in (0, 1], so the logarithm is finite.
        var radius = Math.Sqrt(-2.0 * Math.Log(1.0 - NextDouble()));
        return radius * Math.Cos(2.0 * Math.PI * NextDouble());
    }

    /// <summary>Fills <paramref name="destination"/> with standard normal variates.</summary>
    public void FillGaussian(Span<double> destination)
    {
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = NextGaussian();
        }
    }

    /// <summary>
    /// <paramref name="count"/> distinct integers drawn uniformly from [0, population), in the order
    /// drawn (a partial Fisher-Yates shuffle).
    /// </summary>
    public int[] Sample(int population, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, population);
        var pool = new int[population];
        for (var i = 0; i < population; i++)
        {
            pool[i] = i;
        }

        for (var i = 0; i < count; i++)
        {
            var j = i + NextInt(population - i);
            (pool[i], pool[j]) = (pool[j], pool[i]);
        }

        return pool[..count];
    }
}

/// <summary>Test access to a raw generator state, to check the generator against published sequences.</summary>
internal static class RandomSourceTestAccess
{
    /// <summary>A source whose 256-bit state is exactly (s0, s1, s2, s3).</summary>
    public static RandomSource FromState(ulong s0, ulong s1, ulong s2, ulong s3) => RandomSource.FromState(s0, s1, s2, s3);
}
