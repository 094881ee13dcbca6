namespace EdgeVisor.Workloads.Containers.Runtime;

/// <summary>How a process ended: an exit code, a signal, or neither when its status could not be collected.</summary>
/// <param name="ExitCode">The code it passed to exit(2), when it exited.</param>
/// <param name="Signal">The signal that killed it, when one did.</param>
public sealed record ProcessEnd(int? ExitCode, int? Signal)
{
    /// <summary>The process was not this process's child (no subreaper), so only its end is known.</summary>
    public static ProcessEnd Unknown { get; } = new(null, null);
}
