using System.Text;
using SoftErrorSim.Core.MonteCarlo;
using static SoftErrorSim.Reporting.InvariantText;

namespace SoftErrorSim.Reporting;

/// <summary>
/// The journal that makes a sweep resumable: one line per finished block, appended and flushed to
/// disk as the block finishes, under a header naming the sweep's fingerprint and shard. A rerun
/// with the same arguments keeps every complete line; a line torn by a crash is cut off. The
/// journal is removed once the sweep's result files are in place.
/// </summary>
public sealed class SweepJournal : IDisposable
{
    /// <summary>The journal's file name inside the output folder.</summary>
    public const string FileName = "sweep.journal";

    private const string Magic = "softerrorsim sweep journal v1";
    private const string StrataMarker = ",strata";
    private readonly FileStream _stream;
    private readonly Dictionary<SweepBlock, SweepBlockResult> _finished;

    private SweepJournal(string path, FileStream stream, Dictionary<SweepBlock, SweepBlockResult> finished)
    {
        Path = path;
        _stream = stream;
        _finished = finished;
    }

    /// <summary>The journal's path.</summary>
    public string Path { get; }

    /// <summary>Blocks finished by earlier runs (and by this one, as they are appended).</summary>
    public IReadOnlyDictionary<SweepBlock, SweepBlockResult> Finished => _finished;

    /// <summary>The header line that identifies the run a journal belongs to.</summary>
    public static string Header(string fingerprint, ShardSpec shard, int blockTrials) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Magic} fingerprint={fingerprint} shard={shard} block={blockTrials}");

    /// <summary>
    /// Opens the journal of <paramref name="directory"/>, creating it when absent. Throws
    /// <see cref="InvalidDataException"/> when it belongs to a sweep with other arguments, or holds a
    /// block this sweep does not have, so that no count is ever mixed into the wrong sweep.
    /// </summary>
    public static SweepJournal Open(string directory, string fingerprint, ShardSpec shard, int blockTrials, IReadOnlyCollection<SweepBlock> blocks)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        var path = System.IO.Path.Combine(directory, FileName);
        var header = Header(fingerprint, shard, blockTrials);
        var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        try
        {
            var finished = new Dictionary<SweepBlock, SweepBlockResult>();
            var text = ReadAll(stream);
            long keep;
            if (text.Length == 0)
            {
                var bytes = Encoding.UTF8.GetBytes(header + "\n");
                stream.Write(bytes);
                keep = bytes.Length;
            }
            else
            {
                var firstEnd = text.IndexOf('\n', StringComparison.Ordinal);
                if (firstEnd < 0 || text[..firstEnd] != header)
                {
                    throw new InvalidDataException(
                        $"{path} belongs to an unfinished sweep with other arguments (or shard, or --checkpoint-every); rerun that sweep to resume it, or delete the journal to start afresh");
                }

                keep = Encoding.UTF8.GetByteCount(text.AsSpan(0, firstEnd + 1));
                var expected = blocks.ToHashSet();
                var position = firstEnd + 1;
                while (position < text.Length)
                {
                    var lineEnd = text.IndexOf('\n', position);
                    if (lineEnd < 0)
                    {
                        break; // torn by a crash mid-write: dropped, and the block runs again
                    }

                    var result = Parse(text[position..lineEnd], path);
                    if (!expected.Contains(result.Block) || !finished.TryAdd(result.Block, result))
                    {
                        throw new InvalidDataException($"{path} holds a block this sweep does not have (line '{text[position..lineEnd]}'); delete the journal to start afresh");
                    }

                    keep += Encoding.UTF8.GetByteCount(text.AsSpan(position, lineEnd - position + 1));
                    position = lineEnd + 1;
                }
            }

            stream.SetLength(keep);
            stream.Seek(keep, SeekOrigin.Begin);
            stream.Flush(flushToDisk: true);
            return new SweepJournal(path, stream, finished);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Appends a finished block and flushes it to disk before returning.</summary>
    public void Append(SweepBlockResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var b = result.Block;
        var c = result.Counts;
        var line = string.Join(',', Whole(b.Point), Whole(b.FirstTrial), Whole(b.EndTrial), Whole(c.Clean), Whole(c.Corrected), Whole(c.Detected), Whole(c.Miscorrected), Number(result.MaxConditionNumber));
        if (result.Strata is { } strata)
        {
            // A stratified block keeps what each stratum counted: e:clean:corrected:detected:miscorrected.
            line += StrataMarker + string.Concat(strata.Select(s => "," + string.Join(':', Whole(s.Errors), Whole(s.Counts.Clean), Whole(s.Counts.Corrected), Whole(s.Counts.Detected), Whole(s.Counts.Miscorrected))));
        }

        line += "\n";
        _stream.Write(Encoding.UTF8.GetBytes(line));
        _stream.Flush(flushToDisk: true);
        _finished[b] = result;
    }

    /// <summary>Closes and deletes the journal: call only once the sweep's result files are in place.</summary>
    public void Complete()
    {
        _stream.Dispose();
        File.Delete(Path);
    }

    /// <inheritdoc />
    public void Dispose() => _stream.Dispose();

    private static string ReadAll(FileStream stream)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, leaveOpen: true);
        return reader.ReadToEnd();
    }

    private static SweepBlockResult Parse(string line, string path)
    {
        var f = line.Split(',');
        try
        {
            if (f.Length < 8 || (f.Length > 8 && f[8] != "strata"))
            {
                throw new FormatException("expected 8 fields, then the strata of a stratified block");
            }

            var block = new SweepBlock(ParseInt(f[0]), ParseInt(f[1]), ParseInt(f[2]));
            var counts = new OutcomeCounts(ParseLong(f[3]), ParseLong(f[4]), ParseLong(f[5]), ParseLong(f[6]));
            if (counts.Clean < 0 || counts.Corrected < 0 || counts.Detected < 0 || counts.Miscorrected < 0)
            {
                throw new FormatException("negative counts");
            }

            if (f.Length == 8)
            {
                return counts.Trials == block.Trials
                    ? new SweepBlockResult(block, counts, ParseDouble(f[7]))
                    : throw new FormatException("counts do not add up to the block's trials");
            }

            var strata = new List<StratumTally>();
            foreach (var field in f.Skip(9))
            {
                var parts = field.Split(':');
                if (parts.Length != 5)
                {
                    throw new FormatException("a stratum needs e:clean:corrected:detected:miscorrected");
                }

                var stratum = new OutcomeCounts(ParseLong(parts[1]), ParseLong(parts[2]), ParseLong(parts[3]), ParseLong(parts[4]));
                if (stratum.Clean < 0 || stratum.Corrected < 0 || stratum.Detected < 0 || stratum.Miscorrected < 0)
                {
                    throw new FormatException("negative counts");
                }

                strata.Add(new StratumTally(ParseInt(parts[0]), stratum));
            }

            // Trials of a point whose every stratum is exact run nothing, so a stratified block may count fewer than its trials.
            var sum = strata.Aggregate(default(OutcomeCounts), (a, s) => a + s.Counts);
            if (sum != counts || counts.Trials > block.Trials)
            {
                throw new FormatException("the strata do not add up to the block's counts");
            }

            return new SweepBlockResult(block, counts, ParseDouble(f[7]), strata);
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            throw new InvalidDataException($"{path} is damaged (line '{line}': {e.Message}); delete the journal to start afresh", e);
        }
    }
}
