using System.Runtime.InteropServices;

namespace EdgeVisor.Emulation.Memory;

/// <summary>
/// Large zero-filled native blocks for guest RAM and page tables. On Linux they are anonymous mappings: the
/// kernel hands out zero pages lazily, so a board with tens of MB of RAM starts in microseconds and costs
/// memory only for the pages the firmware touches. malloc would do the same only until its dynamic mmap
/// threshold rises after the first large free, after which every block is cleared byte by byte.
/// Elsewhere, and if mmap fails, the runtime's zeroing allocator serves.
/// </summary>
internal static unsafe partial class ZeroedMemory
{
    private const int ProtRead = 1;
    private const int ProtWrite = 2;
    private const int MapPrivate = 2;
    private const int MapAnonymous = 0x20;

    private static readonly bool UseMmap = OperatingSystem.IsLinux();

    /// <summary>Allocates <paramref name="size"/> zeroed bytes; release them with <see cref="Free"/> and the same size.</summary>
    public static void* Allocate(nuint size)
    {
        if (UseMmap)
        {
            void* p = Mmap(null, size, ProtRead | ProtWrite, MapPrivate | MapAnonymous, -1, 0);
            if (p != (void*)-1)
            {
                return p;
            }
        }

        return NativeMemory.AllocZeroed(size);
    }

    public static void Free(void* block, nuint size)
    {
        if (UseMmap && Munmap(block, size) == 0)
        {
            return;
        }

        NativeMemory.Free(block);
    }

    [LibraryImport("libc", EntryPoint = "mmap")]
    private static partial void* Mmap(void* address, nuint length, int protection, int flags, int fd, nint offset);

    [LibraryImport("libc", EntryPoint = "munmap")]
    private static partial int Munmap(void* address, nuint length);
}
