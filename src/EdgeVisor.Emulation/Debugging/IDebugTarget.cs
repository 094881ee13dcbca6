namespace EdgeVisor.Emulation.Debugging;

/// <summary>
/// What a debugger drives: a halted machine whose registers and memory can be read and written,
/// with breakpoints, watchpoints, single step and resume. <see cref="GdbServer"/> is the only caller;
/// it never calls two members at once except <see cref="Interrupt"/>, which may arrive from another
/// thread while <see cref="Resume"/> or <see cref="Step"/> is running.
/// Registers are numbered as in <see cref="TargetDescriptionXml"/> (gdb's remote register numbers)
/// and transferred as little-endian byte strings of <see cref="RegisterSizes"/> bytes.
/// </summary>
public interface IDebugTarget
{
    /// <summary>The gdb target description ("target.xml") naming the architecture and every register.</summary>
    string TargetDescriptionXml { get; }

    /// <summary>Size in bytes of each register, indexed by its number; the 'g' packet carries them in this order.</summary>
    IReadOnlyList<int> RegisterSizes { get; }

    /// <summary>
    /// Registers sent with every stop reply (frame pointer, stack pointer, link register, program counter), so
    /// gdb can place the stop and step through code without fetching the whole register file each time.
    /// </summary>
    IReadOnlyList<int> ExpeditedRegisters { get; }

    /// <summary>Reads register <paramref name="number"/> into <paramref name="value"/> (exactly its size). False if unavailable.</summary>
    bool TryReadRegister(int number, Span<byte> value);

    /// <summary>Writes register <paramref name="number"/>. False if it does not exist or cannot be written.</summary>
    bool TryWriteRegister(int number, ReadOnlySpan<byte> value);

    /// <summary>Reads memory as the debugger sees it (no watchpoints, no faults). False if some byte is not mapped.</summary>
    bool TryReadMemory(ulong address, Span<byte> destination);

    /// <summary>Writes memory as a debugger/loader does (ROM included). False if some byte is not mapped.</summary>
    bool TryWriteMemory(ulong address, ReadOnlySpan<byte> source);

    /// <summary>Stops execution before the instruction at <paramref name="address"/> runs. Memory is not patched.</summary>
    bool AddBreakpoint(ulong address);

    /// <summary>Removes a breakpoint set by <see cref="AddBreakpoint"/>.</summary>
    bool RemoveBreakpoint(ulong address);

    /// <summary>Stops execution when the range is accessed the way <paramref name="kind"/> says.</summary>
    bool AddWatchpoint(ulong address, ulong length, WatchpointKind kind);

    /// <summary>Removes a watchpoint set by <see cref="AddWatchpoint"/> with the same arguments.</summary>
    bool RemoveWatchpoint(ulong address, ulong length, WatchpointKind kind);

    /// <summary>Executes one instruction (the machine's clock and devices advance with it) and says why it stopped.</summary>
    DebugStop Step();

    /// <summary>
    /// Runs the machine (clock events, interrupts, sleep fast-forward included) until a breakpoint,
    /// watchpoint, exit, fault or <see cref="Interrupt"/>. Blocks the calling thread.
    /// </summary>
    DebugStop Resume();

    /// <summary>
    /// Asks a running <see cref="Resume"/> to return <see cref="DebugStopKind.Interrupted"/> soon. Safe from any
    /// thread. A request that arrives while nothing runs is kept and ends the next <see cref="Resume"/> at once.
    /// </summary>
    void Interrupt();

    /// <summary>
    /// Told when a debugger attaches (true) and leaves (false). While one is attached a BKPT instruction stops
    /// the machine for it instead of faulting.
    /// </summary>
    void SetDebuggerAttached(bool attached);

    /// <summary>Resets the machine (core and devices) and leaves it halted at the reset vector.</summary>
    void Reset();

    /// <summary>Registers and status in human form, for "monitor state".</summary>
    string DescribeState();
}
