using EdgeVisor.Emulation.Arm64.Memory;
using EdgeVisor.Emulation.Linux.Files.Host;
using EdgeVisor.Emulation.Linux.Kernel;

namespace EdgeVisor.Emulation.Linux.Files;

/// <summary>Guest struct iovec arrays (16 bytes per entry on every LP64 Linux) turned into host iovecs over guest memory.</summary>
internal static unsafe class IoVectors
{
    /// <summary>UIO_MAXIOV.</summary>
    public const int MaxCount = 1024;

    /// <summary>Vectors up to this many live on the stack.</summary>
    public const int StackCount = 16;

    /// <summary>
    /// Reads <paramref name="count"/> guest iovecs at <paramref name="address"/> into <paramref name="host"/>. The list is
    /// cut at the first buffer that is not accessible with <paramref name="required"/> (the kernel stops copying
    /// there); -EFAULT when the array itself is unreadable or nothing at all is accessible, -EINVAL when the total
    /// length overflows.
    /// </summary>
    public static int Translate(GuestMemory memory, ulong address, int count, PagePermissions required, Span<HostIovec> host, out int used)
    {
        used = 0;
        ulong total = 0;
        bool cut = false;
        for (int i = 0; i < count; i++)
        {
            if (!memory.TryReadUInt64(address + (ulong)(16 * i), out ulong guestBase) || !memory.TryReadUInt64(address + (ulong)(16 * i) + 8, out ulong length))
            {
                return -Errno.EFAULT;
            }

            if ((long)length < 0 || (total += length) > long.MaxValue)
            {
                return -Errno.EINVAL;
            }

            if (cut || length == 0)
            {
                continue;
            }

            int error = required == PagePermissions.Write
                ? UserBuffers.Writable(memory, guestBase, length, out byte* pointer, out int accessible)
                : UserBuffers.Readable(memory, guestBase, length, out pointer, out accessible);
            if (error != 0)
            {
                if (used == 0)
                {
                    return error;
                }

                cut = true;
                continue;
            }

            host[used++] = new HostIovec { Base = (nint)pointer, Length = (nuint)accessible };
            cut = (ulong)accessible < length;
        }

        return 0;
    }
}
