using System.Diagnostics;

namespace EdgeVisor.Emulation.Arm64.SystemInstructions;

/// <summary>The EL0 view of the generic timer: CNTVCT_EL0 counts at <see cref="Frequency"/> from the host monotonic clock.</summary>
public static class GenericTimer
{
    /// <summary>CNTFRQ_EL0: 1 GHz (the frequency ARMv8.6 mandates), so the counter is in nanoseconds.</summary>
    public const ulong Frequency = 1_000_000_000;

    /// <summary>Current virtual count.</summary>
    public static ulong VirtualCount()
    {
        long ticks = Stopwatch.GetTimestamp();
        return Stopwatch.Frequency == (long)Frequency
            ? (ulong)ticks
            : (ulong)(((UInt128)(ulong)ticks * Frequency) / (ulong)Stopwatch.Frequency);
    }
}
