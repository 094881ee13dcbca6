namespace EdgeVisor.Hardware;

/// <summary>The bias a host input line is given (the kernel's bias flags; not every GPIO chip supports them).</summary>
public enum HostPull
{
    None,
    Up,
    Down,
}
