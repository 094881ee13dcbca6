namespace EdgeVisor.Emulation.Time;

/// <summary>
/// Deterministic virtual time, counted in core clock cycles. The core advances <see cref="Now"/>
/// as it retires instructions and runs no further than <see cref="NextEventAt"/> before calling
/// <see cref="RunDueEvents"/>, so timers fire at exact instants without any per-instruction check.
/// Events due at the same cycle run in the order they were scheduled.
/// </summary>
public sealed class VirtualClock
{
    private readonly PriorityQueue<ScheduledEvent, (ulong At, ulong Sequence)> _queue = new();
    private ulong _sequence;

    public VirtualClock(ulong frequencyHz)
    {
        ArgumentOutOfRangeException.ThrowIfZero(frequencyHz);
        FrequencyHz = frequencyHz;
    }

    /// <summary>Cycles per second of the core clock this time is counted in.</summary>
    public ulong FrequencyHz { get; }

    /// <summary>Current virtual time in cycles. Only the core moves it forward.</summary>
    public ulong Now { get; private set; }

    /// <summary>Cycle of the earliest pending event, or <see cref="ulong.MaxValue"/> when none is pending.</summary>
    public ulong NextEventAt
    {
        get
        {
            while (_queue.TryPeek(out var e, out var key))
            {
                if (!e.Cancelled)
                {
                    return key.At;
                }

                _queue.Dequeue();
            }

            return ulong.MaxValue;
        }
    }

    public TimeSpan Elapsed => TimeSpan.FromSeconds((double)Now / FrequencyHz);

    public ulong CyclesFor(TimeSpan span) => (ulong)(span.TotalSeconds * FrequencyHz);

    /// <summary>Moves time forward without running events (the core's bookkeeping, also mid-block before a device access).</summary>
    public void AdvanceTo(ulong cycle)
    {
        if (cycle > Now)
        {
            Now = cycle;
        }
    }

    /// <summary>Runs every event due at or before <see cref="Now"/>, including ones they schedule for the same instant.</summary>
    public void RunDueEvents()
    {
        while (_queue.TryPeek(out var e, out var key) && key.At <= Now)
        {
            _queue.Dequeue();
            if (!e.Cancelled)
            {
                e.Cancelled = true;
                e.Callback();
            }
        }
    }

    /// <summary>Schedules <paramref name="callback"/> to run <paramref name="delay"/> cycles from now.</summary>
    public ScheduledEvent Schedule(ulong delay, Action callback) => ScheduleAt(Now + delay, callback);

    public ScheduledEvent ScheduleAt(ulong cycle, Action callback)
    {
        var e = new ScheduledEvent(callback);
        _queue.Enqueue(e, (Math.Max(cycle, Now), _sequence++));
        return e;
    }
}

/// <summary>A pending callback on the virtual clock; cancel it when the thing it models is reprogrammed.</summary>
public sealed class ScheduledEvent
{
    internal ScheduledEvent(Action callback) => Callback = callback;

    internal Action Callback { get; }

    public bool Cancelled { get; internal set; }

    public void Cancel() => Cancelled = true;
}
