using EdgeVisor.Emulation.Interrupts;
using EdgeVisor.Emulation.Peripherals.Bus;
using EdgeVisor.Emulation.Time;

namespace EdgeVisor.Emulation.Peripherals.Timers;

/// <summary>
/// The CMSDK APB dual-input timer (ARM DDI0479C, part 0x823; two SP804-style counters at 0x00 and 0x20):
/// free-running, periodic or one-shot, 16 or 32 bit, prescale 1/16/256, raw and masked interrupt status,
/// background load, integration test registers. Interrupt outputs: each counter's TIMINTn and their OR
/// TIMINTC (the one MPS2 wires, to IRQ 10).
/// </summary>
public sealed class CmsdkApbDualTimer : IPeripheral
{
    private const uint PartNumber = 0x823;
    private const uint TestControl = 0xF00;
    private const uint TestOutput = 0xF04;

    private readonly DualTimerCounter[] _counters;
    private readonly InterruptLine _combined;
    private uint _testControl;
    private uint _testOutput;

    public CmsdkApbDualTimer(string name, VirtualClock clock, InterruptLine combined, InterruptLine timer1, InterruptLine timer2)
    {
        Name = name;
        _combined = combined;
        _counters = [new DualTimerCounter(clock, timer1, Update), new DualTimerCounter(clock, timer2, Update)];
    }

    public string Name { get; }

    public uint Read(uint offset, int size)
    {
        uint value;
        if (offset < 0x40)
        {
            value = _counters[offset >> 5].Read(offset & 0x1F);
        }
        else
        {
            value = offset == TestControl ? _testControl : PrimeCellId.Read(offset, PartNumber) ?? 0;
        }

        return RegisterAccess.Narrow(value, size);
    }

    public void Write(uint offset, uint value, int size)
    {
        if (offset < 0x40)
        {
            _counters[offset >> 5].Write(offset & 0x1F, value);
        }
        else if (offset == TestControl)
        {
            _testControl = value & 1;
        }
        else if (offset == TestOutput)
        {
            _testOutput = value & 3;
        }

        Update();
    }

    public void Reset()
    {
        foreach (var counter in _counters)
        {
            counter.Reset();
        }

        _testControl = 0;
        _testOutput = 0;
        Update();
    }

    private void Update()
    {
        // In integration test mode TIMERITOP drives the outputs directly.
        bool int1 = _testControl != 0 ? (_testOutput & 1) != 0 : _counters[0].MaskedInterrupt;
        bool int2 = _testControl != 0 ? (_testOutput & 2) != 0 : _counters[1].MaskedInterrupt;
        _counters[0].Interrupt.Set(int1);
        _counters[1].Interrupt.Set(int2);
        _combined.Set(int1 || int2);
    }
}

/// <summary>One counter of the dual timer, with its registers at offsets 0x00-0x18 of its 0x20-byte bank.</summary>
internal sealed class DualTimerCounter
{
    private const uint Load = 0x00;
    private const uint Value = 0x04;
    private const uint Control = 0x08;
    private const uint IntClear = 0x0C;
    private const uint RawStatus = 0x10;
    private const uint MaskedStatus = 0x14;
    private const uint BackgroundLoad = 0x18;

    private const uint OneShot = 1 << 0;
    private const uint Size32 = 1 << 1;
    private const uint PrescaleMask = 3 << 2;
    private const uint InterruptEnable = 1 << 5;
    private const uint Periodic = 1 << 6;
    private const uint Enable = 1 << 7;
    private const uint ControlMask = OneShot | Size32 | PrescaleMask | InterruptEnable | Periodic | Enable;

    private readonly DownCounter _counter;
    private readonly Action _update;
    private uint _control;
    private uint _load; // LOAD as written; the counter's limit holds the part in use
    private uint _valueHigh; // VALUE's top half while counting in 16-bit mode
    private bool _rawInterrupt;

    public DualTimerCounter(VirtualClock clock, InterruptLine interrupt, Action update)
    {
        Interrupt = interrupt;
        _update = update;
        _counter = new DownCounter(clock, ReachedZero);
        Reset();
    }

    public InterruptLine Interrupt { get; }

    public bool MaskedInterrupt => _rawInterrupt && (_control & InterruptEnable) != 0;

    private bool Is32Bit => (_control & Size32) != 0;

    private bool IsPeriodic => (_control & Periodic) != 0;

    public uint Read(uint offset) => offset switch
    {
        Load or BackgroundLoad => IsPeriodic ? WidenIf16(_counter.Limit, _load) : _load,
        Value => WidenIf16(_counter.Value, _valueHigh),
        Control => _control,
        RawStatus => _rawInterrupt ? 1u : 0,
        MaskedStatus => MaskedInterrupt ? 1u : 0,
        _ => 0,
    };

    public void Write(uint offset, uint value)
    {
        switch (offset)
        {
            case Load:
                // Sets the reload value and restarts the count from it.
                _load = value;
                _valueHigh = value;
                uint count = Is32Bit ? value : value & 0xFFFF;
                if (!IsPeriodic)
                {
                    _counter.SetCount(count); // free-running: the limit stays the wrap value
                }
                else
                {
                    _counter.SetLimit(count, reloadCount: true);
                    RunIfEnabled();
                }

                break;
            case BackgroundLoad:
                // Sets the reload value used at the next reload, leaving the current count alone.
                _load = value;
                if (IsPeriodic)
                {
                    _counter.SetLimit(Is32Bit ? value : value & 0xFFFF, reloadCount: false);
                }

                break;
            case Control:
                WriteControl(value & ControlMask);
                break;
            case IntClear:
                _rawInterrupt = false;
                break;
        }
    }

    public void Reset()
    {
        _control = InterruptEnable;
        _rawInterrupt = false;
        _load = 0;
        _valueHigh = 0xFFFFFFFF;

        // Free-running 16-bit at reset: count and limit are the 16-bit wrap value, VALUE reads 0xFFFFFFFF.
        _counter.Reset(0xFFFF, 0xFFFF);
    }

    private static uint Widen(uint counter16Or32, uint high) => counter16Or32 | (high & 0xFFFF0000);

    private uint WidenIf16(uint value, uint high) => Is32Bit ? value : Widen(value & 0xFFFF, high);

    private void WriteControl(uint control)
    {
        uint changed = _control ^ control;
        if ((changed & Enable) != 0 && (control & Enable) == 0)
        {
            _counter.Stop();
        }

        if ((changed & PrescaleMask) != 0)
        {
            // 0: /1, 1: /16, 2: /256; 3 is undefined and treated as /256 (as QEMU does).
            _counter.SetDivisor(((control & PrescaleMask) >> 2) switch { 0 => 1u, 1 => 16u, _ => 256u });
        }

        bool to32 = (control & Size32) != 0;
        if ((changed & (Periodic | Size32)) != 0)
        {
            // Rebuild count and limit for the new mode and width, keeping the halves that are not in use.
            uint value = WidenIf16(_counter.Value, _valueHigh);
            if (!to32)
            {
                _valueHigh = value;
            }

            uint limit;
            if ((control & Periodic) != 0)
            {
                limit = IsPeriodic ? WidenIf16(_counter.Limit, _load) : _load;
                _load = limit;
            }
            else
            {
                if (IsPeriodic)
                {
                    _load = WidenIf16(_counter.Limit, _load);
                }

                limit = 0xFFFFFFFF; // free-running wraps at the counter width
            }

            _counter.SetCount(to32 ? value : value & 0xFFFF);
            _counter.SetLimit(to32 ? limit : limit & 0xFFFF, reloadCount: false);
        }

        _control = control;
        RunIfEnabled();
    }

    private void RunIfEnabled()
    {
        if ((_control & Enable) != 0)
        {
            _counter.Run((_control & OneShot) != 0);
        }
    }

    private void ReachedZero()
    {
        _rawInterrupt = true;
        _update();
    }
}
