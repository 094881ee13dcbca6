namespace EdgeVisor.Emulation.Linux.Kernel;

/// <summary>Per-process state of the system-information calls.</summary>
public sealed partial class LinuxProcess
{
    /// <summary>personality(2)'s persona (PER_LINUX = 0 unless the guest changes it).</summary>
    public uint Personality { get; set; }

    /// <summary>RLIMIT_STACK as the guest sees it: the soft limit matches the stack the loader maps.</summary>
    public (ulong Current, ulong Maximum) StackLimit { get; set; } = (global::EdgeVisor.Emulation.Linux.Memory.MemoryMap.StackSize, ulong.MaxValue);

    /// <summary>prctl(PR_SET_DUMPABLE) flag.</summary>
    public int Dumpable { get; set; } = 1;
}
