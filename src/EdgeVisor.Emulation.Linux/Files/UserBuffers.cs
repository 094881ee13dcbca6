using EdgeVisor.Emulation.Arm64.Memory;
using EdgeVisor.Emulation.Linux.Kernel;

namespace EdgeVisor.Emulation.Linux.Files;

/// <summary>
/// Guest buffers handed to host calls in place (no copy): guest address A is host address Base + A. A buffer whose
/// tail is not accessible is cut at the first bad page, as the kernel's copy routines stop there and report what they
/// managed; nothing accessible at all is -EFAULT.
/// </summary>
internal static unsafe class UserBuffers
{
    /// <summary>Largest single transfer, as the kernel's MAX_RW_COUNT (INT_MAX rounded down to a page).</summary>
    public const int MaxTransfer = int.MaxValue & ~(int)GuestMemory.PageMask;

    /// <summary>A guest buffer the host may write (read, recv): 0 or -EFAULT.</summary>
    public static int Writable(GuestMemory memory, ulong address, ulong count, out byte* pointer, out int length) =>
        Get(memory, address, count, PagePermissions.Write, out pointer, out length);

    /// <summary>A guest buffer the host may read (write, send): 0 or -EFAULT.</summary>
    public static int Readable(GuestMemory memory, ulong address, ulong count, out byte* pointer, out int length) =>
        Get(memory, address, count, PagePermissions.Read, out pointer, out length);

    /// <summary>The whole of a small guest structure the host may read or write, or -EFAULT.</summary>
    public static int Whole(GuestMemory memory, ulong address, int size, PagePermissions required, out byte* pointer)
    {
        pointer = null;
        if (!memory.IsAccessible(address, (ulong)size, required))
        {
            return -Errno.EFAULT;
        }

        _ = memory.GetSpan(address, size, required);
        pointer = memory.Base + address;
        return 0;
    }

    private static int Get(GuestMemory memory, ulong address, ulong count, PagePermissions required, out byte* pointer, out int length)
    {
        pointer = memory.Base + Math.Min(address, memory.Size - 1);
        length = (int)Math.Min(count, MaxTransfer);
        if (length == 0)
        {
            return 0;
        }

        length = AccessiblePrefix(memory, address, length, required);
        if (length == 0)
        {
            return -Errno.EFAULT;
        }

        // GetSpan with Write drops decoded blocks of code pages the host is about to overwrite.
        _ = memory.GetSpan(address, length, required);
        pointer = memory.Base + address;
        return 0;
    }

    private static int AccessiblePrefix(GuestMemory memory, ulong address, int length, PagePermissions required)
    {
        if (memory.IsAccessible(address, (ulong)length, required))
        {
            return length;
        }

        ulong end = address + (ulong)length;
        ulong cursor = address;
        while (cursor < end && memory.IsAccessible(cursor, 1, required))
        {
            cursor = (cursor | GuestMemory.PageMask) + 1;
        }

        return (int)(Math.Min(cursor, end) - address);
    }
}
