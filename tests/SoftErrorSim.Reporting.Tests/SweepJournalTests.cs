using SoftErrorSim.Core.MonteCarlo;

namespace SoftErrorSim.Reporting.Tests;

public sealed class SweepJournalTests : IDisposable
{
    private static readonly SweepBlock[] Blocks = [new(0, 0, 10), new(0, 10, 20), new(1, 0, 10), new(1, 10, 20)];
    private readonly string _folder = Directory.CreateTempSubdirectory("softerrorsim-journal-").FullName;

    private string JournalPath => Path.Combine(_folder, SweepJournal.FileName);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static SweepBlockResult Result(SweepBlock block, int detected) =>
        new(block, new OutcomeCounts(block.Trials - detected, 0, detected, 0), 12.5 + detected);

    [Fact]
    public void Finished_blocks_survive_a_reopen_exactly()
    {
        using (var journal = SweepJournal.Open(_folder, "abc", new ShardSpec(1, 3), 10, Blocks))
        {
            Assert.Empty(journal.Finished);
            journal.Append(Result(Blocks[0], 3));
            journal.Append(Result(Blocks[3], 0));
        }

        using var reopened = SweepJournal.Open(_folder, "abc", new ShardSpec(1, 3), 10, Blocks);
        Assert.Equal(2, reopened.Finished.Count);
        Assert.Equal(Result(Blocks[0], 3), reopened.Finished[Blocks[0]]);
        Assert.Equal(Result(Blocks[3], 0), reopened.Finished[Blocks[3]]);
    }

    [Fact]
    public void A_line_torn_by_a_crash_is_dropped_and_the_journal_goes_on_cleanly()
    {
        using (var journal = SweepJournal.Open(_folder, "abc", ShardSpec.Whole, 10, Blocks))
        {
            journal.Append(Result(Blocks[1], 1));
        }

        File.AppendAllText(JournalPath, "1,0,10,9,0,"); // the crash hit mid-line
        using (var journal = SweepJournal.Open(_folder, "abc", ShardSpec.Whole, 10, Blocks))
        {
            Assert.Equal([Blocks[1]], journal.Finished.Keys);
            journal.Append(Result(Blocks[2], 2));
        }

        using var again = SweepJournal.Open(_folder, "abc", ShardSpec.Whole, 10, Blocks);
        Assert.Equal(2, again.Finished.Count);
        Assert.Equal(3, File.ReadAllLines(JournalPath).Length);
    }

    [Theory]
    [InlineData("abd", 0, 1, 10)]
    [InlineData("abc", 0, 2, 10)]
    [InlineData("abc", 0, 1, 20)]
    public void A_journal_of_other_arguments_is_refused_and_left_alone(string fingerprint, int index, int count, int block)
    {
        using (var journal = SweepJournal.Open(_folder, "abc", ShardSpec.Whole, 10, Blocks))
        {
            journal.Append(Result(Blocks[0], 0));
        }

        var before = File.ReadAllBytes(JournalPath);
        Assert.Throws<InvalidDataException>(() => SweepJournal.Open(_folder, fingerprint, new ShardSpec(index, count), block, Blocks));
        Assert.Equal(before, File.ReadAllBytes(JournalPath));
    }

    [Theory]
    [InlineData("0,0,10,9,0,0,0,1\n", "counts do not add up")]
    [InlineData("5,0,10,10,0,0,0,1\n", "does not have")]
    [InlineData("0,0,10,10,0,0,0,1\n0,0,10,10,0,0,0,1\n", "does not have")]
    [InlineData("0,0,10,x,0,0,0,1\n", "damaged")]
    public void A_damaged_or_foreign_line_is_refused(string lines, string reason)
    {
        File.WriteAllText(JournalPath, SweepJournal.Header("abc", ShardSpec.Whole, 10) + "\n" + lines);
        var error = Assert.Throws<InvalidDataException>(() => SweepJournal.Open(_folder, "abc", ShardSpec.Whole, 10, Blocks));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Complete_removes_the_journal()
    {
        var journal = SweepJournal.Open(_folder, "abc", ShardSpec.Whole, 10, Blocks);
        journal.Append(Result(Blocks[0], 0));
        journal.Complete();
        Assert.False(File.Exists(JournalPath));
    }
}
