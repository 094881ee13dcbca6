using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using EdgeVisor.Emulation.Arm64.Decoding;
using EdgeVisor.Emulation.Arm64.Memory;

namespace EdgeVisor.Emulation.Arm64;

/// <summary>
/// An A64 core at EL0: runs decoded blocks from a shared <see cref="BlockCache"/> over a <see cref="GuestMemory"/>
/// until something needs the kernel layer (SVC, an abort, an undefined instruction) or the instruction budget runs out.
/// One instance per guest thread; several may share the memory and the cache.
/// </summary>
public sealed partial class Arm64Cpu
{
    /// <summary>Longest block in instructions (bounds the latency of <see cref="RequestStop"/>).</summary>
    public const int MaxBlockOps = 64;

    private volatile bool _stopRequested;
    private Arm64Stop? _pendingStop;

    /// <summary>Index in the running block of the op being executed, for <see cref="Faulted"/>.</summary>
    private int _currentOp;

    /// <summary>Address of the running block's first instruction, for <see cref="Faulted"/>.</summary>
    private ulong _blockStart;

    public Arm64Cpu(GuestMemory memory, BlockCache blocks)
    {
        Memory = memory;
        Blocks = blocks;
    }

    /// <summary>The address space instructions and data come from.</summary>
    public GuestMemory Memory { get; }

    /// <summary>Decoded blocks, shared with the other threads of the address space.</summary>
    public BlockCache Blocks { get; }

    /// <summary>Instructions executed since construction.</summary>
    public ulong InstructionsRetired { get; private set; }

    /// <summary>Asks the core to return <see cref="Arm64StopKind.Interrupted"/> at the next block boundary. Callable from any thread.</summary>
    public void RequestStop() => _stopRequested = true;

    /// <summary>
    /// Runs until a stop (see <see cref="Arm64StopKind"/>) or until <paramref name="maxInstructions"/> have executed.
    /// On return <see cref="Pc"/> is where execution resumes (after an SVC) or the instruction that stopped it.
    /// </summary>
    public Arm64Stop Run(ulong maxInstructions = ulong.MaxValue)
    {
        // The guard is here, around the whole run, rather than around each block: code inside a try keeps the locals
        // that the handler could see in memory, and entering a method per block costs a frame. A fault ends the run,
        // so nothing needs to resume after the catch.
        try
        {
            return RunBlocks(maxInstructions);
        }
        catch (GuestFaultException fault)
        {
            return Faulted(fault);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private unsafe Arm64Stop RunBlocks(ulong maxInstructions)
    {
        ulong remaining = maxInstructions;
        Block? previous = null;
        while (true)
        {
            if (_stopRequested)
            {
                _stopRequested = false;
                return new Arm64Stop(Arm64StopKind.Interrupted);
            }

            if (remaining == 0)
            {
                return new Arm64Stop(Arm64StopKind.InstructionLimit);
            }

            ulong pc = Pc;
            Block? block = null;
            if (previous is not null)
            {
                block = previous.Next1;
                if (block is null || block.Start != pc || !block.Valid)
                {
                    block = previous.Next2;
                    if (block is null || block.Start != pc || !block.Valid)
                    {
                        block = null;
                    }
                }
            }

            if (block is null)
            {
                if ((pc & 3) != 0)
                {
                    return new Arm64Stop(Arm64StopKind.PcAlignment, pc);
                }

                block = NextBlock(previous, pc);
            }

            var ops = block.Ops;
            if (ops.Length == 0)
            {
                Pc = block.Start; // the fetch at the block's start failed
                return new Arm64Stop(Arm64StopKind.InstructionAbort, block.Start);
            }

            int count = remaining < (ulong)ops.Length ? (int)remaining : ops.Length;
            Pc = count == ops.Length ? block.End : ops[count].Address;
            _blockStart = block.Start;
            ref Op first = ref MemoryMarshal.GetArrayDataReference(ops);
            for (int i = 0; i < count; i++)
            {
                // For Faulted: which op of the block was running (a plain store, off the critical path).
                _currentOp = i;
                ref Op op = ref Unsafe.Add(ref first, i);
                op.Handler(this, ref op);
            }

            InstructionsRetired += (ulong)count;
            remaining -= (ulong)count;
            if (_pendingStop.HasValue)
            {
                var stop = _pendingStop.GetValueOrDefault();
                _pendingStop = null;
                return stop;
            }

            previous = block;
        }
    }

    /// <summary>
    /// The stop for a memory fault in op <see cref="_currentOp"/> of the block at <see cref="_blockStart"/>: the ops
    /// before it have retired, PC is the faulting instruction (blocks are consecutive instructions, 4 bytes each).
    /// </summary>
    private Arm64Stop Faulted(GuestFaultException fault)
    {
        int done = _currentOp;
        InstructionsRetired += (ulong)done;
        Pc = _blockStart + ((ulong)done << 2);
        _pendingStop = null;
        return fault.Execute
            ? new Arm64Stop(Arm64StopKind.InstructionAbort, fault.Address)
            : new Arm64Stop(Arm64StopKind.DataAbort, fault.Address, Write: fault.Write, Alignment: fault.Kind == GuestFaultKind.Alignment);
    }

    /// <summary>Executes exactly one instruction (tests, debuggers) and returns why it stopped.</summary>
    public Arm64Stop Step() => Run(1);

    /// <summary>
    /// Called by an op's handler to end the run after it: SVC, BRK, HLT, undefined. The op must be flagged
    /// <see cref="OpFlags.EndsBlock"/>; for stops at the instruction itself the handler also sets <see cref="Pc"/>.
    /// </summary>
    public void RaiseStop(Arm64Stop stop) => _pendingStop = stop;

    private Block NextBlock(Block? previous, ulong pc)
    {
        var block = Blocks.Find(pc);
        if (block is null)
        {
            block = A64Decoder.DecodeBlock(Memory, pc, MaxBlockOps);
            if (block.Ops.Length == 0)
            {
                return block; // fetch failed at pc: RunBlocks reports the instruction abort
            }

            Blocks.Add(block);
        }

        if (previous is not null)
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
}
