namespace EdgeVisor.Emulation.CortexM.Decoding;

/// <summary>
/// Decoded blocks by (start address, ITSTATE), with an index from code page to the blocks touching
/// it so a write to a page drops exactly the blocks decoded from it.
/// </summary>
internal sealed class BlockCache
{
    private readonly Dictionary<ulong, Block> _byStart = [];
    private readonly Dictionary<uint, List<Block>> _byPage = [];

    /// <summary>Blocks added since construction.</summary>
    public long Decoded { get; private set; }

    public Block? Find(uint pc, uint itState) => _byStart.GetValueOrDefault(Key(pc, itState));

    public void Add(Block block)
    {
        Decoded++;
        _byStart[Key(block.Start, block.StartItState)] = block;
        uint first = block.Start >> Memory.AddressSpace.PageBits;
        uint last = (block.End - 1) >> Memory.AddressSpace.PageBits;
        for (uint page = first; page <= last && page >= first; page++)
        {
            if (!_byPage.TryGetValue(page, out var list))
            {
                _byPage[page] = list = [];
            }

            list.Add(block);
        }
    }

    /// <summary>Drops every block decoded from the page at <paramref name="pageBase"/>.</summary>
    public void InvalidatePage(uint pageBase)
    {
        if (!_byPage.Remove(pageBase >> Memory.AddressSpace.PageBits, out var list))
        {
            return;
        }

        foreach (var block in list)
        {
            block.Valid = false;
            var key = Key(block.Start, block.StartItState);
            if (_byStart.TryGetValue(key, out var cached) && cached == block)
            {
                _byStart.Remove(key);
            }
        }
    }

    public void Clear()
    {
        foreach (var block in _byStart.Values)
        {
            block.Valid = false;
        }

        _byStart.Clear();
        _byPage.Clear();
    }

    private static ulong Key(uint pc, uint itState) => Block.KeyOf(pc, itState);
}
