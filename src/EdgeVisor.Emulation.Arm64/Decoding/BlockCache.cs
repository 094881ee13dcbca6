using System.Collections.Concurrent;
using EdgeVisor.Emulation.Arm64.Memory;

namespace EdgeVisor.Emulation.Arm64.Decoding;

/// <summary>
/// Decoded blocks of one address space, shared by all guest threads running in it, with an index from code page to
/// blocks so a write, unmap or mprotect of a page drops exactly the blocks decoded from it.
/// </summary>
public sealed class BlockCache
{
    private readonly ConcurrentDictionary<ulong, Block> _byStart = new();
    private readonly Dictionary<ulong, List<Block>> _byPage = [];
    private readonly Lock _pages = new();

    public BlockCache(GuestMemory memory)
    {
        memory.CodeModified += Invalidate;
    }

    /// <summary>Blocks decoded since construction.</summary>
    public long Decoded => Interlocked.Read(ref _decoded);

    private long _decoded;

    public Block? Find(ulong pc) => _byStart.GetValueOrDefault(pc);

    public void Add(Block block)
    {
        Interlocked.Increment(ref _decoded);
        lock (_pages)
        {
            _byStart[block.Start] = block;
            for (ulong page = block.Start >> GuestMemory.PageBits; page <= (block.End - 1) >> GuestMemory.PageBits; page++)
            {
                if (!_byPage.TryGetValue(page, out var list))
                {
                    _byPage[page] = list = [];
                }

                list.Add(block);
            }
        }
    }

    /// <summary>Drops every block decoded from pages overlapping [address, address+length).</summary>
    public void Invalidate(ulong address, ulong length)
    {
        if (length == 0)
        {
            return;
        }

        lock (_pages)
        {
            for (ulong page = address >> GuestMemory.PageBits; page <= (address + length - 1) >> GuestMemory.PageBits; page++)
            {
                if (!_byPage.Remove(page, out var list))
                {
                    continue;
                }

                foreach (var block in list)
                {
                    block.Valid = false;
                    _byStart.TryRemove(new KeyValuePair<ulong, Block>(block.Start, block));
                }
            }
        }
    }

    /// <summary>Drops every block (execve replaced the program).</summary>
    public void Clear()
    {
        lock (_pages)
        {
            foreach (var block in _byStart.Values)
            {
                block.Valid = false;
            }

            _byStart.Clear();
            _byPage.Clear();
        }
    }
}
