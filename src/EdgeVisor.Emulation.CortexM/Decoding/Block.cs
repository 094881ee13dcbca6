namespace EdgeVisor.Emulation.CortexM.Decoding;

/// <summary>
/// A run of decoded ops starting at <see cref="Start"/>: it ends after a branch or any instruction
/// that writes the PC or changes system state, at a size cap, before a breakpoint address, but never
/// inside an IT block. Blocks remember their successors so the loop can skip the cache lookup.
/// </summary>
public sealed class Block
{
    public Block(uint start, Op[] ops, uint end)
    {
        Start = start;
        Ops = ops;
        End = end;
    }

    /// <summary>Address of the first instruction.</summary>
    public uint Start { get; }

    /// <summary>Address just past the last instruction (the fall-through PC).</summary>
    public uint End { get; }

    /// <summary>The decoded instructions, executed in order.</summary>
    public Op[] Ops { get; }

    /// <summary>Cleared when code under the block was modified; chains to an invalid block are not followed.</summary>
    public bool Valid { get; set; } = true;

    /// <summary>Most recent successor (chaining slot 1).</summary>
    public Block? Next1 { get; set; }

    /// <summary>Other successor (chaining slot 2: a conditional branch has two).</summary>
    public Block? Next2 { get; set; }
}
