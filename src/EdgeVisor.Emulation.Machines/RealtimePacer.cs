using System.Diagnostics;
using EdgeVisor.Emulation.Time;

namespace EdgeVisor.Emulation.Machines;

/// <summary>
/// Keeps virtual time from running ahead of wall time (1:1) by sleeping the host thread, and records how far the
/// host fell behind when it could not keep up, so the run can report it.
/// </summary>
/// <param name="sleep">How to sleep (default <see cref="Thread.Sleep(TimeSpan)"/>); the machine passes a sleep that
/// work posted from another thread ends early.</param>
internal sealed class RealtimePacer(VirtualClock clock, ulong startCycle, Stopwatch wall, Action<TimeSpan>? sleep = null)
{
    private readonly Action<TimeSpan> _sleep = sleep ?? Thread.Sleep;
    private static readonly TimeSpan ReportThreshold = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan LongestSleep = TimeSpan.FromMilliseconds(20);
    private TimeSpan _worstLag;

    /// <summary>The virtual cycle that corresponds to the wall clock's now.</summary>
    public ulong CycleForNow() => startCycle + clock.CyclesFor(wall.Elapsed);

    /// <summary>Sleeps while virtual time at <paramref name="cycle"/> is ahead of wall time (never past <paramref name="remainingWall"/>).</summary>
    public void WaitUntilDue(ulong cycle, TimeSpan? remainingWall)
    {
        var virtualElapsed = TimeSpan.FromSeconds((double)(cycle - startCycle) / clock.FrequencyHz);
        var ahead = virtualElapsed - wall.Elapsed;
        if (ahead < TimeSpan.Zero)
        {
            if (-ahead > _worstLag)
            {
                _worstLag = -ahead;
            }

            return;
        }

        var duration = ahead < LongestSleep ? ahead : LongestSleep;
        if (remainingWall is { } left && left < duration)
        {
            duration = left < TimeSpan.Zero ? TimeSpan.Zero : left;
        }

        if (duration > TimeSpan.FromMilliseconds(1))
        {
            _sleep(duration);
        }
    }

    /// <summary>A note for the run's message if the host fell noticeably behind real time, else null.</summary>
    public string? Report() => _worstLag > ReportThreshold
        ? $"realtime: the host fell behind wall time by up to {_worstLag.TotalMilliseconds:0} ms"
        : null;
}
