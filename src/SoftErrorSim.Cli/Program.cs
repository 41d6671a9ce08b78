using System.Globalization;
using System.Runtime.InteropServices;
using SoftErrorSim.Cli;

// Threads that do not inherit the invocation's culture still format numbers invariantly.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.DefaultThreadCurrentUICulture = CultureInfo.InvariantCulture;

// Ctrl-C and SIGTERM (Slurm, Kubernetes, kill) both cancel the run, which ends with its one line
// and exit 130; a second signal ends the process at once.
using var interrupt = new CancellationTokenSource();
void Cancel(PosixSignalContext context)
{
    if (!interrupt.IsCancellationRequested)
    {
        context.Cancel = true;
        interrupt.Cancel();
    }
}

using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Cancel);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Cancel);
return await CliApp.RunAsync(args, CliConsole.System(), interrupt.Token);
