namespace EdgeVisor.Emulation.Linux.Kernel;

/// <summary>Per-thread state of the system-information calls.</summary>
public sealed partial class LinuxThread
{
    /// <summary>The thread's name (prctl PR_SET_NAME / PR_GET_NAME, /proc/self/comm): at most 15 bytes; null until set (then the executable's name).</summary>
    public string? Name { get; set; }
}
