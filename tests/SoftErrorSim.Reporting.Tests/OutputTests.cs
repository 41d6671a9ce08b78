using System.Buffers.Binary;
using System.Text.Json;

namespace SoftErrorSim.Reporting.Tests;

public class OutputTests
{
    [Fact]
    public void The_decode_figure_is_a_1200_by_800_png()
    {
        var rows = Enumerable.Range(0, 8).Select(e => new DecodeCsvRow(
            "gpd", 12, 2, 2, null, "forward", 5, "gaussian", e, 100, e == 0 ? 100 : 0, e is > 0 and <= 6 ? 100 : 0, e > 6 ? 100 : 0, 0,
            e <= 6 ? 1.0 : 0.0, e <= 6 ? 0.96 : 0.0, e <= 6 ? 1.0 : 0.04, 1, "probability-one", 20)).ToList();
        var png = DecodePlot.Render(rows, 6);
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        // IHDR: width and height are big-endian at bytes 16 and 20.
        Assert.Equal(DecodePlot.Width, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16, 4)));
        Assert.Equal(DecodePlot.Height, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20, 4)));
        Assert.True(png.Length > 20_000, $"{png.Length} bytes: too small to hold a drawn figure");
    }

    [Fact]
    public void Output_folders_are_written_whole_with_no_temporary_files_left()
    {
        var folder = Path.Combine(Path.GetTempPath(), "softerrorsim-tests", Guid.NewGuid().ToString("N"));
        OutputFolder.Write(folder, new Dictionary<string, byte[]> { ["a.csv"] = [1, 2], ["b.png"] = [3] });
        OutputFolder.Write(folder, new Dictionary<string, byte[]> { ["a.csv"] = [9] });
        Assert.Equal(new byte[] { 9 }, File.ReadAllBytes(Path.Combine(folder, "a.csv")));
        Assert.Equal(new byte[] { 3 }, File.ReadAllBytes(Path.Combine(folder, "b.png")));
        Assert.Equal(2, Directory.GetFiles(folder).Length);
    }

    [Fact]
    public void An_unwritable_folder_is_reported_as_an_IO_error()
    {
        var file = Path.GetTempFileName();
        try
        {
            var error = Assert.Throws<IOException>(() => OutputFolder.EnsureWritable(Path.Combine(file, "inside")));
            Assert.Contains("not writable", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void The_manifest_records_configuration_seed_version_machine_and_time()
    {
        var bytes = Manifest.Create("decode", ["decode", "--seed", "3"], new { nodes = 12 }, 3, TimeSpan.FromSeconds(1.5), DateTimeOffset.UnixEpoch);
        using var json = JsonDocument.Parse(bytes);
        var root = json.RootElement;
        Assert.Equal("decode", root.GetProperty("command").GetString());
        Assert.Equal(3UL, root.GetProperty("seed").GetUInt64());
        Assert.Equal(12, root.GetProperty("configuration").GetProperty("nodes").GetInt32());
        Assert.Equal(1.5, root.GetProperty("wall_seconds").GetDouble());
        Assert.False(string.IsNullOrEmpty(root.GetProperty("version").GetString()));
        Assert.True(root.GetProperty("machine").GetProperty("processors").GetInt32() >= 1);
    }
}
