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
    /// <param name="registers">"nn:value;" pairs of expedited registers to include, or empty.</param>
    public static string Format(DebugStop stop, bool reportBreakpointReason, string registers = "") => stop.Kind switch
    {
        DebugStopKind.Exited => $"W{stop.ExitCode & 0xFF:x2}",
        DebugStopKind.Interrupted => Signal(SigInt, "", registers),
        DebugStopKind.Faulted => Signal(SigSegv, "", registers),
        DebugStopKind.Breakpoint => Signal(SigTrap, reportBreakpointReason ? "swbreak:;" : "", registers),
        DebugStopKind.Watchpoint => Signal(SigTrap, $"{WatchName(stop.WatchKind)}:{stop.Address:x};", registers),
        _ => Signal(SigTrap, "", registers),
    };

    private static string Signal(int signal, string reason, string registers) => $"T{signal:x2}{reason}{registers}thread:{ThreadId};";

    private static string WatchName(WatchpointKind kind) => kind switch
    {
        WatchpointKind.Read => "rwatch",
        WatchpointKind.Access => "awatch",
        _ => "watch",
    };
}
