using EdgeVisor.Emulation.Time;

namespace EdgeVisor.Emulation.Peripherals.Stm32.Timers;

/// <summary>
/// A timer's counter as arithmetic on virtual time: it held <see cref="Start"/> at core cycle <see cref="Origin"/>
/// (a tick boundary) and has moved one step per counter-clock tick since, in one direction, until the end of its
/// current leg (the next overflow or underflow). Nothing is stepped; the owner schedules one clock event at the next
/// tick that matters and moves the origin there. The counter clock is the timer kernel clock divided by PSC + 1; a
/// kernel clock that does not divide the core clock is handled exactly (tick k falls on the first core cycle at or
/// after its real time).
/// </summary>
internal sealed class TimerCounter(VirtualClock clock, uint mask)
{
    private ulong _kernelHz = 1;
    private ulong _divider = 1;

    /// <summary>All ones over the counter's width (0xFFFF or 0xFFFFFFFF).</summary>
    public uint Mask => mask;

    /// <summary>Core cycle of the last tick boundary the arithmetic starts from.</summary>
    public ulong Origin { get; private set; }

    /// <summary>The count at <see cref="Origin"/>.</summary>
    public uint Start { get; set; }

    /// <summary>True while the counter counts down.</summary>
    public bool Down { get; set; }

    /// <summary>True while the counter counts (CEN set and a nonzero auto-reload value).</summary>
    public bool Running { get; private set; }

    /// <summary>The active (shadow) auto-reload value.</summary>
    public uint AutoReload { get; set; }

    /// <summary>True in a center-aligned mode (CR1.CMS != 0).</summary>
    public bool CenterAligned { get; set; }

    /// <summary>Counter-clock ticks since <see cref="Origin"/> (0 while stopped).</summary>
    public ulong TicksElapsed => Running
        ? (ulong)(((UInt128)(clock.Now - Origin) * _kernelHz) / ((UInt128)clock.FrequencyHz * _divider))
        : 0;

    /// <summary>The count now; the owner has processed every leg end up to now.</summary>
    public uint Value => ValueAt(TicksElapsed);

    /// <summary>Sets the kernel clock and the prescaler division (PSC + 1); the owner moves the origin to now first.</summary>
    public void SetRate(ulong kernelHz, ulong divider)
    {
        _kernelHz = Math.Max(1, kernelHz);
        _divider = Math.Max(1, divider);
    }

    /// <summary>Starts counting from now, or freezes the count (the owner moves the origin to now first).</summary>
    public void SetRunning(bool running)
    {
        if (running && !Running)
        {
            Origin = clock.Now;
        }

        Running = running;
    }

    /// <summary>The count <paramref name="ticks"/> ticks after the origin, within the current leg.</summary>
    public uint ValueAt(ulong ticks) => (Down ? Start - (uint)ticks : Start + (uint)ticks) & mask;

    /// <summary>Core cycle of tick <paramref name="ticks"/> after the origin (saturating).</summary>
    public ulong CycleOfTick(ulong ticks)
    {
        UInt128 cycles = (((UInt128)ticks * clock.FrequencyHz * _divider) + _kernelHz - 1) / _kernelHz;
        UInt128 at = Origin + cycles;
        return at > ulong.MaxValue ? ulong.MaxValue : (ulong)at;
    }

    /// <summary>Moves the origin to tick <paramref name="ticks"/> with count <paramref name="value"/> (keeps the prescaler phase).</summary>
    public void MoveOrigin(ulong ticks, uint value)
    {
        Origin = CycleOfTick(ticks);
        Start = value;
    }

    /// <summary>Restarts the prescaler at the present cycle with count <paramref name="value"/> (UG).</summary>
    public void Restart(uint value)
    {
        Origin = clock.Now;
        Start = value;
    }

    /// <summary>
    /// Ticks from the origin to the end of the current leg: up-counting wraps after ARR (or after the counter's top if it
    /// is already above ARR); down-counting underflows after 0; center-aligned turns at ARR and at 0.
    /// </summary>
    public ulong TicksToLegEnd()
    {
        if (CenterAligned)
        {
            return Down ? Math.Max(1u, Start) : (Start < AutoReload ? AutoReload - Start : 1UL);
        }

        if (Down)
        {
            return (ulong)Start + 1;
        }

        uint top = Start <= AutoReload ? AutoReload : mask;
        return (ulong)top - Start + 1;
    }

    /// <summary>Ticks until the count becomes <paramref name="value"/> within the leg (null: not before the leg ends).</summary>
    public ulong? TicksToReach(uint value, ulong legTicks)
    {
        ulong distance = Down ? (ulong)Start - value : (ulong)value - Start;
        bool ahead = Down ? value < Start : value > Start;
        return ahead && distance < legTicks ? distance : null;
    }
}
