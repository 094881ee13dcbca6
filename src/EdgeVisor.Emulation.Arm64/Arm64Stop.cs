namespace EdgeVisor.Emulation.Arm64;

/// <summary>Why <see cref="Arm64Cpu.Run"/> returned. The kernel layer turns these into syscalls and signals.</summary>
public enum Arm64StopKind : byte
{
    /// <summary>The instruction budget given to <see cref="Arm64Cpu.Run"/> ran out.</summary>
    InstructionLimit,

    /// <summary><see cref="Arm64Cpu.RequestStop"/> was called (a signal to deliver, another thread's exit_group, Ctrl-C).</summary>
    Interrupted,

    /// <summary>SVC #imm executed; PC is past it. <see cref="Arm64Stop.Detail"/> holds imm16.</summary>
    Syscall,

    /// <summary>BRK #imm; PC is at the BRK. Detail holds imm16 (Linux: SIGTRAP).</summary>
    Breakpoint,

    /// <summary>HLT #imm; PC at the HLT (Linux: SIGILL). Detail holds imm16.</summary>
    Halt,

    /// <summary>An unallocated or unimplemented encoding; PC at it, Detail holds the encoding (Linux: SIGILL).</summary>
    Undefined,

    /// <summary>A data access faulted; PC at the instruction, Address is the fault address (SIGSEGV, or SIGBUS for alignment).</summary>
    DataAbort,

    /// <summary>An instruction fetch faulted; PC and Address are the unfetchable address (SIGSEGV).</summary>
    InstructionAbort,

    /// <summary>A branch to a misaligned address; PC holds it (Linux: SIGBUS with BUS_ADRALN).</summary>
    PcAlignment,
}

/// <summary>A stop with its details.</summary>
/// <param name="Kind">Why the core stopped.</param>
/// <param name="Address">Fault address for aborts.</param>
/// <param name="Detail">SVC/BRK/HLT immediate or the undefined encoding.</param>
/// <param name="Write">For a data abort: whether the access was a write.</param>
/// <param name="Alignment">For a data abort: an alignment fault rather than a permission/translation fault.</param>
public readonly record struct Arm64Stop(Arm64StopKind Kind, ulong Address = 0, uint Detail = 0, bool Write = false, bool Alignment = false);
