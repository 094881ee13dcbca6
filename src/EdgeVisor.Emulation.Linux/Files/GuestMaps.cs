using System.Text;
using EdgeVisor.Emulation.Linux.Files.Host;
using EdgeVisor.Emulation.Linux.Kernel;

namespace EdgeVisor.Emulation.Linux.Files;

/// <summary>
/// /proc/self/maps as the guest must see it: its own memory areas, not the host process's. Each lookup rewrites one
/// memfd per process with <see cref="Memory.MemoryMap.FormatMaps"/> and names it as /proc/self/fd/N, so an open gets
/// a fresh description of the current map at offset 0 (glibc's pthread_getattr_np reads the main thread's stack from
/// it; Rust and Java runtimes rely on that).
/// </summary>
internal static unsafe class GuestMaps
{
    private const uint MemfdCloseOnExec = 1;

    /// <summary>The host path to open for the guest's /proc/self/maps, or null if the snapshot cannot be made.</summary>
    public static byte[]? SnapshotPath(LinuxProcess process)
    {
        byte[] text = Encoding.UTF8.GetBytes(process.MemoryMap.FormatMaps());
        lock (process.Files)
        {
            if (process.MapsSnapshotFd < 0)
            {
                fixed (byte* name = "edgevisor-maps\0"u8)
                {
                    process.MapsSnapshotFd = HostLibc.MemfdCreate(name, MemfdCloseOnExec);
                }

                if (process.MapsSnapshotFd < 0)
                {
                    return null;
                }
            }

            int fd = process.MapsSnapshotFd;
            if (HostLibc.Ftruncate(fd, 0) != 0)
            {
                return null;
            }

            fixed (byte* bytes = text)
            {
                for (int written = 0; written < text.Length;)
                {
                    nint n = HostLibc.Pwrite(fd, bytes + written, (nuint)(text.Length - written), written);
                    if (n <= 0)
                    {
                        return null;
                    }

                    written += (int)n;
                }
            }

            return [.. Encoding.ASCII.GetBytes($"/proc/self/fd/{fd}"), 0];
        }
    }
}
