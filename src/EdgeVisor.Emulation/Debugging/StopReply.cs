namespace EdgeVisor.Emulation.Debugging;

/// <summary>Formats a <see cref="DebugStop"/> as the RSP stop-reply packet gdb expects.</summary>
public static class StopReply
{
    /// <summary>POSIX signal numbers gdb maps to its own: SIGINT for an interrupt, SIGTRAP for debug events, SIGSEGV for faults.</summary>
    public const int SigInt = 2;
    public const int SigTrap = 5;
    public const int SigSegv = 11;

    /// <summary>The one thread every target has (RSP thread ids start at 1).</summary>
    public const string ThreadId = "1";

    /// <param name="stop">The stop to describe.</param>
    /// <param name="reportBreakpointReason">
    /// Add "swbreak:;" (the client announced "swbreak+" and the stop is at one of its breakpoints). Never for a BKPT
    /// in the firmware: gdb would take it for a breakpoint it had just removed and silently continue.
    /// </param>
    public static string Format(DebugStop stop, bool reportBreakpointReason) => stop.Kind switch
    {
        DebugStopKind.Exited => $"W{stop.ExitCode & 0xFF:x2}",
        DebugStopKind.Interrupted => Signal(SigInt, ""),
        DebugStopKind.Faulted => Signal(SigSegv, ""),
        DebugStopKind.Breakpoint => Signal(SigTrap, reportBreakpointReason ? "swbreak:;" : ""),
        DebugStopKind.Watchpoint => Signal(SigTrap, $"{WatchName(stop.WatchKind)}:{stop.Address:x};"),
        _ => Signal(SigTrap, ""),
    };

    private static string Signal(int signal, string reason) => $"T{signal:x2}{reason}thread:{ThreadId};";

    private static string WatchName(WatchpointKind kind) => kind switch
    {
        WatchpointKind.Read => "rwatch",
        WatchpointKind.Access => "awatch",
        _ => "watch",
    };
}
