using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using EdgeVisor.Emulation.Arm64.Memory;

namespace EdgeVisor.Emulation.Linux.Kernel;

/// <summary>
/// copy_from_user / copy_to_user for system calls: reads and writes of guest memory that report a bad pointer as
/// false (the caller returns -EFAULT) instead of faulting.
/// </summary>
public static class UserMemory
{
    /// <summary>Longest path the kernel accepts (PATH_MAX, including the terminator).</summary>
    public const int PathMax = 4096;

    /// <summary>Reads a NUL-terminated UTF-8 string of at most <paramref name="maxBytes"/> bytes; null on a bad pointer or no terminator.</summary>
    public static string? ReadCString(this GuestMemory memory, ulong address, int maxBytes = PathMax)
    {
        var bytes = new List<byte>();
        Span<byte> one = stackalloc byte[1];
        for (int i = 0; i < maxBytes; i++)
        {
            if (!memory.TryRead(address + (ulong)i, one))
            {
                return null;
            }

            if (one[0] == 0)
            {
                return Encoding.UTF8.GetString(CollectionsMarshal.AsSpan(bytes));
            }

            bytes.Add(one[0]);
        }

        return null;
    }

    /// <summary>Reads an unmanaged struct laid out as the guest lays it out (little-endian, LP64).</summary>
    public static bool TryReadStruct<T>(this GuestMemory memory, ulong address, out T value)
        where T : unmanaged
    {
        value = default;
        return memory.TryRead(address, MemoryMarshal.AsBytes(new Span<T>(ref value)));
    }

    /// <summary>Writes an unmanaged struct into guest memory.</summary>
    public static bool TryWriteStruct<T>(this GuestMemory memory, ulong address, in T value)
        where T : unmanaged
    {
        T copy = value;
        return memory.TryWrite(address, MemoryMarshal.AsBytes(new Span<T>(ref copy)));
    }

    public static bool TryReadUInt64(this GuestMemory memory, ulong address, out ulong value) => memory.TryReadStruct(address, out value);

    public static bool TryWriteUInt64(this GuestMemory memory, ulong address, ulong value) => memory.TryWriteStruct(address, value);

    public static bool TryReadInt32(this GuestMemory memory, ulong address, out int value) => memory.TryReadStruct(address, out value);

    public static bool TryWriteInt32(this GuestMemory memory, ulong address, int value) => memory.TryWriteStruct(address, value);

    /// <summary>Size of <typeparamref name="T"/> in bytes.</summary>
    public static int SizeOf<T>()
        where T : unmanaged => Unsafe.SizeOf<T>();
}
