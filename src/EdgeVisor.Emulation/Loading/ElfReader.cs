using System.Buffers.Binary;
using System.Text;

namespace EdgeVisor.Emulation.Loading;

/// <summary>
/// Parses little-endian ELF32 and ELF64 executables for a given target machine, checking every
/// offset against the file so a truncated or corrupt file gives a one-line error, not a crash.
/// </summary>
public static class ElfReader
{
    private const int IdentSize = 16;
    private const byte ClassElf32 = 1;
    private const byte ClassElf64 = 2;
    private const byte DataLittleEndian = 1;
    private const byte DataBigEndian = 2;
    private const uint SectionTypeSymbolTable = 2;

    // Caps that keep a hostile header from making us allocate gigabytes.
    private const ulong MaxSegmentBytes = 512u << 20;
    private const int MaxHeaderCount = 0xFFFF;

    /// <summary>True if the bytes start with the ELF magic number.</summary>
    public static bool HasElfMagic(ReadOnlySpan<byte> data) =>
        data.Length >= 4 && data[0] == 0x7F && data[1] == (byte)'E' && data[2] == (byte)'L' && data[3] == (byte)'F';

    /// <summary>Parses <paramref name="data"/> read from <paramref name="path"/> and checks it is built for <paramref name="target"/>.</summary>
    /// <exception cref="ImageFormatException">The file is not a usable ELF executable for the target.</exception>
    public static ElfFile Read(byte[] data, string path, ElfTarget target)
    {
        if (!HasElfMagic(data))
        {
            throw new ImageFormatException(path, "not an ELF file (bad magic number)");
        }

        if (data.Length < IdentSize + 4)
        {
            throw new ImageFormatException(path, $"truncated ELF header ({data.Length} bytes)");
        }

        byte elfClass = data[4];
        byte encoding = data[5];
        if (elfClass is not (ClassElf32 or ClassElf64))
        {
            throw new ImageFormatException(path, $"corrupt ELF header: invalid class {elfClass}");
        }

        if (encoding is not (DataLittleEndian or DataBigEndian))
        {
            throw new ImageFormatException(path, $"corrupt ELF header: invalid data encoding {encoding}");
        }

        bool bigEndian = encoding == DataBigEndian;
        ushort machine = bigEndian
            ? BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(18))
            : BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(18));
        if (machine != target.Machine)
        {
            throw new ImageFormatException(path, $"ELF for {ElfTarget.DescribeMachine(machine)}, expected {target.Name}");
        }

        if (bigEndian)
        {
            throw new ImageFormatException(path, $"big-endian ELF, expected little-endian {target.Name}");
        }

        bool is64 = elfClass == ClassElf64;
        if (is64 != target.Is64Bit)
        {
            throw new ImageFormatException(path, $"{(is64 ? 64 : 32)}-bit ELF, expected {(target.Is64Bit ? 64 : 32)}-bit for {target.Name}");
        }

        var layout = is64 ? ElfLayout.Elf64 : ElfLayout.Elf32;
        if (data.Length < layout.HeaderSize)
        {
            throw new ImageFormatException(path, $"truncated ELF header ({data.Length} of {layout.HeaderSize} bytes)");
        }

        var reader = new FieldReader(data, is64);
        ushort type = reader.U16(16);
        switch (type)
        {
            case 1:
                throw new ImageFormatException(path, "relocatable object file, not a linked executable (link it first)");
            case 4:
                throw new ImageFormatException(path, "core dump, not an executable");
            case not (2 or 3):
                throw new ImageFormatException(path, $"corrupt ELF header: unknown file type {type}");
        }

        ulong entry = reader.Word(24);
        ulong programHeaderOffset = reader.Word(layout.PhOffField);
        ulong sectionHeaderOffset = reader.Word(layout.ShOffField);
        uint flags = reader.U32(layout.FlagsField);
        ushort programHeaderSize = reader.U16(layout.PhEntSizeField);
        ushort programHeaderCount = reader.U16(layout.PhEntSizeField + 2);
        ushort sectionHeaderSize = reader.U16(layout.PhEntSizeField + 4);
        ushort sectionHeaderCount = reader.U16(layout.PhEntSizeField + 6);

        var programHeaders = ReadProgramHeaders(path, reader, layout, programHeaderOffset, programHeaderSize, programHeaderCount);
        var symbols = ReadSymbols(path, reader, layout, sectionHeaderOffset, sectionHeaderSize, sectionHeaderCount);
        return new ElfFile(data, is64, type, machine, entry, flags, programHeaders, symbols);
    }

    private static List<ElfProgramHeader> ReadProgramHeaders(string path, FieldReader reader, ElfLayout layout, ulong offset, ushort entrySize, ushort count)
    {
        if (count == 0)
        {
            throw new ImageFormatException(path, "ELF file has no program headers (nothing to load)");
        }

        if (count == MaxHeaderCount || entrySize < layout.ProgramHeaderSize)
        {
            throw new ImageFormatException(path, $"corrupt program headers ({count} entries of {entrySize} bytes)");
        }

        if (!reader.Contains(offset, (ulong)entrySize * count))
        {
            throw new ImageFormatException(path, $"truncated program headers: {count} x {entrySize} bytes at offset 0x{offset:X} run past the end of the file ({reader.Length} bytes)");
        }

        var headers = new List<ElfProgramHeader>(count);
        for (int i = 0; i < count; i++)
        {
            int at = (int)offset + i * entrySize;
            var header = layout.Is64
                ? new ElfProgramHeader(reader.U32(at), reader.U32(at + 4), reader.Word(at + 8), reader.Word(at + 16),
                    reader.Word(at + 24), reader.Word(at + 32), reader.Word(at + 40), reader.Word(at + 48))
                : new ElfProgramHeader(reader.U32(at), reader.U32(at + 24), reader.U32(at + 4), reader.U32(at + 8),
                    reader.U32(at + 12), reader.U32(at + 16), reader.U32(at + 20), reader.U32(at + 28));
            if (header.IsLoad)
            {
                CheckLoadSegment(path, reader, i, header);
            }

            headers.Add(header);
        }

        if (!headers.Exists(h => h.IsLoad && h.MemorySize != 0))
        {
            throw new ImageFormatException(path, "ELF file has no loadable (PT_LOAD) segments");
        }

        return headers;
    }

    private static void CheckLoadSegment(string path, FieldReader reader, int index, ElfProgramHeader header)
    {
        if (header.FileSize > header.MemorySize)
        {
            throw new ImageFormatException(path, $"corrupt program header {index}: file size 0x{header.FileSize:X} exceeds memory size 0x{header.MemorySize:X}");
        }

        if (header.MemorySize > MaxSegmentBytes)
        {
            throw new ImageFormatException(path, $"program header {index}: segment of 0x{header.MemorySize:X} bytes is too large for a firmware image");
        }

        if (!reader.Contains(header.Offset, header.FileSize))
        {
            throw new ImageFormatException(path, $"truncated: segment {index} needs file bytes 0x{header.Offset:X}..0x{header.Offset + header.FileSize:X} but the file has {reader.Length}");
        }
    }

    private static List<ElfSymbol> ReadSymbols(string path, FieldReader reader, ElfLayout layout, ulong offset, ushort entrySize, ushort count)
    {
        var symbols = new List<ElfSymbol>();
        if (offset == 0 || count == 0)
        {
            return symbols;
        }

        if (entrySize < layout.SectionHeaderSize || !reader.Contains(offset, (ulong)entrySize * count))
        {
            throw new ImageFormatException(path, $"truncated or corrupt section headers: {count} x {entrySize} bytes at offset 0x{offset:X} (file has {reader.Length} bytes)");
        }

        for (int i = 0; i < count; i++)
        {
            var section = ReadSection(reader, layout, (int)offset + i * entrySize);
            if (section.Type != SectionTypeSymbolTable)
            {
                continue;
            }

            if (section.Link >= count)
            {
                throw new ImageFormatException(path, $"corrupt symbol table: string table index {section.Link} out of range");
            }

            var strings = ReadSection(reader, layout, (int)offset + (int)section.Link * entrySize);
            if (!reader.Contains(section.Offset, section.Size) || !reader.Contains(strings.Offset, strings.Size))
            {
                throw new ImageFormatException(path, "truncated symbol table (section data runs past the end of the file)");
            }

            ReadSymbolEntries(path, reader, layout, section, strings, symbols);
        }

        return symbols;
    }

    private static void ReadSymbolEntries(string path, FieldReader reader, ElfLayout layout, Section table, Section strings, List<ElfSymbol> symbols)
    {
        int size = layout.SymbolSize;
        // Entry 0 is the reserved null symbol.
        for (ulong at = table.Offset + (ulong)size; at + (ulong)size <= table.Offset + table.Size; at += (ulong)size)
        {
            int p = (int)at;
            uint nameOffset = reader.U32(p);
            byte info = layout.Is64 ? reader.Byte(p + 4) : reader.Byte(p + 12);
            ushort sectionIndex = layout.Is64 ? reader.U16(p + 6) : reader.U16(p + 14);
            ulong value = layout.Is64 ? reader.Word(p + 8) : reader.U32(p + 4);
            ulong symbolSize = layout.Is64 ? reader.Word(p + 16) : reader.U32(p + 8);
            if (nameOffset >= strings.Size)
            {
                throw new ImageFormatException(path, $"corrupt symbol table: name offset 0x{nameOffset:X} outside the string table");
            }

            string name = reader.CString(strings.Offset + nameOffset, strings.Offset + strings.Size);
            symbols.Add(new ElfSymbol(name, value, symbolSize, (byte)(info & 0xF), (byte)(info >> 4), sectionIndex));
        }
    }

    private static Section ReadSection(FieldReader reader, ElfLayout layout, int at) => layout.Is64
        ? new Section(reader.U32(at + 4), reader.Word(at + 24), reader.Word(at + 32), reader.U32(at + 40))
        : new Section(reader.U32(at + 4), reader.U32(at + 16), reader.U32(at + 20), reader.U32(at + 24));

    private readonly record struct Section(uint Type, ulong Offset, ulong Size, uint Link);

    /// <summary>Where the class-dependent header fields sit.</summary>
    private sealed record ElfLayout(bool Is64, int HeaderSize, int PhOffField, int ShOffField, int FlagsField, int PhEntSizeField,
        int ProgramHeaderSize, int SectionHeaderSize, int SymbolSize)
    {
        public static readonly ElfLayout Elf32 = new(false, 52, 28, 32, 36, 42, 32, 40, 16);
        public static readonly ElfLayout Elf64 = new(true, 64, 32, 40, 48, 54, 56, 64, 24);
    }

    /// <summary>Little-endian field access; callers have bounds-checked the ranges they read.</summary>
    private readonly struct FieldReader(byte[] data, bool is64)
    {
        public long Length => data.Length;

        public bool Contains(ulong offset, ulong length) => offset <= (ulong)data.Length && length <= (ulong)data.Length - offset;

        public byte Byte(int at) => data[at];

        public ushort U16(int at) => BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(at));

        public uint U32(int at) => BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(at));

        public ulong Word(int at) => is64 ? BinaryPrimitives.ReadUInt64LittleEndian(data.AsSpan(at)) : U32(at);

        public string CString(ulong start, ulong end)
        {
            var span = data.AsSpan((int)start, (int)(end - start));
            int length = span.IndexOf((byte)0);
            return Encoding.UTF8.GetString(length < 0 ? span : span[..length]);
        }
    }
}
