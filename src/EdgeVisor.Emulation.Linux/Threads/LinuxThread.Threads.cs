namespace EdgeVisor.Emulation.Linux.Kernel;

/// <summary>Per-thread state of the clone/futex feature.</summary>
public sealed partial class LinuxThread
{
    /// <summary>set_tid_address / CLONE_CHILD_CLEARTID: zeroed and futex-woken when the thread exits (0 for none).</summary>
    public ulong ClearChildTidAddress { get; set; }

    /// <summary>set_robust_list: head of the guest's list of held robust futexes (0 for none).</summary>
    public ulong RobustListHead { get; set; }
}
