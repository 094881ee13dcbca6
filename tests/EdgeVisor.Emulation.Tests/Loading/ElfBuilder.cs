using System.Buffers.Binary;
using System.Text;

namespace EdgeVisor.Emulation.Tests.Loading;

/// <summary>Writes small ELF32/ELF64 little-endian files for tests that need odd or broken headers.</summary>
internal sealed class ElfBuilder
{
    private readonly List<(ulong PhysicalAddress, ulong VirtualAddress, byte[] Data, ulong MemorySize, uint Type)> _segments = [];
    private readonly List<(string Name, ulong Value, ulong Size, byte Info, ushort Section)> _symbols = [];

    public bool Is64 { get; init; }

    public ushort Machine { get; init; } = 40;

    public ushort Type { get; init; } = 2;

    public ulong Entry { get; init; } = 0x101;

    public ElfBuilder Segment(ulong physical, byte[] data, ulong? memorySize = null, ulong? virtualAddress = null, uint type = 1)
    {
        _segments.Add((physical, virtualAddress ?? physical, data, memorySize ?? (ulong)data.Length, type));
        return this;
    }

    /// <summary>Adds a symbol; <paramref name="type"/> is STT_* (0 notype, 1 object, 2 func, 3 section, 4 file).</summary>
    public ElfBuilder Symbol(string name, ulong value, ulong size, byte type, ushort section = 1)
    {
        _symbols.Add((name, value, size, (byte)((1 << 4) | type), section));
        return this;
    }

    public byte[] Build()
    {
        int headerSize = Is64 ? 64 : 52;
        int phSize = Is64 ? 56 : 32;
        int shSize = Is64 ? 64 : 40;
        int symSize = Is64 ? 24 : 16;
        var file = new MemoryStream();
        file.Write(new byte[headerSize + (phSize * _segments.Count)]);

        var offsets = new List<long>();
        foreach (var s in _segments)
        {
            offsets.Add(file.Position);
            file.Write(s.Data);
        }

        var strings = new MemoryStream();
        strings.WriteByte(0);
        var nameOffsets = new List<uint>();
        foreach (var sym in _symbols)
        {
            nameOffsets.Add((uint)strings.Position);
            strings.Write(Encoding.UTF8.GetBytes(sym.Name + "\0"));
        }

        long strtabOffset = file.Position;
        file.Write(strings.ToArray());
        long symtabOffset = file.Position;
        file.Write(new byte[symSize]);
        for (int i = 0; i < _symbols.Count; i++)
        {
            var s = _symbols[i];
            var entry = new byte[symSize];
            Put32(entry, 0, nameOffsets[i]);
            if (Is64)
            {
                entry[4] = s.Info;
                Put16(entry, 6, s.Section);
                Put64(entry, 8, s.Value);
                Put64(entry, 16, s.Size);
            }
            else
            {
                Put32(entry, 4, (uint)s.Value);
                Put32(entry, 8, (uint)s.Size);
                entry[12] = s.Info;
                Put16(entry, 14, s.Section);
            }

            file.Write(entry);
        }

        long symtabSize = file.Position - symtabOffset;
        long shOffset = file.Position;
        file.Write(new byte[shSize]);
        file.Write(SectionHeader(2, (ulong)symtabOffset, (ulong)symtabSize, 2, shSize));
        file.Write(SectionHeader(3, (ulong)strtabOffset, (ulong)strings.Length, 0, shSize));

        var bytes = file.ToArray();
        WriteHeader(bytes, (ulong)shOffset, headerSize, phSize, shSize);
        for (int i = 0; i < _segments.Count; i++)
        {
            WriteProgramHeader(bytes, headerSize + (i * phSize), _segments[i], (ulong)offsets[i]);
        }

        return bytes;
    }

    private void WriteHeader(byte[] b, ulong shOffset, int headerSize, int phSize, int shSize)
    {
        b[0] = 0x7F;
        b[1] = (byte)'E';
        b[2] = (byte)'L';
        b[3] = (byte)'F';
        b[4] = (byte)(Is64 ? 2 : 1);
        b[5] = 1;
        b[6] = 1;
        Put16(b, 16, Type);
        Put16(b, 18, Machine);
        Put32(b, 20, 1);
        int field = 24;
        PutWord(b, ref field, Entry);
        PutWord(b, ref field, (ulong)headerSize);
        PutWord(b, ref field, shOffset);
        Put32(b, field, 0x05000000);
        Put16(b, field + 4, (ushort)headerSize);
        Put16(b, field + 6, (ushort)phSize);
        Put16(b, field + 8, (ushort)_segments.Count);
        Put16(b, field + 10, (ushort)shSize);
        Put16(b, field + 12, 3);
        Put16(b, field + 14, 0);
    }

    private void WriteProgramHeader(byte[] b, int at, (ulong Physical, ulong Virtual, byte[] Data, ulong MemorySize, uint Type) s, ulong offset)
    {
        if (Is64)
        {
            Put32(b, at, s.Type);
            Put32(b, at + 4, 7);
            Put64(b, at + 8, offset);
            Put64(b, at + 16, s.Virtual);
            Put64(b, at + 24, s.Physical);
            Put64(b, at + 32, (ulong)s.Data.Length);
            Put64(b, at + 40, s.MemorySize);
            Put64(b, at + 48, 4);
        }
        else
        {
            Put32(b, at, s.Type);
            Put32(b, at + 4, (uint)offset);
            Put32(b, at + 8, (uint)s.Virtual);
            Put32(b, at + 12, (uint)s.Physical);
            Put32(b, at + 16, (uint)s.Data.Length);
            Put32(b, at + 20, (uint)s.MemorySize);
            Put32(b, at + 24, 7);
            Put32(b, at + 28, 4);
        }
    }

    private byte[] SectionHeader(uint type, ulong offset, ulong size, uint link, int shSize)
    {
        var h = new byte[shSize];
        Put32(h, 4, type);
        if (Is64)
        {
            Put64(h, 24, offset);
            Put64(h, 32, size);
            Put32(h, 40, link);
        }
        else
        {
            Put32(h, 16, (uint)offset);
            Put32(h, 20, (uint)size);
            Put32(h, 24, link);
        }

        return h;
    }

    private void PutWord(byte[] b, ref int at, ulong value)
    {
        if (Is64)
        {
            Put64(b, at, value);
            at += 8;
        }
        else
        {
            Put32(b, at, (uint)value);
            at += 4;
        }
    }

    private static void Put16(byte[] b, int at, ushort v) => BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(at), v);

    private static void Put32(byte[] b, int at, uint v) => BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(at), v);

    private static void Put64(byte[] b, int at, ulong v) => BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan(at), v);
}
