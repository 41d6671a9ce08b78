using System.CommandLine;
using System.Diagnostics;
using SoftErrorSim.Reporting;

namespace SoftErrorSim.Cli.Tests;

/// <summary>
/// Every interrupt ends the run within a second or two with exit 130 and one line saying what was
/// kept, even when a block of work does not look at its cancellation token, and never races with
/// the results being written.
/// </summary>
public class InterruptTests
{
    /// <summary>How long an interrupted run may take: the grace the CLI gives the command, plus scheduling slack on a busy 2-core machine.</summary>
    private static readonly TimeSpan Promptly = CliApp.InterruptGrace + TimeSpan.FromSeconds(1.5);

    /// <summary>
    /// A verb that claims --out, then works until <paramref name="done"/> is set (at most 20 s)
    /// without ever looking at its token, then commits through <paramref name="commit"/>.
    /// </summary>
    private static Action<RootCommand, Invocation> Stubborn(ManualResetEventSlim done, Action<Invocation, string, CancellationToken>? commit = null, Action<Invocation>? started = null) => (root, invocation) =>
    {
        var command = new Command("stubborn");
        var output = new Option<string>("--out");
        command.Options.Add(output);
        command.SetAction((ParseResult result, CancellationToken cancellationToken) =>
        {
            var folder = invocation.Claim(result.GetValue(output)!, [], force: false);
            invocation.StartWork();
            started?.Invoke(invocation);
            done.Wait(TimeSpan.FromSeconds(20), CancellationToken.None);
            commit?.Invoke(invocation, folder, cancellationToken);
            return Task.FromResult(ExitCodes.Success);
        });
        root.Subcommands.Add(command);
    };

    [Fact]
    public void A_block_of_work_that_ignores_its_token_is_given_up_after_the_grace_with_its_line()
    {
        var folder = CliRunner.TempFolder();
        using var interrupt = new CancellationTokenSource();
        using var done = new ManualResetEventSlim();
        var clock = Stopwatch.StartNew();
        try
        {
            var (exit, output, error) = CliRunner.Run(
                ["stubborn", "--out", folder],
                Stubborn(done, started: i =>
                {
                    i.KeptOnCancel(() => "cancelled: 3 of 7 blocks are kept in the journal");
                    clock.Restart();
                    interrupt.Cancel();
                }),
                cancellationToken: interrupt.Token);
            Assert.Equal(ExitCodes.Cancelled, exit);
            Assert.True(clock.Elapsed < Promptly, $"took {clock.Elapsed}");
            Assert.Equal(string.Empty, output);
            Assert.Equal("cancelled: 3 of 7 blocks are kept in the journal", Assert.Single(CliRunner.Lines(error)));
            Assert.False(Directory.Exists(folder));
        }
        finally
        {
            done.Set();
        }
    }

    [Fact]
    public void An_interrupt_during_the_writing_of_results_lets_them_finish_whole()
    {
        var folder = CliRunner.TempFolder();
        using var interrupt = new CancellationTokenSource();
        using var done = new ManualResetEventSlim(initialState: true);
        var (exit, _, error) = CliRunner.Run(
            ["stubborn", "--out", folder],
            Stubborn(done, (invocation, target, token) => invocation.Commit(
                () =>
                {
                    interrupt.Cancel(); // the interrupt arrives while the files are being written, and the writing outlasts the grace
                    Thread.Sleep(CliApp.InterruptGrace + TimeSpan.FromMilliseconds(500));
                    OutputFolder.Write(target, new Dictionary<string, byte[]> { ["a.csv"] = [1], ["b.png"] = [2] });
                },
                token)),
            cancellationToken: interrupt.Token);
        Assert.Equal(ExitCodes.Success, exit);
        Assert.Equal(string.Empty, error);
        Assert.Equal(["a.csv", "b.png"], Directory.GetFiles(folder).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void An_interrupt_before_the_writing_of_results_writes_nothing()
    {
        var folder = CliRunner.TempFolder();
        using var interrupt = new CancellationTokenSource();
        using var done = new ManualResetEventSlim(initialState: true);
        var (exit, _, error) = CliRunner.Run(
            ["stubborn", "--out", folder],
            Stubborn(done, (invocation, target, token) => invocation.Commit(() => OutputFolder.Write(target, new Dictionary<string, byte[]> { ["a.csv"] = [1] }), token), started: _ => interrupt.Cancel()),
            cancellationToken: interrupt.Token);
        Assert.Equal(ExitCodes.Cancelled, exit);
        Assert.Equal("cancelled: nothing was written", Assert.Single(CliRunner.Lines(error)));
        Assert.False(Directory.Exists(folder));
    }

    [Theory]
    [Trait("Category", "Process")]
    [InlineData("TERM")]
    [InlineData("INT")]
    public void A_signal_during_a_long_matrix_matrix_decode_ends_it_promptly_with_exit_130_and_one_line(string signal)
    {
        // Blocks of 256 matrix-matrix decodes of 128 x 128 blocks run for seconds without looking at the token.
        var folder = CliRunner.TempFolder();
        using var process = ProcessRunner.Start($"decode --scheme gpd --nodes 24 --m 2 --n 2 --d 4 --pass matmat --block-rows 128 --block-cols 128 --batch-block-cols 32 --trials 100000 --errors 0:3 --threads 2 --out {folder}");
        var lockFile = Path.Combine(folder, OutputFolder.LockFileName);
        var clock = Stopwatch.StartNew();
        while (!File.Exists(lockFile) && clock.Elapsed < TimeSpan.FromMinutes(1))
        {
            Thread.Sleep(20);
        }

        Thread.Sleep(1000); // well inside the first blocks of work
        clock.Restart();
        ProcessRunner.Signal(process, signal);
        var (exit, output, error) = ProcessRunner.Finish(process);
        Assert.True(clock.Elapsed < Promptly, $"took {clock.Elapsed}");
        Assert.Equal(ExitCodes.Cancelled, exit);
        Assert.Equal(string.Empty, output);
        Assert.Equal("cancelled: nothing was written", Assert.Single(CliRunner.Lines(error)));
        Assert.False(Directory.Exists(folder));
    }
}
