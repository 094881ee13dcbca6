using EdgeVisor.Emulation.Interrupts;
using EdgeVisor.Emulation.Peripherals.Bus;
using EdgeVisor.Emulation.Peripherals.Gpio;
using EdgeVisor.Emulation.Time;

namespace EdgeVisor.Emulation.Peripherals.Timers;

/// <summary>
/// The CMSDK APB timer (ARM DDI0479C, part 0x822): a 32-bit down-counter clocked by PCLK (the core clock on
/// MPS2) that reloads from RELOAD and raises TIMERINT when it reaches 0. The EXTIN input is a
/// <see cref="GpioPin"/>: with CTRL.SELEXTEN the counter runs only while EXTIN is high; with CTRL.SELEXTCLK it
/// counts EXTIN rising edges instead of PCLK. EXTIN idles high, so firmware that sets SELEXTEN counts as
/// under QEMU (which ignores EXTIN) unless a test drives the pin low.
/// </summary>
public sealed class CmsdkApbTimer : IPeripheral
{
    private const uint PartNumber = 0x822;

    private const uint Ctrl = 0x00;
    private const uint Value = 0x04;
    private const uint Reload = 0x08;
    private const uint IntStatus = 0x0C;

    private const uint Enable = 1 << 0;
    private const uint SelectExternalEnable = 1 << 1;
    private const uint SelectExternalClock = 1 << 2;
    private const uint InterruptEnable = 1 << 3;

    private readonly DownCounter _counter;
    private readonly InterruptLine _interrupt;
    private uint _ctrl;
    private uint _intStatus;

    public CmsdkApbTimer(string name, VirtualClock clock, InterruptLine interrupt)
    {
        Name = name;
        _interrupt = interrupt;
        _counter = new DownCounter(clock, ReachedZero);
        ExternalInput = new GpioPin($"{name}.extin", 0, () => clock.Now);
        ExternalInput.Drive(true);
        ExternalInput.Changed += (_, level, _) => ExternalInputChanged(level);
    }

    public string Name { get; }

    /// <summary>The EXTIN input (enable or clock, as CTRL selects). Drive it from a test or a wiring.</summary>
    public GpioPin ExternalInput { get; }

    public uint Read(uint offset, int size) => RegisterAccess.Narrow(offset switch
    {
        Ctrl => _ctrl,
        Value => _counter.Value,
        Reload => _counter.Limit,
        IntStatus => _intStatus,
        _ => PrimeCellId.Read(offset, PartNumber) ?? 0,
    }, size);

    public void Write(uint offset, uint value, int size)
    {
        switch (offset)
        {
            case Ctrl:
                _ctrl = value & 0xF;
                UpdateRunning();
                break;
            case Reload:
                // Writing RELOAD also loads the counter.
                _counter.SetLimit(value, reloadCount: true);
                UpdateRunning();
                break;
            case Value:
                _counter.SetCount(value);
                UpdateRunning();
                break;
            case IntStatus:
                _intStatus &= ~(value & 1); // INTCLEAR, write one to clear
                _interrupt.Set(_intStatus != 0);
                break;
        }
    }

    public void Reset()
    {
        _ctrl = 0;
        _intStatus = 0;
        _counter.Reset(0, 0);
        _interrupt.Set(false);
    }

    /// <summary>
    /// Runs the counter on PCLK when enabled, not clocked by EXTIN, not gated off by EXTIN, and when there is
    /// something to count (a nonzero count or reload value); a zero reload value makes it stop at 0.
    /// </summary>
    private void UpdateRunning()
    {
        bool clocked = (_ctrl & Enable) != 0
            && (_ctrl & SelectExternalClock) == 0
            && ((_ctrl & SelectExternalEnable) == 0 || ExternalInput.Level)
            && (_counter.Value != 0 || _counter.Limit != 0);
        if (clocked)
        {
            _counter.Run(oneShot: _counter.Limit == 0);
        }
        else
        {
            _counter.Stop();
        }
    }

    private void ExternalInputChanged(bool level)
    {
        if ((_ctrl & SelectExternalClock) != 0)
        {
            bool gatedOn = (_ctrl & SelectExternalEnable) == 0 || level;
            if (level && (_ctrl & Enable) != 0 && gatedOn)
            {
                _counter.TickOnce();
            }

            return;
        }

        UpdateRunning();
    }

    private void ReachedZero()
    {
        if ((_ctrl & InterruptEnable) != 0)
        {
            _intStatus = 1;
            _interrupt.Set(true);
        }
    }
}
