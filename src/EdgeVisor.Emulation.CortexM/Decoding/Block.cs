namespace EdgeVisor.Emulation.CortexM.Decoding;

/// <summary>
/// A run of decoded ops starting at <see cref="Start"/>: it ends after a branch or any instruction
/// that writes the PC or changes system state, at a size cap, before a breakpoint address, but never
/// inside an IT block unless an instruction there must end it. Blocks remember their successors so
/// the loop can skip the cache lookup.
/// </summary>
public sealed class Block
{
    public Block(uint start, uint startItState, Op[] ops, uint end, uint endItState, bool cacheable)
    {
        Start = start;
        StartItState = startItState;
        Ops = ops;
        End = end;
        EndItState = endItState;
        Cacheable = cacheable;
        Key = KeyOf(start, startItState);
    }

    /// <summary>(ITSTATE, start address) in one value, so the chaining test is a single compare.</summary>
    public ulong Key { get; }

    /// <summary>Address of the first instruction.</summary>
    public uint Start { get; }

    /// <summary>ITSTATE the block was decoded for (part of the cache key).</summary>
    public uint StartItState { get; }

    /// <summary>Address just past the last instruction (the fall-through PC).</summary>
    public uint End { get; }

    /// <summary>ITSTATE after the last instruction when it does not branch.</summary>
    public uint EndItState { get; }

    /// <summary>The decoded instructions, executed in order.</summary>
    public Op[] Ops { get; }

    /// <summary>False for blocks that must be decoded again each time (an instruction fetch failed).</summary>
    public bool Cacheable { get; }

    /// <summary>Cleared when code under the block was modified; chains to an invalid block are not followed.</summary>
    public bool Valid { get; set; } = true;

    /// <summary>Most recent successor (chaining slot 1).</summary>
    public Block? Next1 { get; set; }

    /// <summary>Other successor (chaining slot 2: a conditional branch has two).</summary>
    public Block? Next2 { get; set; }

    /// <summary>The cache and chaining key of a block starting at <paramref name="start"/> with <paramref name="itState"/>.</summary>
    public static ulong KeyOf(uint start, uint itState) => ((ulong)itState << 32) | start;
}
