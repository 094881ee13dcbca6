using System.Buffers.Binary;
using EdgeVisor.Emulation.Linux.Files;
using EdgeVisor.Emulation.Linux.Files.Host;
using EdgeVisor.Emulation.Linux.Kernel;

namespace EdgeVisor.Emulation.Linux.Network;

/// <summary>
/// Ancillary data (struct cmsghdr: u64 length including the 16-byte header, int level, int type, data, 8-byte aligned;
/// the same on every LP64 Linux). Only SCM_RIGHTS needs translating: it carries descriptor numbers, guest numbers in
/// the guest's buffer and host numbers in the host's.
/// </summary>
internal static class ControlMessages
{
    private const int HeaderSize = 16;
    private const int SolSocket = 1;
    private const int ScmRights = 1;

    /// <summary>Rewrites the guest descriptors of every SCM_RIGHTS message in <paramref name="control"/> as host ones; -EBADF for an unknown one.</summary>
    public static int GuestToHost(Span<byte> control, FileDescriptorTable files)
    {
        foreach (var (data, count) in Rights(control))
        {
            for (int i = 0; i < count; i++)
            {
                var slot = control.Slice(data + (4 * i), 4);
                if (!files.TryGetHostFd(BinaryPrimitives.ReadInt32LittleEndian(slot), out int hostFd))
                {
                    return -Errno.EBADF;
                }

                BinaryPrimitives.WriteInt32LittleEndian(slot, hostFd);
            }
        }

        return 0;
    }

    /// <summary>
    /// Installs the host descriptors received in SCM_RIGHTS messages into the guest table and rewrites them as guest
    /// numbers. Returns false when the table was full (those descriptors are closed and read as -1, as a truncation).
    /// </summary>
    public static bool HostToGuest(Span<byte> control, FileDescriptorTable files, bool closeOnExec)
    {
        bool complete = true;
        foreach (var (data, count) in Rights(control))
        {
            for (int i = 0; i < count; i++)
            {
                var slot = control.Slice(data + (4 * i), 4);
                int guestFd = files.Add(BinaryPrimitives.ReadInt32LittleEndian(slot), closeOnExec, FileKind.Unknown);
                complete &= guestFd >= 0;
                BinaryPrimitives.WriteInt32LittleEndian(slot, Math.Max(guestFd, -1));
            }
        }

        return complete;
    }

    /// <summary>Closes every host descriptor carried in <paramref name="control"/> (a receive whose result is discarded).</summary>
    public static void CloseHost(Span<byte> control)
    {
        foreach (var (data, count) in Rights(control))
        {
            for (int i = 0; i < count; i++)
            {
                HostDescriptors.Release(BinaryPrimitives.ReadInt32LittleEndian(control.Slice(data + (4 * i), 4)));
            }
        }
    }

    // (offset of the descriptor array, number of descriptors) for each SCM_RIGHTS message.
    private static List<(int Data, int Count)> Rights(ReadOnlySpan<byte> control)
    {
        var found = new List<(int, int)>();
        int offset = 0;
        while (offset + HeaderSize <= control.Length)
        {
            ulong length = BinaryPrimitives.ReadUInt64LittleEndian(control[offset..]);
            if (length < HeaderSize || length > (ulong)(control.Length - offset))
            {
                break;
            }

            int level = BinaryPrimitives.ReadInt32LittleEndian(control[(offset + 8)..]);
            int type = BinaryPrimitives.ReadInt32LittleEndian(control[(offset + 12)..]);
            if (level == SolSocket && type == ScmRights)
            {
                found.Add((offset + HeaderSize, ((int)length - HeaderSize) / 4));
            }

            offset += (int)((length + 7) & ~7UL);
        }

        return found;
    }
}
