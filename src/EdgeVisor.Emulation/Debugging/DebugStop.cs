namespace EdgeVisor.Emulation.Debugging;

/// <summary>Why a debugged machine stopped.</summary>
public enum DebugStopKind
{
    /// <summary>Halted without running: at reset, after "monitor reset", or when a debugger attached to a halted machine.</summary>
    Halted,

    /// <summary>A single step finished.</summary>
    Step,

    /// <summary>
    /// Execution reached a breakpoint (the instruction at <see cref="DebugStop.Address"/> has not executed) or a
    /// BKPT instruction in the firmware.
    /// </summary>
    Breakpoint,

    /// <summary>An access hit a watchpoint; <see cref="DebugStop.Address"/> says which.</summary>
    Watchpoint,

    /// <summary>The debugger interrupted a running machine (Ctrl-C).</summary>
    Interrupted,

    /// <summary>The firmware exited (semihosting); <see cref="DebugStop.ExitCode"/> holds its code.</summary>
    Exited,

    /// <summary>The core locked up or took a fault nothing can handle; <see cref="DebugStop.Message"/> says what.</summary>
    Faulted,
}

/// <summary>A stop of the debugged machine, as the RSP server reports it to gdb.</summary>
/// <param name="Kind">Why it stopped.</param>
/// <param name="Address">For a breakpoint, the PC it stopped at; for a watchpoint, the start of the watched range that fired.</param>
/// <param name="WatchKind">The kind of watchpoint that triggered.</param>
/// <param name="ExitCode">The firmware's exit code for <see cref="DebugStopKind.Exited"/>.</param>
/// <param name="Message">A human description (fault details), or null.</param>
public sealed record DebugStop(
    DebugStopKind Kind,
    ulong Address = 0,
    WatchpointKind WatchKind = WatchpointKind.Write,
    int ExitCode = 0,
    string? Message = null)
{
    public static readonly DebugStop Halted = new(DebugStopKind.Halted);
    public static readonly DebugStop Stepped = new(DebugStopKind.Step);
    public static readonly DebugStop Interrupted = new(DebugStopKind.Interrupted);

    public static DebugStop BreakpointAt(ulong pc) => new(DebugStopKind.Breakpoint, pc);

    public static DebugStop Watchpoint(ulong address, WatchpointKind kind) => new(DebugStopKind.Watchpoint, address, kind);

    public static DebugStop Exited(int code) => new(DebugStopKind.Exited, ExitCode: code);

    public static DebugStop Faulted(string message) => new(DebugStopKind.Faulted, Message: message);

    /// <summary>True when the machine cannot run again (exit); a debugger session ends with it.</summary>
    public bool IsFinal => Kind == DebugStopKind.Exited;
}
