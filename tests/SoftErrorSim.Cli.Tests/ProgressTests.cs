namespace SoftErrorSim.Cli.Tests;

/// <summary>Progress where people run long jobs: on a terminal, in Slurm and CI logs with --progress always, never with a NaN.</summary>
public class ProgressTests
{
    /// <summary>A clock the test moves by hand.</summary>
    private sealed class Clock
    {
        public TimeSpan Now { get; set; }

        public TimeSpan Read() => Now;
    }

    [Fact]
    public void The_first_line_says_the_time_left_is_being_estimated_and_never_NaN()
    {
        var clock = new Clock();
        var error = new StringWriter();
        var line = new ProgressLine(error, "sweep", "trials", terminal: false, TimeSpan.FromSeconds(10), clock.Read);
        line.Report(0, 4000, "0/40 points");
        Assert.Equal("sweep: 0/40 points, 0/4000 trials (0%), estimating time left\n", error.ToString().ReplaceLineEndings("\n"));
        clock.Now = TimeSpan.FromSeconds(0.5);
        line.Report(100, 4000);
        Assert.DoesNotContain("NaN", line.Text(clock.Now), StringComparison.Ordinal);
        Assert.EndsWith("estimating time left", line.Text(clock.Now), StringComparison.Ordinal);
    }

    [Fact]
    public void A_slow_first_sample_does_not_inflate_the_time_left()
    {
        // Training: the first sample takes 7 s (JIT, the first checkpoint), then 10 samples a second.
        // Counting from the start would give 11 samples in 8 s, an estimate 7 times too long.
        var clock = new Clock { Now = TimeSpan.FromSeconds(7) };
        var line = new ProgressLine(TextWriter.Null, "train", "samples", terminal: false, TimeSpan.FromSeconds(10), clock.Read);
        line.Report(1, 2001);
        for (var sample = 2; sample <= 11; sample++)
        {
            clock.Now += TimeSpan.FromSeconds(0.1);
            line.Report(sample, 2001);
        }

        // 1990 samples left at 10 a second: 199 s, printed in minutes (the tolerance is the printing's rounding).
        Assert.Equal("train: 11/2001 samples (0%), 10 samples/s, 3 min left", line.Text(clock.Now));
    }

    [Fact]
    public void The_rate_follows_the_last_window_of_work_not_the_whole_run()
    {
        // Work kept from an interrupted run (the first report) and a slow first half do not count once out of the window.
        var clock = new Clock();
        var line = new ProgressLine(TextWriter.Null, "sweep", "trials", terminal: false, TimeSpan.FromSeconds(10), clock.Read);
        line.Report(50_000, 100_000);
        for (var second = 1; second <= 60; second++)
        {
            clock.Now = TimeSpan.FromSeconds(second);
            line.Report(50_000 + (second <= 30 ? 100L * second : 3000 + (500L * (second - 30))), 100_000);
        }

        // Done: 50,000 + 3,000 + 15,000 = 68,000; the last 20 s ran 500 a second: 32,000 left take 64 s.
        Assert.Equal("sweep: 68000/100000 trials (68%), 500 trials/s, 64 s left", line.Text(clock.Now));
    }

    [Fact]
    public void Without_a_terminal_a_plain_line_comes_every_interval_and_one_at_the_end()
    {
        var clock = new Clock();
        var error = new StringWriter();
        var line = new ProgressLine(error, "decode", "trials", terminal: false, TimeSpan.FromSeconds(10), clock.Read);
        for (var tenth = 0; tenth <= 350; tenth++)
        {
            clock.Now = TimeSpan.FromSeconds(tenth / 10.0);
            line.Report(tenth * 10L, 3510);
        }

        line.Finish();
        var lines = error.ToString().ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(5, lines.Length); // at 0, 10, 20 and 30 s, and the end
        Assert.DoesNotContain('\r', error.ToString());
        Assert.StartsWith("decode: 1000/3510 trials (28%), 100 trials/s, 25 s left", lines[1], StringComparison.Ordinal);
        Assert.Equal("decode: 3500/3510 trials (99%) after 35 s", lines[^1]);
    }

    [Fact]
    public void On_a_terminal_the_line_is_redrawn_at_most_five_times_a_second()
    {
        var clock = new Clock();
        var error = new StringWriter();
        var line = new ProgressLine(error, "sweep", "trials", terminal: true, TimeSpan.FromSeconds(10), clock.Read);
        for (var ms = 0; ms <= 1000; ms += 10)
        {
            clock.Now = TimeSpan.FromMilliseconds(ms);
            line.Report(ms, 2000);
        }

        line.Finish();
        var text = error.ToString();
        Assert.InRange(text.Count(c => c == '\r'), 5, 6); // at 0, 200, ..., 1000 ms
        Assert.EndsWith(Environment.NewLine, text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("always", true)]
    [InlineData("auto", false)]
    [InlineData("never", false)]
    public void Decode_writes_plain_progress_lines_without_a_terminal_only_when_asked(string mode, bool expected)
    {
        var folder = CliRunner.TempFolder();
        var console = new CliConsole(TextWriter.Null, TextWriter.Null, ShowProgress: false) { ProgressInterval = TimeSpan.FromMilliseconds(20) };
        var (exit, _, error) = CliRunner.Run($"decode --nodes 9 --errors 0:4 --trials 400 --block-rows 4 --block-cols 4 --progress {mode} --out {folder}".Split(' '), console: console);
        Assert.Equal(0, exit);
        var lines = CliRunner.Lines(error);
        if (!expected)
        {
            Assert.Empty(lines);
            return;
        }

        Assert.True(lines.Length >= 2, error);
        Assert.All(lines, l => Assert.StartsWith("decode: ", l, StringComparison.Ordinal));
        Assert.DoesNotContain("NaN", error, StringComparison.Ordinal);
        Assert.DoesNotContain('\r', error);
        Assert.Matches(@"^decode: 2000/2000 trials \(100%\) after \d+ s$", lines[^1]);
    }

    [Fact]
    public void Train_counts_samples_and_names_the_scheme_it_is_running()
    {
        var folder = CliRunner.TempFolder();
        var console = new CliConsole(TextWriter.Null, TextWriter.Null, ShowProgress: false) { ProgressInterval = TimeSpan.Zero };
        var (exit, _, error) = CliRunner.Run($"train --dataset synthetic --layers 12,8,3 --train-samples 40 --test-samples 20 --rounds 2 --compare fault-free,gpd --progress always --out {folder}".Split(' '), console: console);
        Assert.Equal(0, exit);
        Assert.DoesNotContain("trials", error, StringComparison.Ordinal);
        Assert.Contains("train: gpd (2 of 2), ", error, StringComparison.Ordinal);
        Assert.Matches(@"train: .*80/80 samples \(100%\) after \d+ s", error);
    }

    [Fact]
    public void Sweep_progress_names_points_and_trials()
    {
        var folder = CliRunner.TempFolder();
        var console = new CliConsole(TextWriter.Null, TextWriter.Null, ShowProgress: false) { ProgressInterval = TimeSpan.Zero };
        var (exit, _, error) = CliRunner.Run($"sweep --schemes gpd --nodes 9 --error-rate 0.1,0.2 --trials 300 --block-rows 4 --block-cols 4 --progress always --out {folder}".Split(' '), console: console);
        Assert.Equal(0, exit);
        Assert.StartsWith("sweep: 0/2 points, 0/600 trials (0%), estimating time left", error, StringComparison.Ordinal);
        Assert.Matches(@"sweep: 2/2 points, 600/600 trials \(100%\) after \d+ s", error);
    }
}
