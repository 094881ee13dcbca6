using System.Runtime.InteropServices;

namespace EdgeVisor.Emulation.Machines.Composition;

/// <summary>
/// Keeps building a machine cheap. Guest RAM and the address space's page tables are large zeroed native blocks
/// (tens of MB). glibc serves those with fresh mmap pages, which are zero for free, until the first such block is
/// freed: then its dynamic mmap threshold rises and later blocks come from the heap and must be cleared byte by
/// byte, which made every machine after the first cost 50-100 ms instead of well under 1 ms. Pinning the threshold
/// (what MALLOC_MMAP_THRESHOLD_ does) keeps large blocks on mmap. Harmless elsewhere: non-glibc systems and
/// failures are ignored.
/// </summary>
internal static partial class NativeHeapTuning
{
    private const int MallocMmapThreshold = -3; // M_MMAP_THRESHOLD in glibc's malloc.h
    private const int ThresholdBytes = 128 * 1024; // glibc's initial value
    private static int _applied;

    public static void Apply()
    {
        if (Interlocked.Exchange(ref _applied, 1) != 0 || !OperatingSystem.IsLinux())
        {
            return;
        }

        try
        {
            _ = SetMallocOption(MallocMmapThreshold, ThresholdBytes);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc: nothing to tune.
        }
    }

    [DllImport("libc", EntryPoint = "mallopt")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int SetMallocOption(int parameter, int value);
}
