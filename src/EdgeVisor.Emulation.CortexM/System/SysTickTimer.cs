using EdgeVisor.Emulation.Time;

namespace EdgeVisor.Emulation.CortexM;

/// <summary>
/// The SysTick timer (0xE000E010): a 24-bit down-counter clocked by the core clock (CLKSOURCE=1) or
/// the reference clock. Nothing runs per instruction: the counter is a function of virtual time from
/// the last point it was (re)programmed, and the clock calls back exactly when it reaches zero with
/// TICKINT set. After reaching zero it reloads RVR on the next tick, so the period is RVR+1 ticks.
/// </summary>
public sealed class SysTickTimer
{
    private const uint EnableBit = 1u << 0;
    private const uint TickIntBit = 1u << 1;
    private const uint ClkSourceBit = 1u << 2;
    private const uint CountFlagBit = 1u << 16;
    private const uint CounterMask = 0x00FFFFFF;

    private readonly VirtualClock _clock;
    private readonly Nvic _nvic;
    private readonly ulong _referenceHz;
    private uint _control;
    private uint _reload;

    // While enabled: the counter held _anchorValue at tick _anchorTick. While disabled: it holds _anchorValue.
    private ulong _anchorTick;
    private uint _anchorValue;

    // COUNTFLAG: latched part, plus zero crossings after _flagClearedTick that have not been read yet.
    private bool _countFlagLatched;
    private ulong _flagClearedTick;
    private ScheduledEvent? _interruptEvent;

    internal SysTickTimer(VirtualClock clock, Nvic nvic, ulong referenceHz)
    {
        _clock = clock;
        _nvic = nvic;
        _referenceHz = referenceHz >= clock.FrequencyHz ? 0 : referenceHz;
    }

    /// <summary>True when the reference clock exists (CALIB.NOREF clear).</summary>
    public bool HasReferenceClock => _referenceHz != 0;

    private bool Enabled => (_control & EnableBit) != 0;

    private bool UsesCoreClock => (_control & ClkSourceBit) != 0 || !HasReferenceClock;

    /// <summary>SYST_CALIB: NOREF when there is no reference clock; TENMS = reference ticks in 10 ms minus one, SKEW if inexact.</summary>
    public uint Calibration
    {
        get
        {
            if (!HasReferenceClock)
            {
                return 1u << 31;
            }

            bool exact = _referenceHz % 100 == 0;
            ulong tenMs = Math.Min((_referenceHz / 100) - 1, CounterMask);
            return (exact ? 0 : 1u << 30) | (uint)tenMs;
        }
    }

    internal void Reset()
    {
        _interruptEvent?.Cancel();
        _interruptEvent = null;
        _control = HasReferenceClock ? 0 : ClkSourceBit;
        _reload = 0;
        _anchorValue = 0;
        _anchorTick = 0;
        _countFlagLatched = false;
        _flagClearedTick = 0;
    }

    internal bool TryRead(uint offset, out uint value)
    {
        switch (offset)
        {
            case 0x010:
                value = _control | (ReadAndClearCountFlag() ? CountFlagBit : 0);
                return true;
            case 0x014:
                value = _reload;
                return true;
            case 0x018:
                value = CurrentValue();
                return true;
            case 0x01C:
                value = Calibration;
                return true;
            default:
                value = 0;
                return false;
        }
    }

    internal bool TryWrite(uint offset, uint value, uint lanes)
    {
        switch (offset)
        {
            case 0x010:
                WriteControl(SystemControlBlock.Merge(_control, value, lanes));
                return true;
            case 0x014:
                Reanchor();
                _reload = SystemControlBlock.Merge(_reload, value, lanes) & CounterMask;
                Reschedule();
                return true;
            case 0x018:
                // Any write clears the counter and COUNTFLAG; the next tick reloads it.
                Reanchor();
                _anchorValue = 0;
                _countFlagLatched = false;
                _flagClearedTick = Tick();
                Reschedule();
                return true;
            case 0x01C:
                return true;
            default:
                return false;
        }
    }

    private void WriteControl(uint value)
    {
        Reanchor();
        _control = value & (EnableBit | TickIntBit | ClkSourceBit);
        if (!HasReferenceClock)
        {
            _control |= ClkSourceBit;
        }

        // The tick base changes with the clock source, so re-anchor on the new base.
        _anchorTick = Tick();
        _flagClearedTick = _anchorTick;
        Reschedule();
    }

    /// <summary>Ticks of the selected clock since time zero, at the current virtual time.</summary>
    private ulong Tick() => TickAt(_clock.Now);

    private ulong TickAt(ulong cycle) =>
        UsesCoreClock ? cycle : (ulong)((UInt128)cycle * _referenceHz / _clock.FrequencyHz);

    /// <summary>The first core cycle at which the selected clock has made <paramref name="tick"/> ticks.</summary>
    private ulong CycleOfTick(ulong tick)
    {
        if (UsesCoreClock)
        {
            return tick;
        }

        var cycles = (((UInt128)tick * _clock.FrequencyHz) + _referenceHz - 1) / _referenceHz;
        return cycles > ulong.MaxValue ? ulong.MaxValue : (ulong)cycles;
    }

    /// <summary>Ticks after the anchor at which the counter first reaches zero, or null if it never does.</summary>
    private ulong? FirstZeroAfterAnchor() => _anchorValue != 0 ? _anchorValue : _reload != 0 ? 1 + (ulong)_reload : null;

    /// <summary>The counter value <paramref name="elapsed"/> ticks after the anchor.</summary>
    private uint ValueAfter(ulong elapsed)
    {
        if (elapsed <= _anchorValue)
        {
            return _anchorValue - (uint)elapsed;
        }

        if (_reload == 0)
        {
            return 0;
        }

        // One tick after reaching zero the counter reloads RVR, then counts down: period RVR+1.
        ulong sinceReload = (elapsed - _anchorValue - 1) % ((ulong)_reload + 1);
        return _reload - (uint)sinceReload;
    }

    /// <summary>The latest tick (after the anchor, at or before <paramref name="tick"/>) at which the counter was zero by counting down, or null.</summary>
    private ulong? LastZeroAtOrBefore(ulong tick)
    {
        if (!Enabled || tick <= _anchorTick || FirstZeroAfterAnchor() is not { } first)
        {
            return null;
        }

        ulong elapsed = tick - _anchorTick;
        if (elapsed < first)
        {
            return null;
        }

        ulong period = (ulong)_reload + 1;
        ulong last = _reload == 0 ? first : first + ((elapsed - first) / period * period);
        return _anchorTick + last;
    }

    private uint CurrentValue() => Enabled ? ValueAfter(Tick() - _anchorTick) : _anchorValue;

    private bool ReadAndClearCountFlag()
    {
        ulong now = Tick();
        bool set = _countFlagLatched || LastZeroAtOrBefore(now) is { } zero && zero > _flagClearedTick;
        _countFlagLatched = false;
        _flagClearedTick = now;
        return set;
    }

    /// <summary>Folds the time since the anchor into the anchor (before reprogramming).</summary>
    private void Reanchor()
    {
        ulong now = Tick();
        if (Enabled)
        {
            if (LastZeroAtOrBefore(now) is { } zero && zero > _flagClearedTick)
            {
                _countFlagLatched = true;
            }

            _anchorValue = ValueAfter(now - _anchorTick);
        }

        _anchorTick = now;
        _flagClearedTick = Math.Max(_flagClearedTick, now);
    }

    private void Reschedule()
    {
        _interruptEvent?.Cancel();
        _interruptEvent = null;
        if (!Enabled || (_control & TickIntBit) == 0)
        {
            return;
        }

        ulong now = Tick();
        ulong? next = NextZeroAfter(now);
        if (next is { } tick)
        {
            _interruptEvent = _clock.ScheduleAt(CycleOfTick(tick), OnZero);
        }
    }

    /// <summary>The first tick strictly after <paramref name="tick"/> at which the counter reaches zero.</summary>
    private ulong? NextZeroAfter(ulong tick)
    {
        if (FirstZeroAfterAnchor() is not { } first)
        {
            return null;
        }

        ulong elapsed = tick - _anchorTick;
        if (elapsed < first)
        {
            return _anchorTick + first;
        }

        if (_reload == 0)
        {
            return null;
        }

        ulong period = (ulong)_reload + 1;
        return _anchorTick + first + (((elapsed - first) / period) + 1) * period;
    }

    private void OnZero()
    {
        _interruptEvent = null;
        _nvic.SetPending(ExceptionNumber.SysTick, true);
        Reschedule();
    }
}
