using System.Runtime.InteropServices;

namespace EdgeVisor.Emulation.Linux.Files.Host;

/// <summary>Turns a host C library return value into a syscall result: the value itself, or -errno on failure.</summary>
internal static class HostResult
{
    /// <summary>The result of a call that returns -1 and sets errno on failure.</summary>
    public static long Of(long returned) => returned >= 0 ? returned : -Marshal.GetLastPInvokeError();

    /// <summary>The errno left by the last failed host call on this thread, negated.</summary>
    public static long LastError() => -Marshal.GetLastPInvokeError();
}
