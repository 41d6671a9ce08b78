using System.Globalization;

namespace SoftErrorSim.Core.MonteCarlo;

/// <summary>
/// Shard <see cref="Index"/> of <see cref="Count"/>: it runs the trials
/// [floor(T·i/N), floor(T·(i+1)/N)) of every point, so shards are equally loaded, and their counts
/// add up to exactly the whole run's (every trial's stream is keyed by its index alone).
/// </summary>
public readonly record struct ShardSpec(int Index, int Count)
{
    /// <summary>The whole run: shard 0 of 1.</summary>
    public static ShardSpec Whole => new(0, 1);

    /// <summary>Throws <see cref="ArgumentException"/> with a one-line reason when the index or count is out of range for <paramref name="trials"/> trials per point.</summary>
    public ShardSpec Validate(int trials)
    {
        if (Count < 1)
        {
            throw new ArgumentException($"shard count must be a positive integer (got {Count})");
        }

        if (Index < 0 || Index >= Count)
        {
            throw new ArgumentException($"shard index {Index} is out of range: shards of {Count} are numbered 0 to {Count - 1}");
        }

        if (Count > trials)
        {
            throw new ArgumentException($"{Count} shards exceed the {trials} trials per point: every shard needs at least one trial");
        }

        return this;
    }

    /// <summary>This shard's trials of a point with <paramref name="trials"/> trials: [First, End).</summary>
    public (int First, int End) TrialRange(int trials) =>
        ((int)((long)trials * Index / Count), (int)((long)trials * (Index + 1) / Count));

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Index}/{Count}");
}

/// <summary>A unit of sweep work (and of resume): trials [FirstTrial, EndTrial) of point <see cref="Point"/> (configuration-major, then rate).</summary>
public readonly record struct SweepBlock(int Point, int FirstTrial, int EndTrial)
{
    /// <summary>Trials in the block.</summary>
    public int Trials => EndTrial - FirstTrial;
}

/// <summary>What a finished block counted.</summary>
public sealed record SweepBlockResult(SweepBlock Block, OutcomeCounts Counts, double MaxConditionNumber);

/// <summary>
/// The blocks of a sweep shard in run order (point-major, then trials), computed from their index
/// on demand: every point runs the shard's trials [First, End), cut at multiples of the block size.
/// </summary>
public sealed class SweepBlocks : IEnumerable<SweepBlock>
{
    private readonly int _first;
    private readonly int _end;
    private readonly int _blockTrials;

    internal SweepBlocks(int points, int first, int end, int blockTrials)
    {
        Points = points;
        _first = first;
        _end = end;
        _blockTrials = blockTrials;
        BlocksPerPoint = end <= first ? 0 : (int)(((end - 1L) / blockTrials) - (first / blockTrials) + 1);
    }

    /// <summary>Points of the sweep (configurations times error rates).</summary>
    public int Points { get; }

    /// <summary>Blocks of every point.</summary>
    public int BlocksPerPoint { get; }

    /// <summary>Blocks in all (may exceed what any list can hold).</summary>
    public long Count => (long)Points * BlocksPerPoint;

    /// <summary>Trials in all blocks.</summary>
    public long Trials => (long)Points * (_end - _first);

    /// <summary>The block at <paramref name="index"/> in run order.</summary>
    public SweepBlock this[long index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            var point = (int)(index / BlocksPerPoint);
            var slot = (int)(index % BlocksPerPoint);
            var start = slot == 0 ? _first : (int)(((long)(_first / _blockTrials) + slot) * _blockTrials);
            var stop = (int)Math.Min(_end, ((long)(start / _blockTrials) + 1) * _blockTrials);
            return new SweepBlock(point, start, stop);
        }
    }

    /// <summary>Whether <paramref name="block"/> is one of the blocks (exactly, boundaries included).</summary>
    public bool Contains(SweepBlock block)
    {
        if (block.Point < 0 || block.Point >= Points || block.FirstTrial < _first || block.FirstTrial >= _end)
        {
            return false;
        }

        var expectedStart = block.FirstTrial == _first || block.FirstTrial % _blockTrials == 0;
        var expectedEnd = (int)Math.Min(_end, ((long)(block.FirstTrial / _blockTrials) + 1) * _blockTrials);
        return expectedStart && block.EndTrial == expectedEnd;
    }

    /// <inheritdoc />
    public IEnumerator<SweepBlock> GetEnumerator()
    {
        for (var point = 0; point < Points; point++)
        {
            for (var start = _first; start < _end;)
            {
                var stop = (int)Math.Min(_end, ((long)(start / _blockTrials) + 1) * _blockTrials);
                yield return new SweepBlock(point, start, stop);
                start = stop;
            }
        }
    }

    /// <inheritdoc />
    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
