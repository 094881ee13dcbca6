using System.Runtime.CompilerServices;
using EdgeVisor.Emulation.Linux.Kernel;

namespace EdgeVisor.Emulation.Linux.Processes;

/// <summary>Per-process state of the Processes feature that the process object does not carry itself.</summary>
internal static class ProcessLinks
{
    private static readonly ConditionalWeakTable<LinuxProcess, StrongBox<int>> VforkDone = new();

    /// <summary>Remembers the descriptor whose closing releases a vfork parent.</summary>
    public static void SetVforkDone(LinuxProcess process, int fd) => VforkDone.AddOrUpdate(process, new StrongBox<int>(fd));

    /// <summary>Releases a waiting vfork parent (execve): closes the descriptor once.</summary>
    public static void ReleaseVforkParent(LinuxProcess process)
    {
        if (VforkDone.TryGetValue(process, out var box))
        {
            VforkDone.Remove(process);
            _ = HostDescriptors.Close(box.Value);
        }
    }
}
