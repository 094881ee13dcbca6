using EdgeVisor.Emulation.Peripherals.Bus;
using EdgeVisor.Emulation.Peripherals.Gpio;
using EdgeVisor.Emulation.Time;

namespace EdgeVisor.Emulation.Peripherals.Fpga;

/// <summary>
/// The MPS2 Serial Communication Controller block (MPS2 TRM, AN385/AN386): CFG_REG0 (remap), CFG_REG1 (the 8 SCC
/// LEDs, exposed as pins), CFG_REG3 (switches, read as 0), CFG_REG4 (board revision), the SYS_CFG channel to the
/// oscillator clocks (function 1 = OSCCLK n), DLL status, and the AID/ID registers that identify the FPGA image.
/// </summary>
public sealed class Mps2Scc : IPeripheral, IGpioPort
{
    private const uint Cfg0 = 0x00;
    private const uint Cfg1 = 0x04;
    private const uint Cfg3 = 0x0C;
    private const uint Cfg4 = 0x10;
    private const uint CfgDataReturn = 0xA0;
    private const uint CfgDataOut = 0xA4;
    private const uint CfgControl = 0xA8;
    private const uint CfgStatus = 0xAC;
    private const uint Dll = 0x100;
    private const uint Aid = 0xFF8;
    private const uint Id = 0xFFC;

    private const uint CfgStart = 1u << 31;
    private const uint CfgWrite = 1u << 30;
    private const uint CfgReservedBits = (0xFFu << 12) | (0xFu << 26);
    private const uint StatusDone = 1;
    private const uint StatusError = 2;
    private const int OscillatorFunction = 1;

    private readonly SccIdentity _identity;
    private readonly uint[] _oscillators;
    private readonly GpioPin[] _leds;
    private uint _cfg0;
    private uint _cfg1;
    private uint _dataReturn;
    private uint _dataOut;
    private uint _control;
    private uint _status;
    private uint _dll;

    public Mps2Scc(string name, VirtualClock clock, SccIdentity identity)
    {
        Name = name;
        _identity = identity;
        _oscillators = new uint[identity.Oscillators.Count];
        _leds = [.. Enumerable.Range(0, 8).Select(i => new GpioPin($"{name}.led{i}", i, () => clock.Now))];
        Reset();
    }

    public string Name { get; }

    /// <summary>The 8 LEDs CFG_REG1 drives.</summary>
    public IReadOnlyList<GpioPin> Pins => _leds;

    public uint Read(uint offset, int size) => RegisterAccess.Narrow(offset switch
    {
        Cfg0 => _cfg0,
        Cfg1 => _cfg1,
        Cfg3 => 0, // user DIP switches, not modelled
        Cfg4 => _identity.Cfg4,
        CfgDataReturn => _dataReturn,
        CfgDataOut => _dataOut,
        CfgControl => _control,
        CfgStatus => _status,
        Dll => _dll,
        Aid => _identity.Aid,
        Id => _identity.Id,
        _ => 0,
    }, size);

    public void Write(uint offset, uint value, int size)
    {
        switch (offset)
        {
            case Cfg0:
                _cfg0 = value;
                break;
            case Cfg1:
                _cfg1 = value;
                UpdateLeds();
                break;
            case CfgDataOut:
                _dataOut = value;
                break;
            case CfgControl:
                WriteControl(value);
                break;
            case Dll:
                // Only the lock mask [31:24] is writable; the DLLs always report locked.
                _dll = (_dll & 0x00FFFFFF) | (value & 0xFF000000);
                break;
        }
    }

    public void Reset()
    {
        _cfg0 = 0;
        _cfg1 = 0;
        _dataReturn = 0;
        _dataOut = 0;
        _control = 0x100000;
        _status = 0;
        _dll = 0xFFFF0001;
        for (int i = 0; i < _oscillators.Length; i++)
        {
            _oscillators[i] = _identity.Oscillators[i];
        }

        UpdateLeds();
    }

    /// <summary>A SYS_CFG transaction completes at once when START is written: read or write OSCCLK[device].</summary>
    private void WriteControl(uint value)
    {
        _status = 0;
        _control = value & ~(CfgReservedBits | CfgStart);
        if ((value & CfgStart) == 0)
        {
            return;
        }

        int device = (int)(_control & 0xFFF);
        int function = (int)((_control >> 20) & 0x3F);
        _status = StatusDone;
        if (function != OscillatorFunction || device >= _oscillators.Length)
        {
            _status |= StatusError;
        }
        else if ((_control & CfgWrite) != 0)
        {
            _oscillators[device] = _dataOut;
        }
        else
        {
            _dataReturn = _oscillators[device];
        }
    }

    private void UpdateLeds()
    {
        for (int i = 0; i < _leds.Length; i++)
        {
            _leds[i].SetOutput(GpioDirection.Output, (_cfg1 & (1u << i)) != 0);
        }
    }
}

/// <summary>What identifies an FPGA image in its SCC: SCC_ID, SCC_AID, CFG_REG4 and the oscillator frequencies.</summary>
public sealed record SccIdentity(uint Id, uint Aid, uint Cfg4, IReadOnlyList<uint> Oscillators);
