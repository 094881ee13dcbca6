using EdgeVisor.Emulation.Arm64.Memory;
using EdgeVisor.Emulation.Linux.Files;
using EdgeVisor.Emulation.Linux.Kernel;

namespace EdgeVisor.Emulation.Linux.Network;

/// <summary>
/// Socket addresses in guest memory. struct sockaddr and its families have the same layout on every Linux, so the
/// host reads and writes the guest's buffers in place; only the (address, socklen_t*) pairs need care.
/// </summary>
internal static unsafe class SocketAddresses
{
    /// <summary>An input address (bind, connect, sendto): null stays null; -EFAULT when unreadable.</summary>
    public static int In(GuestMemory memory, ulong address, ulong length, out byte* pointer)
    {
        pointer = null;
        if (address == 0 || length == 0)
        {
            return 0;
        }

        if (length > int.MaxValue)
        {
            return -Errno.EINVAL;
        }

        return UserBuffers.Whole(memory, address, (int)length, PagePermissions.Read, out pointer);
    }

    /// <summary>
    /// An output address with its guest socklen_t* (accept, getsockname, recvfrom): reads the capacity, -EINVAL when it
    /// is negative, -EFAULT when either is inaccessible. With a null length pointer there is no address.
    /// </summary>
    public static int Out(GuestMemory memory, ulong address, ulong lengthAddress, out byte* pointer, out uint capacity)
    {
        pointer = null;
        capacity = 0;
        if (lengthAddress == 0)
        {
            return 0;
        }

        if (!memory.TryReadInt32(lengthAddress, out int length) || !memory.IsAccessible(lengthAddress, 4, PagePermissions.Write))
        {
            return -Errno.EFAULT;
        }

        if (length < 0)
        {
            return -Errno.EINVAL;
        }

        capacity = (uint)length;
        return length == 0 || address == 0 ? 0 : UserBuffers.Whole(memory, address, length, PagePermissions.Write, out pointer);
    }

    /// <summary>Writes the length the host reported back to the guest's socklen_t.</summary>
    public static void WriteLength(GuestMemory memory, ulong lengthAddress, uint length)
    {
        if (lengthAddress != 0)
        {
            memory.TryWriteInt32(lengthAddress, (int)length);
        }
    }
}
