using System.Diagnostics;

namespace SoftErrorSim.Cli.Tests;

/// <summary>Runs softerrorsim as a separate process (the build copies it beside the tests).</summary>
internal static class ProcessRunner
{
    private static string Dll => Path.Combine(AppContext.BaseDirectory, "softerrorsim.dll");

    private static string Host => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    public static Process Start(string commandLine, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(Host)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Dll);
        foreach (var argument in commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        return Process.Start(info) ?? throw new InvalidOperationException("could not start softerrorsim");
    }

    public static (int Exit, string Out, string Error) Finish(Process process)
    {
        ArgumentNullException.ThrowIfNull(process);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("softerrorsim did not finish within 3 minutes");
        }

        return (process.ExitCode, output.Result, error.Result);
    }

    public static (int Exit, string Out, string Error) Run(string commandLine, IReadOnlyDictionary<string, string>? environment = null)
    {
        using var process = Start(commandLine, environment);
        return Finish(process);
    }

    /// <summary>Sends SIGTERM, what Slurm, Kubernetes and `kill` send; the CLI treats it like Ctrl-C.</summary>
    public static void Terminate(Process process) => Signal(process, "TERM");

    /// <summary>Sends a signal by name (TERM, INT: what Ctrl-C sends).</summary>
    public static void Signal(Process process, string signal)
    {
        ArgumentNullException.ThrowIfNull(process);
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-" + signal, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) } })
            ?? throw new InvalidOperationException("could not start kill");
        kill.WaitForExit();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{signal} {process.Id} failed with exit code {kill.ExitCode}");
        }
    }
}
