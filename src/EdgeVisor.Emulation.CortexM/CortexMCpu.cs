using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using EdgeVisor.Emulation.CortexM.Decoding;
using EdgeVisor.Emulation.CortexM.Execution;
using EdgeVisor.Emulation.Machines;
using EdgeVisor.Emulation.Memory;
using EdgeVisor.Emulation.Time;

namespace EdgeVisor.Emulation.CortexM;

/// <summary>
/// An ARMv6-M / ARMv7-M / ARMv7E-M core. This part is the execution engine: it decodes Thumb code
/// once into cached blocks of ops (<see cref="ThumbDecoder"/>) and interprets them, one cycle per
/// instruction. The system side (exceptions, NVIC, SCB, SysTick, MPU) lives in the other parts.
/// </summary>
public sealed unsafe partial class CortexMCpu : ICpu
{
    /// <summary>Longest block in ops (a block may run a few ops over to finish an IT block).</summary>
    public const int MaxBlockOps = 64;

    private readonly BlockCache _blocks;
    private readonly HashSet<uint> _breakpoints = [];
    private readonly bool _alwaysAlignmentFaults;

    // Set by a handler that wrote the PC; the loop then keeps R15 instead of falling through.
    private bool _branched;

    // Ops of the current block still allowed to run; device accesses and debug events lower it.
    private int _blockLimit;
    // The block being run while _inBlock; kept afterwards (not nulled) so rerunning it needs no reference store.
    private Block? _currentBlock;
    private bool _inBlock;
    private ulong _blockStartCycle;

    private volatile bool _stopRequested;

    // One flag the loop tests per block instead of each rare condition: a stop request, a pending
    // stop reason, or a device access that may have moved the clock's next event.
    private volatile bool _attention;
    private bool _hasBreakpoints;

    // Set when a device was accessed (or a system call ran): the clock's next event may have moved.
    private bool _eventsMayHaveChanged;
    private StopReason? _pendingStop;
    private uint? _resumeBreakpoint;

    // Local exclusive monitor.
    private bool _exclusiveOpen;
    private uint _exclusiveAddress;

    public CortexMCpu(CortexMModel model, AddressSpace bus, VirtualClock clock, CortexMConfiguration configuration)
    {
        CpuModel = model;
        Bus = bus;
        Clock = clock;
        Configuration = configuration;
        _alwaysAlignmentFaults = model.IsV6M;
        _blocks = new BlockCache();
        bus.CodeModified += OnCodeModified;
        bus.BeforeDeviceAccess = OnDeviceAccess;
        bus.WatchpointHit += OnWatchpointHit;
        InitializeSystem();
    }

    public AddressSpace Bus { get; }

    public VirtualClock Clock { get; }

    public CortexMConfiguration Configuration { get; }

    public string Model => CpuModel.Name;

    /// <summary>Instructions retired since reset (condition-failed instructions count: they take their cycle).</summary>
    public ulong InstructionsRetired { get; private set; }

    public int? ExitCode { get; private set; }

    /// <summary>True while a debugger is attached: BKPT stops the run instead of escalating to HardFault.</summary>
    public bool DebuggerAttached { get; set; }

    /// <summary>Maps an address to a symbol name for <see cref="DescribeState"/>; the loader fills it.</summary>
    public Func<uint, string?>? SymbolLookup { get; set; }

    /// <summary>Number of blocks decoded since construction (diagnostics and tests).</summary>
    public long BlocksDecoded => _blocks.Decoded;

    public void Reset()
    {
        _blocks.Clear();
        ClearExclusiveMonitor();
        InstructionsRetired = 0;
        ExitCode = null;
        _pendingStop = null;
        _resumeBreakpoint = null;
        _branched = false;
        ResetSystem();
    }

    /// <summary>Clears the local exclusive monitor (CLREX, exception entry and return).</summary>
    public void ClearExclusiveMonitor() => _exclusiveOpen = false;

    public void RequestStop()
    {
        _stopRequested = true;
        _attention = true;
    }

    /// <summary>Stops before executing the instruction at <paramref name="address"/>.</summary>
    public void AddBreakpoint(uint address)
    {
        if (_breakpoints.Add(address & ~1u))
        {
            _blocks.Clear();
            _hasBreakpoints = true;
            _resumeBreakpoint = null;
        }
    }

    public void RemoveBreakpoint(uint address)
    {
        if (_breakpoints.Remove(address & ~1u))
        {
            _blocks.Clear();
            _hasBreakpoints = _breakpoints.Count != 0;
        }
    }

    /// <summary>
    /// Runs until <paramref name="untilCycle"/> or the clock's next scheduled event, whichever comes
    /// first (an event scheduled during the run by a device access moves that limit), or until
    /// something stops the core.
    /// </summary>
    public StopReason Run(ulong untilCycle)
    {
        Block? previous = null;
        ulong limit = Math.Min(untilCycle, Clock.NextEventAt);
        _eventsMayHaveChanged = false;
        _attention = true;
        while (true)
        {
            if (_attention)
            {
                _attention = false;
                if (_stopRequested)
                {
                    _stopRequested = false;
                    return StopReason.Interrupted;
                }

                if (_pendingStop is { } stop)
                {
                    _pendingStop = null;
                    return stop;
                }

                if (_eventsMayHaveChanged)
                {
                    // A device was touched: it may have scheduled an event before the current limit.
                    _eventsMayHaveChanged = false;
                    limit = Math.Min(untilCycle, Clock.NextEventAt);
                }
            }

            if (ExceptionCheckNeeded && CheckPendingExceptions())
            {
                previous = null;
            }

            if (Sleeping)
            {
                Clock.AdvanceTo(limit);
                return StopReason.Sleeping;
            }

            ulong now = Clock.Now;
            if (now >= limit)
            {
                return StopReason.Budget;
            }

            uint pc = R[15];
            if (_hasBreakpoints)
            {
                if (_breakpoints.Contains(pc) && _resumeBreakpoint != pc)
                {
                    _resumeBreakpoint = pc;
                    return StopReason.Breakpoint;
                }

                _resumeBreakpoint = null;
            }

            if (!Thumb)
            {
                // EPSR.T clear (BX to an even address): the next instruction faults before executing.
                RaiseFault(FaultType.InvalidState, pc);
                previous = null;
                continue;
            }

            // Chaining fast path: the two successors recorded on the previous block, each tested with one key compare
            // (a conditional branch alternates between them; only a miss in both pays the NextBlock call).
            ulong key = Block.KeyOf(pc, ItState);
            Block? block = null;
            if (previous is not null)
            {
                block = previous.Next1;
                if (block is null || block.Key != key || !block.Valid)
                {
                    block = previous.Next2;
                    if (block is null || block.Key != key || !block.Valid)
                    {
                        block = null;
                    }
                }
            }

            block ??= NextBlock(previous, pc, key);

            ulong budget = limit - now;
            int length = block.Ops.Length;
            RunBlock(block, budget < (ulong)length ? (int)budget : length, now);
            previous = block;
        }
    }

    public StopReason Step()
    {
        if (ExceptionCheckNeeded && CheckPendingExceptions())
        {
            return StopReason.Step;
        }

        _resumeBreakpoint = null;
        if (!Thumb)
        {
            RaiseFault(FaultType.InvalidState, R[15]);
            return StopReason.Step;
        }

        var block = ThumbDecoder.DecodeBlock(this, R[15], ItState, 1);
        RunBlock(block, 1, Clock.Now);
        if (_pendingStop is { } stop)
        {
            _pendingStop = null;
            return stop;
        }

        return StopReason.Step;
    }

    public string DescribeState()
    {
        var text = new StringBuilder();
        for (int i = 0; i < 13; i++)
        {
            text.Append($"r{i,-2} 0x{R[i]:X8}{(i % 4 == 3 ? "\n" : "  ")}");
        }

        string? symbol = SymbolLookup?.Invoke(R[15]);
        text.Append($"\nsp  0x{R[13]:X8}  lr  0x{R[14]:X8}  pc  0x{R[15]:X8}{(symbol is null ? "" : $" <{symbol}>")}\n");
        text.Append($"xpsr 0x{Xpsr:X8}  control 0x{Control:X}  primask {(Primask ? 1 : 0)}  faultmask {(Faultmask ? 1 : 0)}  basepri 0x{Basepri:X2}\n");
        text.Append(DescribeFaultStatus());
        return text.ToString();
    }

    /// <summary>Writes the PC as a branch does (bit 0 ignored).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void BranchWritePC(uint target)
    {
        R[15] = target & ~1u;
        _branched = true;
    }

    /// <summary>Writes the PC as BX does: bit 0 sets EPSR.T, EXC_RETURN values in Handler mode return from the exception.</summary>
    public void BxWritePC(uint target)
    {
        _branched = true;
        if (Ipsr != 0 && (target & 0xF0000000) == 0xF0000000)
        {
            ExceptionReturn(target);
            return;
        }

        Thumb = (target & 1) != 0;
        R[15] = target & ~1u;
    }

    /// <summary>A load into the PC (LDR, LDM, POP): the same rules as BX on M-profile.</summary>
    public void LoadWritePC(uint value) => BxWritePC(value);

    /// <summary>Ends the current block right after the instruction now executing (e.g. state that the loop must see changed).</summary>
    public void EndBlockAfterCurrent()
    {
        if (_inBlock && _currentBlock is { } block)
        {
            _blockLimit = Math.Min(_blockLimit, CurrentOpIndex(block) + 1);
        }
    }

    /// <summary>Stops the run after the current instruction with <paramref name="reason"/>.</summary>
    public void StopAfterCurrent(StopReason reason)
    {
        _pendingStop ??= reason;
        _attention = true;
        EndBlockAfterCurrent();
    }

    /// <summary>Records a semihosting exit: the run stops with <see cref="StopReason.Exited"/>.</summary>
    public void Exit(int code)
    {
        ExitCode = code;
        StopAfterCurrent(StopReason.Exited);
    }

    /// <summary>The block at (<paramref name="pc"/>, ITSTATE) when neither chaining slot holds it: the cache or a fresh decode.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private Block NextBlock(Block? previous, uint pc, ulong key)
    {
        uint it = (uint)(key >> 32);
        var block = _blocks.Find(pc, it);
        if (block is null)
        {
            block = ThumbDecoder.DecodeBlock(this, pc, it, MaxBlockOps);
            if (block.Cacheable)
            {
                _blocks.Add(block);
                Bus.WatchCode(block.Start);
                Bus.WatchCode(block.End - 1);
            }
        }

        if (previous is not null && block.Cacheable)
        {
            if (previous.Next1 is null || !previous.Next1.Valid)
            {
                previous.Next1 = block;
            }
            else
            {
                previous.Next2 = block;
            }
        }

        return block;
    }

    /// <summary>Runs the first <paramref name="count"/> ops of <paramref name="block"/> and does the block-end bookkeeping.</summary>
    private void RunBlock(Block block, int count, ulong start)
    {
        _blockStartCycle = start;
        if (!ReferenceEquals(_currentBlock, block))
        {
            // Only on a change: a reference store costs a GC write barrier, and loops rerun one block.
            _currentBlock = block;
        }

        _inBlock = true;
        _branched = false;
        ItState = block.EndItState;
        int done;
        try
        {
            // Execute permission depends on privilege and the MPU, so it is checked per run, not at decode.
            // Without the MPU only the default map's execute-never space (0x40000000 up, in part) can refuse.
            if (MpuEnabled || block.Start >= 0x40000000)
            {
                CheckInstructionFetch(block.Start);
            }

            done = Execute(block, count);
        }
        catch (CortexMFaultException fault)
        {
            done = FaultedAt(block, fault.Type, fault.Address);
        }
        catch (BusFaultException busFault)
        {
            done = FaultedAt(block, FaultType.PreciseBusError, busFault.Address);
        }

        _inBlock = false;
        if (done >= 0)
        {
            var ops = block.Ops;
            if (done < ops.Length)
            {
                if (!_branched)
                {
                    R[15] = ops[done].Address;
                }

                ItState = ops[done].ItState;
            }
            else if (!_branched)
            {
                R[15] = block.End;
            }

            Clock.AdvanceTo(start + (ulong)done);
            InstructionsRetired += (ulong)done;
        }

        _branched = false;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int Execute(Block block, int count)
    {
        _blockLimit = count;
        ref Op op = ref MemoryMarshal.GetArrayDataReference(block.Ops);
        int i = 0;
        while (i < _blockLimit)
        {
            ref Op current = ref Unsafe.Add(ref op, i);
            R[15] = current.Address + 4;
            if (current.Cond == Conditions.Always || ConditionPassed(current.Cond))
            {
                current.Handler(this, ref current);
            }

            i++;
        }

        return i;
    }

    /// <summary>The instruction at R15-4 faulted: restore its PC/ITSTATE, account the ones before it, raise the fault. Returns -1.</summary>
    private int FaultedAt(Block block, FaultType type, uint address)
    {
        int index = CurrentOpIndex(block);
        ref Op op = ref block.Ops[index];
        R[15] = op.Address;
        ItState = op.ItState;
        Clock.AdvanceTo(_blockStartCycle + (ulong)index);
        InstructionsRetired += (ulong)index;
        _inBlock = false;
        _branched = false;
        if (type == FaultType.BreakpointNoDebugger && DebuggerAttached)
        {
            _pendingStop ??= StopReason.Breakpoint;
            _attention = true;
            return -1;
        }

        RaiseFault(type, type is FaultType.InstructionBusError or FaultType.UndefinedInstruction or FaultType.InvalidState ? op.Address : address);
        return -1;
    }

    private int CurrentOpIndex(Block block)
    {
        uint address = R[15] - 4;
        var ops = block.Ops;
        for (int i = 0; i < ops.Length; i++)
        {
            if (ops[i].Address == address)
            {
                return i;
            }
        }

        return 0;
    }

    private void OnDeviceAccess()
    {
        _eventsMayHaveChanged = true;
        _attention = true;
        if (_inBlock && _currentBlock is { } block)
        {
            int index = CurrentOpIndex(block);
            Clock.AdvanceTo(_blockStartCycle + (ulong)index);
            _blockLimit = Math.Min(_blockLimit, index + 1);
        }
    }

    private void OnWatchpointHit(uint address, int size, bool isWrite) => StopAfterCurrent(StopReason.Watchpoint);

    private void OnCodeModified(uint pageBase)
    {
        _blocks.InvalidatePage(pageBase);
        EndBlockAfterCurrent();
    }
}
