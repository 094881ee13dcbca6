namespace EdgeVisor.Emulation.Arm64.Decoding;

/// <summary>
/// A run of decoded ops starting at <see cref="Start"/>; it ends after an op flagged <see cref="OpFlags.EndsBlock"/>,
/// at a size cap, or before a page it could not fetch. Blocks remember two successors so the run loop can skip the
/// cache lookup (a conditional branch alternates between them).
/// </summary>
public sealed class Block
{
    public Block(ulong start, Op[] ops, ulong end)
    {
        Start = start;
        Ops = ops;
        End = end;
    }

    /// <summary>Address of the first instruction.</summary>
    public ulong Start { get; }

    /// <summary>Address just past the last instruction (the fall-through PC).</summary>
    public ulong End { get; }

    /// <summary>The decoded instructions, executed in order.</summary>
    public Op[] Ops { get; }

    /// <summary>Cleared when the code under the block changed; chains to an invalid block are not followed.</summary>
    public volatile bool Valid = true;

    /// <summary>Most recent successor (chaining slot 1).</summary>
    public Block? Next1;

    /// <summary>Other successor (chaining slot 2).</summary>
    public Block? Next2;
}
