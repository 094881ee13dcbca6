using EdgeVisor.Emulation.Linux.Signals;
using Microsoft.Win32.SafeHandles;

namespace EdgeVisor.Emulation.Linux.Processes;

/// <summary>
/// The host side of a guest fork: a new EdgeVisor process started by the parent receives the guest's memory,
/// registers and file descriptors over an inherited file descriptor and continues the guest there.
/// </summary>
public static class ForkedChild
{
    /// <summary>Runs the forked guest whose state arrives on host descriptor <paramref name="stateFd"/>; returns the exit status for the host process.</summary>
    public static int Run(int stateFd, TextWriter? diagnostics)
    {
        ForkedImage image;
        try
        {
            using var handle = new SafeFileHandle(stateFd, ownsHandle: true);
            using var stream = new FileStream(handle, FileAccess.Read, 1 << 16);
            stream.Position = 0;
            image = ForkState.Read(stream, diagnostics);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or EndOfStreamException or UnauthorizedAccessException or InvalidOperationException)
        {
            diagnostics?.WriteLine($"edgevisor: fork child: cannot read the state on descriptor {stateFd}: {e.Message}");
            return 71; // EX_OSERR
        }

        var process = image.Process;
        if (image.VforkDoneFd >= 0)
        {
            // Closed by execve (see ExecveSyscall) or by the host at exit; close-on-exec covers a host execve.
            _ = HostDescriptors.Fcntl(image.VforkDoneFd, FSetFd, FdCloexec);
            ProcessLinks.SetVforkDone(process, image.VforkDoneFd);
        }

        using var forwarding = HostSignals.Forward(process);
        var status = process.RunMainThread(image.Cpu);
        return HostExit.Finish(status, diagnostics);
    }

    private const int FSetFd = 2;
    private const int FdCloexec = 1;
}
