using System.Buffers.Binary;
using System.Text;
using EdgeVisor.Emulation.Memory;

namespace EdgeVisor.Emulation.Semihosting;

/// <summary>A guest pointer that does not lead to readable or writable memory.</summary>
internal sealed class GuestMemoryFaultException(ulong address) : Exception($"bad guest pointer 0x{address:X}")
{
    public ulong Address { get; } = address;
}

/// <summary>
/// Semihosting's view of guest memory: parameter-block words of the caller's width, byte buffers
/// and strings, each access checked. A bad pointer throws <see cref="GuestMemoryFaultException"/>,
/// which the host turns into -1 with EFAULT.
/// </summary>
internal sealed class GuestMemory(AddressSpace memory, int wordSize)
{
    // Limits on what one call may move, so a garbage length cannot make the host allocate gigabytes.
    public const int MaxStringBytes = 64 * 1024;

    public int WordSize { get; } = wordSize;

    /// <summary>Field <paramref name="index"/> of the parameter block at <paramref name="block"/>.</summary>
    public ulong Field(ulong block, int index) => ReadWord(block + (ulong)(index * WordSize));

    public void SetField(ulong block, int index, ulong value) => WriteWord(block + (ulong)(index * WordSize), value);

    public ulong ReadWord(ulong address)
    {
        Span<byte> bytes = stackalloc byte[8];
        ReadInto(address, bytes[..WordSize]);
        return WordSize == 8 ? BinaryPrimitives.ReadUInt64LittleEndian(bytes) : BinaryPrimitives.ReadUInt32LittleEndian(bytes);
    }

    public void WriteWord(ulong address, ulong value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, value);
        WriteFrom(address, bytes[..WordSize]);
    }

    public void ReadInto(ulong address, Span<byte> destination)
    {
        if (!Fits(address, destination.Length) || !memory.TryReadBytes((uint)address, destination))
        {
            throw new GuestMemoryFaultException(address);
        }
    }

    public void WriteFrom(ulong address, ReadOnlySpan<byte> source)
    {
        if (!Fits(address, source.Length) || !memory.TryWriteBytes((uint)address, source))
        {
            throw new GuestMemoryFaultException(address);
        }
    }

    /// <summary>True if [address, address+length) is RAM or ROM (checked before a host read lands there).</summary>
    public bool IsWritableBuffer(ulong address, ulong length) =>
        length == 0 || (Fits(address, length) && memory.IsMemory((uint)address, (uint)length));

    /// <summary>A name passed as pointer and length; stops early at a NUL.</summary>
    public string ReadString(ulong address, ulong length)
    {
        if (length > MaxStringBytes)
        {
            throw new PathTooLongException();
        }

        var bytes = new byte[length];
        ReadInto(address, bytes);
        int nul = Array.IndexOf(bytes, (byte)0);
        return Encoding.UTF8.GetString(bytes, 0, nul < 0 ? bytes.Length : nul);
    }

    /// <summary>A NUL-terminated string's bytes (without the NUL).</summary>
    public byte[] ReadCString(ulong address)
    {
        var bytes = new List<byte>();
        Span<byte> one = stackalloc byte[1];
        for (ulong a = address; bytes.Count < MaxStringBytes; a++)
        {
            ReadInto(a, one);
            if (one[0] == 0)
            {
                break;
            }

            bytes.Add(one[0]);
        }

        return [.. bytes];
    }

    private static bool Fits(ulong address, ulong length) => address <= uint.MaxValue && length <= (ulong)uint.MaxValue + 1 - address;

    private static bool Fits(ulong address, int length) => Fits(address, (ulong)length);
}
