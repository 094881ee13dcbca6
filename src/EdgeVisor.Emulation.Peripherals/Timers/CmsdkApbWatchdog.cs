using EdgeVisor.Emulation.Interrupts;
using EdgeVisor.Emulation.Peripherals.Bus;
using EdgeVisor.Emulation.Time;

namespace EdgeVisor.Emulation.Peripherals.Timers;

/// <summary>
/// The CMSDK APB watchdog (ARM DDI0479C, part 0x824): a 32-bit down-counter that runs while CONTROL.INTEN is
/// set, raises WDOGINT when it reaches 0 and reloads, and requests a system reset when it reaches 0 again with
/// the interrupt still pending and CONTROL.RESEN set. WDOGLOCK (0x1ACCE551 unlocks) write-protects the other
/// registers. MPS2 wires WDOGINT to the NMI and WDOGRES to the system reset.
/// </summary>
public sealed class CmsdkApbWatchdog : IPeripheral
{
    private const uint PartNumber = 0x824;
    private const uint UnlockKey = 0x1ACCE551;

    private const uint Load = 0x00;
    private const uint Value = 0x04;
    private const uint Control = 0x08;
    private const uint IntClear = 0x0C;
    private const uint RawStatus = 0x10;
    private const uint MaskedStatus = 0x14;
    private const uint Lock = 0xC00;
    private const uint TestControl = 0xF00;
    private const uint TestOutput = 0xF04;

    private const uint InterruptEnable = 1 << 0;
    private const uint ResetEnable = 1 << 1;

    private readonly DownCounter _counter;
    private readonly InterruptLine _interrupt;
    private uint _control;
    private bool _rawInterrupt;
    private bool _locked;
    private uint _testControl;
    private uint _testOutput;

    public CmsdkApbWatchdog(string name, VirtualClock clock, InterruptLine interrupt)
    {
        Name = name;
        _interrupt = interrupt;
        _counter = new DownCounter(clock, ReachedZero);
        Reset();
    }

    public string Name { get; }

    /// <summary>Raised when the watchdog asserts WDOGRES; the machine resets the system.</summary>
    public event Action<CmsdkApbWatchdog>? ResetRequested;

    public uint Read(uint offset, int size) => RegisterAccess.Narrow(offset switch
    {
        Load => _counter.Limit,
        Value => _counter.Value,
        Control => _control,
        RawStatus => _rawInterrupt ? 1u : 0,
        MaskedStatus => _rawInterrupt && (_control & InterruptEnable) != 0 ? 1u : 0,
        Lock => _locked ? 1u : 0,
        TestControl => _testControl,
        _ => PrimeCellId.Read(offset, PartNumber) ?? 0,
    }, size);

    public void Write(uint offset, uint value, int size)
    {
        if (offset == Lock)
        {
            _locked = value != UnlockKey;
            return;
        }

        if (_locked)
        {
            return;
        }

        switch (offset)
        {
            case Load:
                _counter.SetLimit(value, reloadCount: true);
                break;
            case Control:
                _control = value & (InterruptEnable | ResetEnable);
                break;
            case IntClear:
                // Clearing the interrupt also restarts the count from LOAD (this is how firmware feeds the dog).
                _rawInterrupt = false;
                _counter.SetCount(_counter.Limit);
                break;
            case TestControl:
                _testControl = value & 1;
                break;
            case TestOutput:
                _testOutput = value & 3;
                break;
            default:
                return;
        }

        UpdateRunning();
        UpdateInterrupt();
    }

    public void Reset()
    {
        _control = 0;
        _rawInterrupt = false;
        _locked = false;
        _testControl = 0;
        _testOutput = 0;
        _counter.Reset(0xFFFFFFFF, 0xFFFFFFFF);
        UpdateInterrupt();
    }

    private void UpdateRunning()
    {
        if ((_control & InterruptEnable) != 0)
        {
            _counter.Run(oneShot: false);
        }
        else
        {
            _counter.Stop();
        }
    }

    private void UpdateInterrupt()
    {
        bool level = _testControl != 0 ? (_testOutput & 1) != 0 : _rawInterrupt && (_control & InterruptEnable) != 0;
        _interrupt.Set(level);
    }

    private void ReachedZero()
    {
        if (_rawInterrupt && (_control & ResetEnable) != 0)
        {
            ResetRequested?.Invoke(this);
            return;
        }

        _rawInterrupt = true;
        UpdateInterrupt();
    }
}
