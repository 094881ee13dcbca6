namespace EdgeVisor.Emulation.Machines;

/// <summary>Why <see cref="Machine.Run"/> returned.</summary>
public enum MachineOutcome
{
    /// <summary>The firmware exited through semihosting; see <see cref="MachineRunResult.ExitCode"/>.</summary>
    Exited,

    /// <summary>The wall-clock timeout passed.</summary>
    Timeout,

    /// <summary>The instruction limit was reached.</summary>
    InstructionLimit,

    /// <summary>The virtual-time limit was reached.</summary>
    VirtualTimeLimit,

    /// <summary>The core locked up (a fault during HardFault or NMI).</summary>
    Lockup,

    /// <summary>A fault nothing could handle.</summary>
    UnhandledFault,

    /// <summary>The core sleeps with nothing that could ever wake it: no timer armed, no console input.</summary>
    Asleep,

    /// <summary>A debugger breakpoint or watchpoint stopped the core.</summary>
    Breakpoint,

    /// <summary><see cref="Machine.RequestStop"/> or the cancellation token stopped the run.</summary>
    Stopped,
}

/// <summary>The end of a run: outcome, exit code, counts, and a description for error reports.</summary>
public sealed record MachineRunResult
{
    public required MachineOutcome Outcome { get; init; }

    /// <summary>The firmware's exit code when <see cref="Outcome"/> is <see cref="MachineOutcome.Exited"/>.</summary>
    public int? ExitCode { get; init; }

    /// <summary>Instructions retired since the machine was reset.</summary>
    public ulong Instructions { get; init; }

    /// <summary>Virtual time since the machine was reset.</summary>
    public TimeSpan VirtualTime { get; init; }

    /// <summary>One line for the user: what happened.</summary>
    public string Message { get; init; } = "";

    /// <summary>Registers and fault status (for lockups and unhandled faults), else empty.</summary>
    public string State { get; init; } = "";

    /// <summary>With realtime pacing: set when the host could not keep virtual time up with wall time.</summary>
    public string? RealtimeWarning { get; init; }
}
