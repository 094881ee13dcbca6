using EdgeVisor.Emulation.Arm64.Memory;

namespace EdgeVisor.Emulation.Linux.Memory;

/// <summary>What kind of mapping an area is (the kernel's vm_flags that matter to the guest).</summary>
[Flags]
public enum MemoryAreaFlags
{
    None = 0,

    /// <summary>MAP_SHARED: writes reach the file (or other processes for anonymous shared memory).</summary>
    Shared = 1,

    /// <summary>Not backed by a file.</summary>
    Anonymous = 2,

    /// <summary>The initial stack ("[stack]").</summary>
    Stack = 4,

    /// <summary>The brk heap ("[heap]").</summary>
    Heap = 8,

    /// <summary>MAP_GROWSDOWN was given (accepted; the area does not grow).</summary>
    GrowsDown = 16,

    /// <summary>A shared file mapping whose file was opened read-only: PROT_WRITE is refused (EACCES).</summary>
    ReadOnlyFile = 32,
}

/// <summary>
/// One mapped range of the guest address space as the kernel tracks it (a VMA): page-aligned [Start, End),
/// permissions, kind, and for file mappings the file and the offset of <see cref="Start"/> in it.
/// </summary>
/// <param name="Start">First byte (page-aligned).</param>
/// <param name="End">One past the last byte (page-aligned).</param>
/// <param name="Permissions">Read/Write/Execute as mmap/mprotect set them.</param>
/// <param name="Flags">Kind of mapping.</param>
/// <param name="FilePath">Host path of the mapped file; null for anonymous memory.</param>
/// <param name="FileOffset">Offset in the file of <see cref="Start"/>.</param>
/// <param name="Label">What /proc/self/maps shows for it: the guest's path of the file, "[stack]", "[heap]", or null.</param>
public sealed record MemoryArea(ulong Start, ulong End, PagePermissions Permissions, MemoryAreaFlags Flags, string? FilePath = null, long FileOffset = 0, string? Label = null)
{
    /// <summary>Bytes covered.</summary>
    public ulong Length => End - Start;

    /// <summary>Whether <paramref name="address"/> lies inside.</summary>
    public bool Contains(ulong address) => address >= Start && address < End;

    /// <summary>The part of this area inside [start, end), with the file offset moved along.</summary>
    public MemoryArea Slice(ulong start, ulong end)
    {
        ulong s = Math.Max(start, Start);
        ulong e = Math.Min(end, End);
        return this with { Start = s, End = e, FileOffset = FilePath is null ? 0 : FileOffset + (long)(s - Start) };
    }

    /// <summary>One /proc/self/maps line.</summary>
    public string ToMapsLine()
    {
        char r = (Permissions & PagePermissions.Read) != 0 ? 'r' : '-';
        char w = (Permissions & PagePermissions.Write) != 0 ? 'w' : '-';
        char x = (Permissions & PagePermissions.Execute) != 0 ? 'x' : '-';
        char p = (Flags & MemoryAreaFlags.Shared) != 0 ? 's' : 'p';
        string head = $"{Start:x8}-{End:x8} {r}{w}{x}{p} {FileOffset:x8} 00:00 0";
        return Label is null ? head : head.PadRight(73) + Label;
    }
}
