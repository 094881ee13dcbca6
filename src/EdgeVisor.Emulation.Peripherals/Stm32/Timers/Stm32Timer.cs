using EdgeVisor.Emulation.Peripherals.Bus;
using EdgeVisor.Emulation.Time;

namespace EdgeVisor.Emulation.Peripherals.Stm32.Timers;

/// <summary>
/// An STM32F4 timer (RM0090 §14-§18; <see cref="TimerLayout"/> says which family): the time base (CEN, UDIS, URS,
/// OPM, DIR, CMS, ARPE; PSC and ARR with their shadow registers; the advanced timers' repetition counter), the
/// status flags with write-0-to-clear, EGR software events, and output-compare matches on CCR1-4 setting CCxIF.
/// CNT is computed from virtual time; the only clock event is at the next update or compare match. The counter
/// clock is <see cref="IStm32Clocks.TimerClockHz"/> of the timer's APB (the core clock on a board without RCC),
/// followed when RCC changes it. Interrupts are levels (flag AND enable), as on silicon; QEMU's stm32f2xx_timer
/// pulses its line instead and counts at a fixed 1 GHz, so only event counts, not times, compare with QEMU.
/// Output-compare pin outputs (OCxREF on GPIO alternate functions), input capture, slave modes and DMA are not modelled.
/// </summary>
public sealed class Stm32Timer : IPeripheral
{
    // Register offsets.
    private const uint Cr1 = 0x00;
    private const uint Cr2 = 0x04;
    private const uint Smcr = 0x08;
    private const uint Dier = 0x0C;
    private const uint Sr = 0x10;
    private const uint Egr = 0x14;
    private const uint Ccmr1 = 0x18;
    private const uint Ccmr2 = 0x1C;
    private const uint Ccer = 0x20;
    private const uint Cnt = 0x24;
    private const uint Psc = 0x28;
    private const uint Arr = 0x2C;
    private const uint Rcr = 0x30;
    private const uint Ccr1 = 0x34;
    private const uint Ccr4 = 0x40;
    private const uint Bdtr = 0x44;
    private const uint Dcr = 0x48;
    private const uint Or = 0x50;

    // CR1 bits.
    private const uint Cen = 1 << 0;
    private const uint Udis = 1 << 1;
    private const uint Urs = 1 << 2;
    private const uint Opm = 1 << 3;
    private const uint Dir = 1 << 4;
    private const uint Cms = 3 << 5;
    private const uint Arpe = 1 << 7;

    // SR / DIER / EGR bits (the same positions in all three).
    private const uint Update = 1 << 0;
    private const uint CompareFlags = 0xF << 1;
    private const uint Com = 1 << 5;
    private const uint Trigger = 1 << 6;
    private const uint Break = 1 << 7;

    private const uint Moe = 1 << 15;

    private readonly TimerLayout _layout;
    private readonly IStm32Clocks? _clocks;
    private readonly int _apb;
    private readonly VirtualClock _clock;
    private readonly TimerCounter _counter;
    private readonly TimerInterrupts _interrupts;
    private readonly uint _orMask;
    private readonly Action _tickDue;
    private readonly uint[] _ccr = new uint[4];
    private readonly uint[] _ccrActive = new uint[4];

    private uint _cr1;
    private uint _cr2;
    private uint _smcr;
    private uint _dier;
    private uint _sr;
    private uint _ccmr1;
    private uint _ccmr2;
    private uint _ccer;
    private uint _psc;
    private uint _pscActive;
    private uint _arr;
    private uint _rcr;
    private uint _repetition;
    private uint _bdtr;
    private uint _dcr;
    private uint _or;

    private ScheduledEvent? _pending;
    private ulong _pendingTick;
    private ulong _pendingCycle;

    /// <param name="name">Instance name ("tim2").</param>
    /// <param name="layout">The timer family.</param>
    /// <param name="counterBits">16, or 32 for TIM2/TIM5.</param>
    /// <param name="clock">Virtual time (core cycles).</param>
    /// <param name="clocks">The board's clock tree (null: the counter runs at the core clock).</param>
    /// <param name="apb">The APB bus the timer is on (1 or 2).</param>
    /// <param name="interrupts">The timer's interrupt outputs.</param>
    /// <param name="orMask">Writable bits of the option register (TIM2, TIM5, TIM11 have one; 0 elsewhere).</param>
    internal Stm32Timer(string name, TimerLayout layout, int counterBits, VirtualClock clock, IStm32Clocks? clocks, int apb, TimerInterrupts interrupts, uint orMask = 0)
    {
        Name = name;
        _layout = layout;
        _clock = clock;
        _clocks = clocks;
        _apb = apb;
        _interrupts = interrupts;
        _orMask = orMask;
        _counter = new TimerCounter(clock, counterBits == 32 ? uint.MaxValue : 0xFFFF);
        _tickDue = TickDue;
        if (clocks is not null)
        {
            clocks.Changed += KernelClockChanged;
        }
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <summary>The timer kernel clock now (TIMxCLK).</summary>
    public ulong KernelClockHz => _clocks?.TimerClockHz(_apb) ?? _clock.FrequencyHz;

    /// <inheritdoc/>
    public uint Read(uint offset, int size)
    {
        uint value = offset switch
        {
            Cr1 => ReadControl1(),
            Cr2 => _cr2,
            Smcr => _smcr,
            Dier => _dier,
            Sr => ReadStatus(),
            Ccmr1 => _ccmr1,
            Ccmr2 => _ccmr2,
            Ccer => _ccer,
            Cnt => ReadCount(),
            Psc => _psc,
            Arr => _arr,
            Rcr => _layout.Advanced ? _rcr : 0,
            >= Ccr1 and <= Ccr4 when (offset & 3) == 0 && Channel(offset) < _layout.Channels => _ccr[Channel(offset)],
            Bdtr => _layout.Advanced ? _bdtr : 0,
            Dcr => _dcr,
            Or => _or,
            _ => 0, // EGR is write-only; DMAR (DMA bursts) is not modelled
        };
        return RegisterAccess.Narrow(value, size);
    }

    /// <inheritdoc/>
    public void Write(uint offset, uint value, int size)
    {
        switch (offset)
        {
            case Cr1:
                WriteControl1(value & _layout.Cr1);
                break;
            case Cr2:
                _cr2 = value & _layout.Cr2;
                break;
            case Smcr:
                _smcr = value & _layout.Smcr;
                break;
            case Dier:
                _dier = value & _layout.Dier;
                UpdateInterrupts();
                break;
            case Sr:
                CatchUp();
                _sr &= value; // rc_w0
                UpdateInterrupts();
                break;
            case Egr:
                GenerateEvents(value & _layout.Egr);
                break;
            case Ccmr1:
                CatchUp();
                _ccmr1 = value & _layout.Ccmr1;
                Reschedule();
                break;
            case Ccmr2:
                CatchUp();
                _ccmr2 = value & _layout.Ccmr2;
                Reschedule();
                break;
            case Ccer:
                _ccer = value & _layout.Ccer;
                break;
            case Cnt:
                Rebase();
                _counter.Start = value & _counter.Mask;
                Reschedule();
                break;
            case Psc:
                _psc = value & 0xFFFF; // takes effect at the next update event
                break;
            case Arr:
                WriteAutoReload(value & _counter.Mask);
                break;
            case Rcr when _layout.Advanced:
                _rcr = value & 0xFF; // takes effect at the next update event
                break;
            case >= Ccr1 and <= Ccr4 when (offset & 3) == 0 && Channel(offset) < _layout.Channels:
                WriteCompare(Channel(offset), value & _counter.Mask);
                break;
            case Bdtr when _layout.Advanced:
                _bdtr = value & 0xFFFF;
                break;
            case Dcr:
                _dcr = value & _layout.Dcr;
                break;
            case Or:
                _or = value & _orMask;
                break;
        }
    }

    /// <inheritdoc/>
    public void Reset()
    {
        _pending?.Cancel();
        _pending = null;
        _cr1 = _cr2 = _smcr = _dier = _sr = _ccmr1 = _ccmr2 = _ccer = 0;
        _psc = _pscActive = _rcr = _repetition = _bdtr = _dcr = _or = 0;
        _arr = _counter.Mask; // RM0090: ARR resets to all ones
        Array.Clear(_ccr);
        Array.Clear(_ccrActive);
        _counter.SetRunning(false);
        _counter.Start = 0;
        _counter.Down = false;
        _counter.CenterAligned = false;
        _counter.AutoReload = _arr;
        _counter.SetRate(KernelClockHz, 1);
        UpdateInterrupts();
    }

    private static int Channel(uint offset) => (int)((offset - Ccr1) / 4);

    private uint ReadControl1()
    {
        // In center-aligned mode DIR is read-only and shows the current direction.
        if (_counter.CenterAligned)
        {
            CatchUp();
            return (_cr1 & ~Dir) | (_counter.Down ? Dir : 0);
        }

        return _cr1;
    }

    private uint ReadStatus()
    {
        CatchUp();
        return _sr;
    }

    private uint ReadCount()
    {
        CatchUp();
        return _counter.Value;
    }

    private void WriteControl1(uint value)
    {
        Rebase();
        bool wasCenter = (_cr1 & Cms) != 0;
        _cr1 = value;
        _counter.CenterAligned = (value & Cms) != 0;
        if (!_counter.CenterAligned)
        {
            _counter.Down = (value & Dir) != 0;
        }
        else if (!wasCenter)
        {
            _counter.Down = false;
        }

        UpdateRunning();
        Reschedule();
    }

    private void WriteAutoReload(uint value)
    {
        _arr = value;
        if ((_cr1 & Arpe) == 0)
        {
            Rebase();
            _counter.AutoReload = value;
            UpdateRunning();
            Reschedule();
        }
    }

    private void WriteCompare(int channel, uint value)
    {
        _ccr[channel] = value;
        if (!ComparePreloaded(channel))
        {
            CatchUp();
            _ccrActive[channel] = value;
            Reschedule();
        }
    }

    private uint ModeBits(int channel) => ((channel < 2 ? _ccmr1 : _ccmr2) >> (8 * (channel & 1))) & 0xFF;

    /// <summary>CCxS = 00: the channel is an output and compares.</summary>
    private bool IsOutputCompare(int channel) => (ModeBits(channel) & 0x3) == 0;

    /// <summary>OCxPE: CCRx is loaded into the active register at update events.</summary>
    private bool ComparePreloaded(int channel) => (ModeBits(channel) & 0x8) != 0;

    private void GenerateEvents(uint value)
    {
        CatchUp();
        if ((value & Update) != 0)
        {
            SoftwareUpdate();
        }

        _sr |= value & (CompareFlags | Trigger | (_layout.Advanced ? Com | Break : 0));
        if (_layout.Advanced && (value & Break) != 0)
        {
            _bdtr &= ~Moe; // a break event turns the outputs off
        }

        UpdateInterrupts();
    }

    /// <summary>UG: restarts counter and prescaler; an update event (shadow transfer, UIF unless URS) unless UDIS.</summary>
    private void SoftwareUpdate()
    {
        Rebase();
        _repetition = _rcr;
        if ((_cr1 & Udis) == 0)
        {
            TransferShadowRegisters();
            if ((_cr1 & Urs) == 0)
            {
                _sr |= Update;
            }
        }

        if (_counter.CenterAligned)
        {
            _counter.Down = false;
        }

        _counter.Restart(_counter.Down ? _counter.AutoReload : 0);
        UpdateRunning();
        Reschedule();
    }

    private void TransferShadowRegisters()
    {
        _counter.AutoReload = _arr;
        if (_pscActive != _psc)
        {
            _pscActive = _psc;
            _counter.SetRate(KernelClockHz, (ulong)_pscActive + 1);
        }

        for (int channel = 0; channel < _layout.Channels; channel++)
        {
            _ccrActive[channel] = _ccr[channel];
        }
    }

    private void UpdateRunning() => _counter.SetRunning((_cr1 & Cen) != 0 && _counter.AutoReload != 0);

    /// <summary>Processes every tick event due by now (a register access can come before the clock ran a due event).</summary>
    private void CatchUp()
    {
        while (_pending is not null && _pendingCycle <= _clock.Now)
        {
            _pending.Cancel();
            _pending = null;
            ProcessDueTick();
            Reschedule();
        }
    }

    /// <summary>Moves the origin to the latest tick boundary, so a change takes effect from now keeping the prescaler phase.</summary>
    private void Rebase()
    {
        CatchUp();
        if (_counter.Running)
        {
            ulong ticks = _counter.TicksElapsed;
            _counter.MoveOrigin(ticks, _counter.ValueAt(ticks));
        }
    }

    private void TickDue()
    {
        _pending = null;
        ProcessDueTick();
        Reschedule();
    }

    private void ProcessDueTick()
    {
        ulong legTicks = _counter.TicksToLegEnd();
        if (_pendingTick >= legTicks)
        {
            EndLeg(legTicks);
        }
        else
        {
            _counter.MoveOrigin(_pendingTick, _counter.ValueAt(_pendingTick));
        }

        for (int channel = 0; channel < _layout.Channels; channel++)
        {
            if (IsOutputCompare(channel) && _ccrActive[channel] == _counter.Start)
            {
                _sr |= 2u << channel;
            }
        }

        UpdateInterrupts();
    }

    /// <summary>An overflow or underflow: an update event unless UDIS or the repetition counter says not yet.</summary>
    private void EndLeg(ulong legTicks)
    {
        bool wasDown = _counter.Down;
        uint reached = _counter.ValueAt(legTicks);
        _counter.MoveOrigin(legTicks, reached);

        bool updateEvent = true;
        if (_layout.Advanced)
        {
            if (_repetition == 0)
            {
                _repetition = _rcr;
            }
            else
            {
                _repetition--;
                updateEvent = false;
            }
        }

        if (updateEvent && (_cr1 & Udis) == 0)
        {
            TransferShadowRegisters();
            _sr |= Update;
            if ((_cr1 & Opm) != 0)
            {
                _cr1 &= ~Cen;
            }
        }

        if (_counter.CenterAligned)
        {
            // Turns at ARR (overflow) and at 0 (underflow).
            _counter.Start = wasDown ? 0 : reached;
            _counter.Down = !wasDown;
        }
        else
        {
            _counter.Start = wasDown ? _counter.AutoReload : 0;
        }

        UpdateRunning();
    }

    private void Reschedule()
    {
        _pending?.Cancel();
        _pending = null;
        if (!_counter.Running)
        {
            return;
        }

        ulong legTicks = _counter.TicksToLegEnd();
        ulong next = legTicks;
        for (int channel = 0; channel < _layout.Channels; channel++)
        {
            if (IsOutputCompare(channel) && _counter.TicksToReach(_ccrActive[channel], legTicks) is { } ticks && ticks < next)
            {
                next = ticks;
            }
        }

        _pendingTick = next;
        _pendingCycle = _counter.CycleOfTick(next);
        _pending = _clock.ScheduleAt(_pendingCycle, _tickDue);
    }

    private void KernelClockChanged()
    {
        Rebase();
        _counter.SetRate(KernelClockHz, (ulong)_pscActive + 1);
        Reschedule();
    }

    private void UpdateInterrupts()
    {
        uint active = _sr & _dier;
        _interrupts.Update.Set((active & Update) != 0);
        _interrupts.Compare.Set((active & CompareFlags) != 0);
        _interrupts.Trigger.Set((active & (Trigger | Com)) != 0);
        _interrupts.Break.Set((active & Break) != 0);
        _interrupts.Global.Set((active & 0xFF) != 0);
    }
}
