namespace EdgeVisor.Emulation.Linux.Processes;

/// <summary>
/// The host side of a guest fork: a new EdgeVisor process started by the parent receives the guest's memory,
/// registers and file descriptors over an inherited file descriptor and continues the guest there
/// (linux-proc work; this body is a placeholder).
/// </summary>
public static class ForkedChild
{
    /// <summary>Runs the forked guest whose state arrives on host descriptor <paramref name="stateFd"/>; returns the exit status for the host process.</summary>
    public static int Run(int stateFd, TextWriter? diagnostics) => throw new NotImplementedException($"fork state on fd {stateFd}: not implemented yet");
}
