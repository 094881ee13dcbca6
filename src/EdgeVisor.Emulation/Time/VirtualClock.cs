namespace EdgeVisor.Emulation.Time;

/// <summary>
/// Deterministic virtual time, counted in core clock cycles. The core advances <see cref="Now"/>
/// as it retires instructions and runs no further than <see cref="NextEventAt"/> before calling
/// <see cref="RunDueEvents"/>, so timers fire at exact instants without any per-instruction check.
/// Events due at the same cycle run in the order they were scheduled.
/// </summary>
public sealed class VirtualClock
{
    // Cancelled events stay queued until they reach the head; once they outnumber live ones the
    // queue is rebuilt, so a timer that is reprogrammed over and over cannot grow it without bound.
    private const int CompactionThreshold = 64;

    private readonly PriorityQueue<ScheduledEvent, (ulong At, ulong Sequence)> _queue = new();
    private ulong _sequence;
    private int _cancelledInQueue;

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
                _cancelledInQueue--;
            }

            return ulong.MaxValue;
        }
    }

    /// <summary>Entries in the event queue, cancelled ones included (for tests of the compaction).</summary>
    internal int QueuedCount => _queue.Count;

    /// <summary>Virtual time since reset, exact to the tick (100 ns).</summary>
    public TimeSpan Elapsed => TimeSpan.FromTicks((long)UInt128.Min((UInt128)Now * TimeSpan.TicksPerSecond / FrequencyHz, (UInt128)long.MaxValue));

    /// <summary>Cycles in <paramref name="span"/> at this clock's rate, rounded down; 0 for a negative span.</summary>
    public ulong CyclesFor(TimeSpan span) =>
        span <= TimeSpan.Zero ? 0 : (ulong)UInt128.Min((UInt128)span.Ticks * FrequencyHz / TimeSpan.TicksPerSecond, (UInt128)ulong.MaxValue);

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
            if (e.Cancelled)
            {
                _cancelledInQueue--;
            }
            else
            {
                e.Cancelled = true;
                e.Callback();
            }
        }
    }

    /// <summary>Schedules <paramref name="callback"/> to run <paramref name="delay"/> cycles from now (saturating at the end of time).</summary>
    public ScheduledEvent Schedule(ulong delay, Action callback) =>
        ScheduleAt(delay > ulong.MaxValue - Now ? ulong.MaxValue : Now + delay, callback);

    /// <summary>Schedules <paramref name="callback"/> at <paramref name="cycle"/>; a cycle already past means "now".</summary>
    public ScheduledEvent ScheduleAt(ulong cycle, Action callback)
    {
        var e = new ScheduledEvent(callback, this);
        _queue.Enqueue(e, (Math.Max(cycle, Now), _sequence++));
        return e;
    }

    internal void OnCancelled()
    {
        _cancelledInQueue++;
        if (_cancelledInQueue > CompactionThreshold && _cancelledInQueue > _queue.Count / 2)
        {
            var live = _queue.UnorderedItems.Where(item => !item.Element.Cancelled).ToList();
            _queue.Clear();
            _queue.EnqueueRange(live);
            _cancelledInQueue = 0;
        }
    }
}

/// <summary>A pending callback on the virtual clock; cancel it when the thing it models is reprogrammed.</summary>
public sealed class ScheduledEvent
{
    private readonly VirtualClock _clock;

    internal ScheduledEvent(Action callback, VirtualClock clock)
    {
        Callback = callback;
        _clock = clock;
    }

    internal Action Callback { get; }

    /// <summary>True once the event was cancelled or has run: it will not run (again).</summary>
    public bool Cancelled { get; internal set; }

    /// <summary>Stops a pending event from running; harmless after it ran or was cancelled.</summary>
    public void Cancel()
    {
        if (!Cancelled)
        {
            Cancelled = true;
            _clock.OnCancelled();
        }
    }
}
