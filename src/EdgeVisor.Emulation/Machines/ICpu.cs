namespace EdgeVisor.Emulation.Machines;

/// <summary>Why <see cref="ICpu.Run"/> returned.</summary>
public enum StopReason
{
    /// <summary>Virtual time reached the cycle it was asked to run to (an event is due or the slice ended).</summary>
    Budget,

    /// <summary>The core is asleep (WFI/WFE) with nothing to wake it before the requested cycle; time was fast-forwarded to it.</summary>
    Sleeping,

    /// <summary>The firmware asked to exit (semihosting SYS_EXIT / SYS_EXIT_EXTENDED); see <see cref="ICpu.ExitCode"/>.</summary>
    Exited,

    /// <summary>A debugger breakpoint was reached; the instruction at PC has not executed.</summary>
    Breakpoint,

    /// <summary>A debugger watchpoint was hit by the instruction just retired.</summary>
    Watchpoint,

    /// <summary>A single step finished.</summary>
    Step,

    /// <summary><see cref="ICpu.RequestStop"/> was called (debugger interrupt, timeout, Ctrl-C).</summary>
    Interrupted,

    /// <summary>The core locked up (a fault it could not escalate, e.g. a HardFault inside HardFault).</summary>
    Lockup,

    /// <summary>A fault that no handler could take (no vector, vector outside memory); see <see cref="ICpu.DescribeState"/>.</summary>
    UnhandledFault,
}

/// <summary>A processor core as the machine drives it.</summary>
public interface ICpu
{
    /// <summary>The CPU model name as boards spell it ("cortex-m3").</summary>
    string Model { get; }

    /// <summary>Instructions retired since reset.</summary>
    ulong InstructionsRetired { get; }

    /// <summary>Exit code the firmware gave, once <see cref="StopReason.Exited"/> was returned.</summary>
    int? ExitCode { get; }

    /// <summary>Architectural reset: registers to their reset values, vector table read, caches dropped.</summary>
    void Reset();

    /// <summary>Runs until virtual time reaches <paramref name="untilCycle"/> or something stops the core.</summary>
    StopReason Run(ulong untilCycle);

    /// <summary>Executes exactly one instruction (or takes one exception entry). For debuggers.</summary>
    StopReason Step();

    /// <summary>Asks a running core to stop at its next block boundary. Safe from any thread.</summary>
    void RequestStop();

    /// <summary>Registers, the program counter's symbol and the fault status registers, for error reports.</summary>
    string DescribeState();
}
