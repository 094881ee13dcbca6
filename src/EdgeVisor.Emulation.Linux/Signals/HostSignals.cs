using System.Runtime.InteropServices;
using EdgeVisor.Emulation.Linux.Kernel;
using EdgeVisor.Emulation.Linux.Processes;

namespace EdgeVisor.Emulation.Linux.Signals;

/// <summary>
/// Signals from outside the guest: host signals sent to the edgevisor process (Ctrl-C, kill, a terminal resize, a
/// child's exit) are handed to the guest process as if the kernel had sent them to it, so the guest's handlers and
/// default actions decide. .NET lets a program intercept SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGCHLD, SIGCONT, SIGWINCH,
/// SIGTTIN, SIGTTOU, SIGTSTP and, by raw number, SIGUSR1, SIGUSR2 and SIGALRM; SIGKILL and SIGSTOP act on the host
/// process directly, and signals the runtime uses itself (SIGSEGV, SIGPIPE…) cannot be forwarded.
/// </summary>
// EdgeVisor's Linux user mode runs on Linux hosts only; the POSIX-only signals are always available there.
#pragma warning disable CA1416
public static class HostSignals
{
    private static readonly int[] Forwarded =
    [
        SignalNumbers.SIGHUP, SignalNumbers.SIGINT, SignalNumbers.SIGQUIT, SignalNumbers.SIGTERM, SignalNumbers.SIGUSR1,
        SignalNumbers.SIGUSR2, SignalNumbers.SIGALRM, SignalNumbers.SIGCHLD, SignalNumbers.SIGWINCH, SignalNumbers.SIGCONT,
        SignalNumbers.SIGTSTP, SignalNumbers.SIGTTIN, SignalNumbers.SIGTTOU,
    ];

    /// <summary>
    /// Starts forwarding host signals to <paramref name="process"/>; dispose the result when the guest has ended.
    /// (The exec command and a forked child call this once.)
    /// </summary>
    public static IDisposable Forward(LinuxProcess process)
    {
        ArgumentNullException.ThrowIfNull(process);
        var registrations = new List<PosixSignalRegistration>();
        foreach (int signal in Forwarded)
        {
            try
            {
                registrations.Add(PosixSignalRegistration.Create(ToPosix(signal), context =>
                {
                    context.Cancel = true; // the guest decides what happens
                    SignalDelivery.SendToProcess(process, SignalInfo.FromUser(signal, 0, 0, SignalNumbers.SI_USER));
                }));
            }
            catch (Exception e) when (e is PlatformNotSupportedException or IOException or ArgumentOutOfRangeException)
            {
                process.Diagnostics?.WriteLine($"edgevisor: host {SignalNumbers.Name(signal)} cannot be forwarded to the guest: {e.Message}");
            }
        }

        return new Registrations(registrations);
    }

    private static PosixSignal ToPosix(int signal) => signal switch
    {
        SignalNumbers.SIGHUP => PosixSignal.SIGHUP,
        SignalNumbers.SIGINT => PosixSignal.SIGINT,
        SignalNumbers.SIGQUIT => PosixSignal.SIGQUIT,
        SignalNumbers.SIGTERM => PosixSignal.SIGTERM,
        SignalNumbers.SIGCHLD => PosixSignal.SIGCHLD,
        SignalNumbers.SIGCONT => PosixSignal.SIGCONT,
        SignalNumbers.SIGWINCH => PosixSignal.SIGWINCH,
        SignalNumbers.SIGTTIN => PosixSignal.SIGTTIN,
        SignalNumbers.SIGTTOU => PosixSignal.SIGTTOU,
        SignalNumbers.SIGTSTP => PosixSignal.SIGTSTP,
        _ => (PosixSignal)signal, // raw host number: .NET accepts it on Unix
    };

    private sealed class Registrations(List<PosixSignalRegistration> registrations) : IDisposable
    {
        public void Dispose()
        {
            foreach (var registration in registrations)
            {
                registration.Dispose();
            }
        }
    }
}
