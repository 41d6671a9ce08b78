namespace SoftErrorSim.Core.Coding;

/// <summary>Block sizes of a single-pass workload.</summary>
/// <param name="BlockRows">R: rows of each weight block (forward output length).</param>
/// <param name="BlockCols">C: columns of each weight block (backward output length).</param>
/// <param name="BatchBlockCols">Columns of each block of the right factor in matrix-matrix products.</param>
public sealed record PassShape(int BlockRows, int BlockCols, int BatchBlockCols = 4)
{
    /// <summary>Throws <see cref="ArgumentException"/> with a one-line reason when a size is not positive.</summary>
    public PassShape Validate()
    {
        if (BlockRows < 1 || BlockCols < 1 || BatchBlockCols < 1)
        {
            throw new ArgumentException($"block sizes must be positive integers (got {BlockRows} x {BlockCols}, batch {BatchBlockCols})");
        }

        if ((long)BlockRows * BlockCols > 1L << 24)
        {
            throw new ArgumentException($"block {BlockRows} x {BlockCols} exceeds the supported 2^24 entries");
        }

        return this;
    }
}
