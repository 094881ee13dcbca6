namespace EdgeVisor.Emulation.Loading;

/// <summary>An ELF program header (one segment).</summary>
public sealed record ElfProgramHeader(
    uint Type,
    uint Flags,
    ulong Offset,
    ulong VirtualAddress,
    ulong PhysicalAddress,
    ulong FileSize,
    ulong MemorySize,
    ulong Alignment)
{
    /// <summary>PT_LOAD: a segment to place in memory.</summary>
    public const uint Load = 1;

    /// <summary>True for PT_LOAD.</summary>
    public bool IsLoad => Type == Load;
}

/// <summary>An ELF symbol-table entry.</summary>
public sealed record ElfSymbol(string Name, ulong Value, ulong Size, byte Type, byte Binding, ushort SectionIndex)
{
    /// <summary>STT_NOTYPE.</summary>
    public const byte NoType = 0;

    /// <summary>STT_OBJECT.</summary>
    public const byte ObjectType = 1;

    /// <summary>STT_FUNC.</summary>
    public const byte FunctionType = 2;

    /// <summary>True if the symbol is defined in a real section (not undefined, absolute or common).</summary>
    public bool IsDefinedInSection => SectionIndex != 0 && SectionIndex < 0xFF00;
}

/// <summary>
/// What EdgeVisor needs from an ELF executable, independent of class (32/64-bit) and of how a
/// particular machine places it: header fields, program headers, symbols and the raw file.
/// </summary>
public sealed class ElfFile
{
    private readonly byte[] _data;

    internal ElfFile(byte[] data, bool is64Bit, ushort type, ushort machine, ulong entry, uint flags,
        IReadOnlyList<ElfProgramHeader> programHeaders, IReadOnlyList<ElfSymbol> symbols)
    {
        _data = data;
        Is64Bit = is64Bit;
        Type = type;
        Machine = machine;
        Entry = entry;
        Flags = flags;
        ProgramHeaders = programHeaders;
        Symbols = symbols;
    }

    /// <summary>ELFCLASS64.</summary>
    public bool Is64Bit { get; }

    /// <summary>e_type (2 executable, 3 shared/position-independent).</summary>
    public ushort Type { get; }

    /// <summary>e_machine.</summary>
    public ushort Machine { get; }

    /// <summary>e_entry.</summary>
    public ulong Entry { get; }

    /// <summary>e_flags (for Arm: EABI version, float ABI).</summary>
    public uint Flags { get; }

    /// <summary>All program headers in file order.</summary>
    public IReadOnlyList<ElfProgramHeader> ProgramHeaders { get; }

    /// <summary>Entries of .symtab (empty for a stripped file), without the null entry.</summary>
    public IReadOnlyList<ElfSymbol> Symbols { get; }

    /// <summary>
    /// A segment's memory image: its file bytes followed by zeros up to its memory size. The
    /// reader has already checked that the file bytes exist.
    /// </summary>
    public byte[] ReadSegment(ElfProgramHeader header)
    {
        var bytes = new byte[checked((int)header.MemorySize)];
        _data.AsSpan(checked((int)header.Offset), checked((int)header.FileSize)).CopyTo(bytes);
        return bytes;
    }
}
