using EdgeVisor.Emulation.Time;

namespace EdgeVisor.Emulation.Peripherals.Timers;

/// <summary>
/// A down-counter that ticks every <c>divisor</c> clock cycles, computed from virtual time instead of being
/// stepped: reading the value is arithmetic on <see cref="VirtualClock.Now"/>, and the only scheduled work is
/// one clock event at the next 1 -> 0 transition. The semantics are those QEMU 7.2 gives the CMSDK timers
/// (ptimer policies wrap-after-one-period, trigger-only-on-decrement, no-immediate-reload): the counter
/// counts value, value-1, ..., 1, 0, then holds 0 for one tick and reloads the limit, so the period is
/// limit + 1 ticks; reaching 0 by decrement calls the zero handler; a limit of 0 or one-shot mode stops the
/// counter at 0.
/// </summary>
internal sealed class DownCounter
{
    private readonly VirtualClock _clock;
    private readonly Action _onZero;
    private ScheduledEvent? _pending;

    // While running, the counter read _start at cycle _origin, which is a tick boundary.
    private ulong _origin;
    private uint _start;
    private uint _limit;
    private ulong _divisor = 1;
    private bool _oneShot;

    public DownCounter(VirtualClock clock, Action onZero)
    {
        _clock = clock;
        _onZero = onZero;
    }

    /// <summary>True while the counter counts clock ticks.</summary>
    public bool Running { get; private set; }

    /// <summary>The reload value.</summary>
    public uint Limit => _limit;

    /// <summary>The current count.</summary>
    public uint Value => Running ? ValueAt(TicksSinceOrigin()) : _start;

    /// <summary>Starts counting (or, if already running, changes only the one-shot flag, keeping the phase).</summary>
    public void Run(bool oneShot)
    {
        if (Running)
        {
            Rebase();
        }
        else
        {
            _origin = _clock.Now;
        }

        Running = true;
        _oneShot = oneShot;
        Reschedule();
    }

    /// <summary>Freezes the count.</summary>
    public void Stop()
    {
        if (!Running)
        {
            return;
        }

        Rebase();
        Running = false;
        Reschedule();
    }

    /// <summary>Sets the current count.</summary>
    public void SetCount(uint value)
    {
        Rebase();
        _start = value;
        Reschedule();
    }

    /// <summary>Sets the reload value, and the current count with it when <paramref name="reloadCount"/> is set.</summary>
    public void SetLimit(uint limit, bool reloadCount)
    {
        Rebase();
        _limit = limit;
        if (reloadCount)
        {
            _start = limit;
        }

        Reschedule();
    }

    /// <summary>Sets how many clock cycles one tick takes (the prescaler).</summary>
    public void SetDivisor(ulong divisor)
    {
        Rebase();
        _divisor = Math.Max(1, divisor);
        Reschedule();
    }

    /// <summary>One tick from an external clock (the counter is not running on the clock): decrement or reload.</summary>
    public void TickOnce()
    {
        if (Running)
        {
            return;
        }

        if (_start > 0)
        {
            _start--;
            if (_start == 0)
            {
                _onZero();
            }
        }
        else if (!_oneShot && _limit != 0)
        {
            _start = _limit;
        }
    }

    /// <summary>Stops the counter and sets count, limit and prescaler to the given reset values.</summary>
    public void Reset(uint count, uint limit)
    {
        Running = false;
        _pending?.Cancel();
        _pending = null;
        _start = count;
        _limit = limit;
        _divisor = 1;
        _oneShot = false;
    }

    private ulong TicksSinceOrigin() => (_clock.Now - _origin) / _divisor;

    private uint ValueAt(ulong ticks)
    {
        if (ticks <= _start)
        {
            return (uint)(_start - ticks);
        }

        if (Expires)
        {
            return 0;
        }

        ulong sinceReload = ticks - _start - 1;
        return (uint)(_limit - (sinceReload % ((ulong)_limit + 1)));
    }

    /// <summary>One-shot counters and counters with nothing to reload stop once they reach 0.</summary>
    private bool Expires => _oneShot || _limit == 0;

    /// <summary>Moves the origin to the latest tick boundary so the rest of the arithmetic restarts from now, keeping the phase.</summary>
    private void Rebase()
    {
        if (!Running)
        {
            return;
        }

        ulong ticks = TicksSinceOrigin();
        uint value = ValueAt(ticks);
        if (Expires && ticks >= _start)
        {
            Running = false; // an expired one-shot counter has stopped by itself
        }

        _origin += ticks * _divisor;
        _start = value;
    }

    private void Reschedule()
    {
        _pending?.Cancel();
        _pending = null;
        if (!Running)
        {
            return;
        }

        // Tick 0 is the present; a count that is already 0 does not trigger again.
        ulong zeroTick;
        if (_start > 0)
        {
            zeroTick = _start;
        }
        else if (Expires)
        {
            return;
        }
        else
        {
            zeroTick = (ulong)_limit + 1;
        }

        _pending = _clock.ScheduleAt(_origin + (zeroTick * _divisor), ReachedZero);
    }

    private void ReachedZero()
    {
        _pending = null;
        Rebase(); // the clock is exactly at the zero tick: the origin moves here with count 0
        if (Expires)
        {
            Running = false;
        }

        _onZero();
        Reschedule();
    }
}
