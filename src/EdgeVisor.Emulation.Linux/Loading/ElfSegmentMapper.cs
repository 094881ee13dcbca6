using System.Buffers.Binary;
using EdgeVisor.Emulation.Arm64.Memory;
using EdgeVisor.Emulation.Linux.Memory;
using EdgeVisor.Emulation.Loading;

namespace EdgeVisor.Emulation.Linux.Loading;

/// <summary>Where one ELF file ended up in the guest: what auxv and the start-up registers need.</summary>
/// <param name="Bias">Added to every virtual address of the file (0 for ET_EXEC).</param>
/// <param name="Entry">Entry point after relocation.</param>
/// <param name="ProgramHeaders">Guest address of the program header table (AT_PHDR), 0 when no segment holds it.</param>
/// <param name="ProgramHeaderSize">e_phentsize (AT_PHENT).</param>
/// <param name="ProgramHeaderCount">e_phnum (AT_PHNUM).</param>
/// <param name="End">Highest guest address a segment occupies (where brk starts for the main program).</param>
public sealed record MappedElf(ulong Bias, ulong Entry, ulong ProgramHeaders, int ProgramHeaderSize, int ProgramHeaderCount, ulong End);

/// <summary>
/// Places the PT_LOAD segments of one ELF file in the guest with page-granular permissions: file bytes copied in,
/// the rest (bss, including the tail of the last file page) zero. Segments sharing a page give that page the union
/// of their permissions, as the kernel's overlapping mappings do.
/// </summary>
internal static class ElfSegmentMapper
{
    private const uint SegmentExecute = 1;
    private const uint SegmentWrite = 2;
    private const uint SegmentRead = 4;
    private const int ProgramHeaderOffsetField = 32;
    private const int ProgramHeaderEntrySizeField = 54;
    private const int ProgramHeaderCountField = 56;
    private const uint ProgramHeaderTableType = 6; // PT_PHDR

    /// <summary>Lowest page-aligned virtual address and page-aligned end of the file's PT_LOAD segments.</summary>
    public static (ulong Low, ulong High) Span(ElfFile elf)
    {
        ulong low = ulong.MaxValue;
        ulong high = 0;
        foreach (var segment in elf.ProgramHeaders.Where(h => h.IsLoad && h.MemorySize != 0))
        {
            low = Math.Min(low, segment.VirtualAddress & ~GuestMemory.PageMask);
            high = Math.Max(high, MemoryMap.PageAlignUp(segment.VirtualAddress + segment.MemorySize));
        }

        return (low, high);
    }

    /// <summary>Largest p_align of the PT_LOAD segments (at least a page): an ET_DYN bias must be a multiple of it.</summary>
    public static ulong Alignment(ElfFile elf)
    {
        ulong alignment = GuestMemory.PageSize;
        foreach (var header in elf.ProgramHeaders)
        {
            if (header.IsLoad && header.Alignment > alignment && (header.Alignment & (header.Alignment - 1)) == 0)
            {
                alignment = header.Alignment;
            }
        }

        return alignment;
    }

    public static MappedElf Map(MemoryMap map, GuestMemory memory, ElfFile elf, byte[] data, string path, string label, ulong bias)
    {
        ulong mappedTo = 0; // end of the highest page mapped so far
        ulong end = 0;
        foreach (var segment in elf.ProgramHeaders.Where(h => h.IsLoad && h.MemorySize != 0).OrderBy(h => h.VirtualAddress))
        {
            ulong start = bias + segment.VirtualAddress;
            if (start + segment.MemorySize > memory.Size || start + segment.MemorySize < start)
            {
                throw new ImageFormatException(path, $"segment at 0x{start:x} (+0x{segment.MemorySize:x}) lies outside the {memory.Size >> 30} GiB guest address space");
            }

            var permissions = Permissions(segment.Flags);
            ulong pageStart = start & ~GuestMemory.PageMask;
            ulong pageEnd = MemoryMap.PageAlignUp(start + segment.MemorySize);
            ulong fileEnd = MemoryMap.PageAlignUp(start + segment.FileSize);
            ulong fresh = Math.Max(pageStart, mappedTo);
            if (fresh > pageStart)
            {
                // The first page is shared with the previous segment: it keeps both segments' permissions.
                var shared = memory.PermissionsAt(pageStart);
                memory.Protect(pageStart, GuestMemory.PageSize, MemoryMap.Effective(shared | permissions));
            }

            if (fresh < pageEnd)
            {
                if (map.Find(fresh) is not null || !IsFree(map, fresh, pageEnd))
                {
                    throw new ImageFormatException(path, $"segment at 0x{start:x} overlaps memory already in use");
                }

                memory.Map(fresh, pageEnd - fresh, PagePermissions.ReadWrite);
                long fileOffset = (long)(segment.Offset - (start - fresh));
                if (fresh < fileEnd)
                {
                    map.AddMapped(new MemoryArea(fresh, fileEnd, permissions, MemoryAreaFlags.None, path, fileOffset, label));
                }

                if (Math.Max(fresh, fileEnd) < pageEnd)
                {
                    map.AddMapped(new MemoryArea(Math.Max(fresh, fileEnd), pageEnd, permissions, MemoryAreaFlags.Anonymous));
                }
            }

            memory.WritePrivileged(start, data.AsSpan(checked((int)segment.Offset), checked((int)segment.FileSize)));
            if (fresh < pageEnd)
            {
                memory.Protect(fresh, pageEnd - fresh, MemoryMap.Effective(permissions));
            }

            mappedTo = Math.Max(mappedTo, pageEnd);
            end = Math.Max(end, start + segment.MemorySize);
        }

        return new MappedElf(bias, bias + elf.Entry, ProgramHeaderAddress(elf, data, bias),
            BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(ProgramHeaderEntrySizeField)),
            BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(ProgramHeaderCountField)), end);
    }

    /// <summary>Where the program header table is in memory: PT_PHDR if present, else the load segment holding e_phoff.</summary>
    private static ulong ProgramHeaderAddress(ElfFile elf, byte[] data, ulong bias)
    {
        var table = elf.ProgramHeaders.FirstOrDefault(h => h.Type == ProgramHeaderTableType);
        if (table is not null)
        {
            return bias + table.VirtualAddress;
        }

        ulong offset = BinaryPrimitives.ReadUInt64LittleEndian(data.AsSpan(ProgramHeaderOffsetField));
        var holder = elf.ProgramHeaders.FirstOrDefault(h => h.IsLoad && offset >= h.Offset && offset < h.Offset + h.FileSize);
        return holder is null ? 0 : bias + holder.VirtualAddress + (offset - holder.Offset);
    }

    private static bool IsFree(MemoryMap map, ulong start, ulong end) =>
        !map.Areas.Any(a => a.Start < end && start < a.End);

    private static PagePermissions Permissions(uint flags) =>
        ((flags & SegmentRead) != 0 ? PagePermissions.Read : 0)
        | ((flags & SegmentWrite) != 0 ? PagePermissions.Write : 0)
        | ((flags & SegmentExecute) != 0 ? PagePermissions.Execute : 0);
}
