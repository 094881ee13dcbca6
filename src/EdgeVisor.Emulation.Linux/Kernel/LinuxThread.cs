using EdgeVisor.Emulation.Arm64;

namespace EdgeVisor.Emulation.Linux.Kernel;

/// <summary>
/// One guest thread: an <see cref="Arm64Cpu"/> running on one host thread, in a <see cref="LinuxProcess"/>.
/// Feature folders add per-thread state in partial files named LinuxThread.&lt;Feature&gt;.cs.
/// </summary>
public sealed partial class LinuxThread
{
    public LinuxThread(LinuxProcess process, Arm64Cpu cpu, int tid)
    {
        Process = process;
        Cpu = cpu;
        Tid = tid;
    }

    public LinuxProcess Process { get; }

    public Arm64Cpu Cpu { get; }

    /// <summary>Thread id as the guest sees it (gettid).</summary>
    public int Tid { get; }
}
