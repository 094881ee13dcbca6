using System.Buffers.Binary;
using System.Text;
using EdgeVisor.Emulation.Memory;
using EdgeVisor.Emulation.Semihosting;
using EdgeVisor.Emulation.Time;

namespace EdgeVisor.Emulation.Tests.Semihosting;

/// <summary>
/// A guest memory, clock and console streams around a <see cref="SemihostingHost"/>, with helpers
/// that lay out parameter blocks and strings in guest RAM the way firmware would.
/// </summary>
internal sealed class SemihostingRig : IDisposable
{
    public const uint RamBase = 0x2000_0000;
    public const uint RamSize = 0x1_0000;
    public const uint Unmapped = 0x3000_0000;
    public const uint FrequencyHz = 25_000_000;

    private uint _next = RamBase + 0x100;

    public SemihostingRig(Func<SemihostingOptions, SemihostingOptions>? configure = null, string stdin = "")
    {
        Memory.MapMemory("ram", RamBase, RamSize, RegionKind.Ram);
        Stdin = new MemoryStream(Encoding.ASCII.GetBytes(stdin));
        var options = new SemihostingOptions { Stdin = Stdin, Stdout = Stdout, Stderr = Stderr };
        Options = configure is null ? options : configure(options);
        Host = new SemihostingHost(Memory, Clock, Options);
    }

    public AddressSpace Memory { get; } = new();

    public VirtualClock Clock { get; } = new(FrequencyHz);

    public MemoryStream Stdin { get; }

    public MemoryStream Stdout { get; } = new();

    public MemoryStream Stderr { get; } = new();

    public SemihostingOptions Options { get; }

    public SemihostingHost Host { get; }

    public int WordSize => Options.WordSize;

    public string StdoutText => Encoding.UTF8.GetString(Stdout.ToArray());

    public string StderrText => Encoding.UTF8.GetString(Stderr.ToArray());

    public SemihostingResult Call(SemihostingOperation operation, ulong parameter) => Host.Handle((uint)operation, parameter);

    /// <summary>The call's return value as the signed number firmware sees.</summary>
    public long Value(SemihostingOperation operation, ulong parameter)
    {
        var result = Call(operation, parameter);
        return WordSize == 4 ? (int)result.ReturnValue : (long)result.ReturnValue64;
    }

    public int Errno => (int)Value(SemihostingOperation.Errno, 0);

    /// <summary>Writes a parameter block of word-size fields and returns its address.</summary>
    public uint Block(params ulong[] fields)
    {
        uint address = Allocate(fields.Length * WordSize);
        for (int i = 0; i < fields.Length; i++)
        {
            WriteWord(address + (uint)(i * WordSize), fields[i]);
        }

        return address;
    }

    public ulong Field(uint block, int index)
    {
        var bytes = Read(block + (uint)(index * WordSize), WordSize);
        return WordSize == 8 ? BinaryPrimitives.ReadUInt64LittleEndian(bytes) : BinaryPrimitives.ReadUInt32LittleEndian(bytes);
    }

    /// <summary>Writes a NUL-terminated string and returns its address.</summary>
    public uint String(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text + "\0");
        uint address = Allocate(bytes.Length);
        Memory.Load(address, bytes);
        return address;
    }

    public uint Buffer(int size, byte fill = 0xCC)
    {
        uint address = Allocate(size);
        Memory.Load(address, Enumerable.Repeat(fill, size).ToArray());
        return address;
    }

    public byte[] Read(uint address, int length)
    {
        var bytes = new byte[length];
        Assert.True(Memory.TryReadBytes(address, bytes));
        return bytes;
    }

    public string ReadCString(uint address)
    {
        var bytes = new List<byte>();
        for (uint a = address; Memory.Read8(a) != 0; a++)
        {
            bytes.Add(Memory.Read8(a));
        }

        return Encoding.UTF8.GetString([.. bytes]);
    }

    /// <summary>SYS_OPEN of <paramref name="name"/> in <paramref name="mode"/>; the handle or -1.</summary>
    public long Open(string name, int mode) =>
        Value(SemihostingOperation.Open, Block(String(name), (ulong)mode, (ulong)Encoding.UTF8.GetByteCount(name)));

    /// <summary>SYS_WRITE; the number of bytes not written.</summary>
    public long Write(long handle, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        uint buffer = Allocate(Math.Max(bytes.Length, 1));
        Memory.Load(buffer, bytes);
        return Value(SemihostingOperation.Write, Block((ulong)handle, buffer, (ulong)bytes.Length));
    }

    /// <summary>SYS_READ of up to <paramref name="length"/> bytes: (bytes not read, what was read).</summary>
    public (long NotRead, string Text) Read(long handle, int length)
    {
        uint buffer = Buffer(length);
        long notRead = Value(SemihostingOperation.Read, Block((ulong)handle, buffer, (ulong)length));
        int got = notRead is >= 0 && notRead <= length ? length - (int)notRead : 0;
        return (notRead, Encoding.UTF8.GetString(Read(buffer, got)));
    }

    public long Close(long handle) => Value(SemihostingOperation.Close, Block((ulong)handle));

    public void Dispose()
    {
        Host.Dispose();
        Memory.Dispose();
    }

    private void WriteWord(uint address, ulong value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, value);
        Memory.Load(address, bytes.AsSpan(0, WordSize));
    }

    private uint Allocate(int size)
    {
        uint address = _next;
        _next = (uint)((_next + size + 7) & ~7);
        Assert.True(_next < RamBase + RamSize, "test rig ran out of guest RAM");
        return address;
    }
}
