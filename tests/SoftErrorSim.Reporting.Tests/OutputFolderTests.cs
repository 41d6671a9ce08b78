namespace SoftErrorSim.Reporting.Tests;

public class OutputFolderTests
{
    private static string Temp() => Path.Combine(Path.GetTempPath(), "softerrorsim-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public void A_folder_the_claim_created_and_nothing_was_written_to_is_removed_with_its_new_parents()
    {
        var parent = Temp();
        var folder = Path.Combine(parent, "a", "b");
        using (var claim = OutputFolder.Claim(folder, ["x.csv"], overwrite: false))
        {
            Assert.True(claim.Created);
            Assert.True(File.Exists(Path.Combine(folder, OutputFolder.LockFileName)));
        }

        Assert.False(Directory.Exists(parent));
    }

    [Fact]
    public void A_folder_that_existed_or_received_results_is_kept_and_only_the_lock_goes()
    {
        var existing = Temp();
        Directory.CreateDirectory(existing);
        OutputFolder.Claim(existing, [], overwrite: false).Dispose();
        Assert.True(Directory.Exists(existing));
        Assert.Empty(Directory.EnumerateFileSystemEntries(existing));

        var fresh = Temp();
        using (OutputFolder.Claim(fresh, [], overwrite: false))
        {
            OutputFolder.Write(fresh, new Dictionary<string, byte[]> { ["x.csv"] = [1] });
        }

        Assert.Equal(["x.csv"], Directory.EnumerateFileSystemEntries(fresh).Select(Path.GetFileName));
    }

    [Fact]
    public void A_folder_in_use_is_refused_until_its_claim_is_released()
    {
        var folder = Temp();
        using (OutputFolder.Claim(folder, [], overwrite: false))
        {
            var error = Assert.Throws<OutputFolderException>(() => OutputFolder.Claim(folder, [], overwrite: false));
            Assert.Contains("is in use by another softerrorsim run", error.Message, StringComparison.Ordinal);
            Assert.True(Directory.Exists(folder));
        }

        OutputFolder.Claim(folder, [], overwrite: true).Dispose();
    }

    [Fact]
    public void A_lock_file_left_by_a_killed_run_does_not_block_the_next()
    {
        // The lock is the OS lock on the file, not the file: a process killed with SIGKILL leaves the file, not the lock.
        var folder = Temp();
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, OutputFolder.LockFileName), []);
        OutputFolder.Claim(folder, [], overwrite: false).Dispose();
        Assert.False(File.Exists(Path.Combine(folder, OutputFolder.LockFileName)));
    }

    [Fact]
    public void Results_of_another_run_are_refused_unless_overwriting_and_left_untouched()
    {
        var folder = Temp();
        Directory.CreateDirectory(Path.Combine(folder, "decode-cliff"));
        File.WriteAllText(Path.Combine(folder, "decode-cliff", "data.csv"), "committed");
        File.WriteAllText(Path.Combine(folder, "notes.txt"), "mine");
        var error = Assert.Throws<OutputFolderException>(() => OutputFolder.Claim(folder, [Path.Combine("decode-cliff", "data.csv"), "manifest.json"], overwrite: false));
        Assert.Contains("already holds results of another run", error.Message, StringComparison.Ordinal);
        Assert.Contains("--force", error.Message, StringComparison.Ordinal);
        Assert.Equal("committed", File.ReadAllText(Path.Combine(folder, "decode-cliff", "data.csv")));
        Assert.False(File.Exists(Path.Combine(folder, OutputFolder.LockFileName)));

        // Files that are not results (notes, a journal to resume) never block a run.
        OutputFolder.Claim(folder, ["manifest.json"], overwrite: false).Dispose();
        OutputFolder.Claim(folder, [Path.Combine("decode-cliff", "data.csv")], overwrite: true).Dispose();
    }

    [Fact]
    public void An_unwritable_place_is_refused_with_one_line_and_nothing_created()
    {
        var file = Path.GetTempFileName();
        try
        {
            var error = Assert.Throws<OutputFolderException>(() => OutputFolder.Claim(Path.Combine(file, "inside"), [], overwrite: false));
            Assert.Contains("is not writable", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("\n", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
