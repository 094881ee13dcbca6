using EdgeVisor.Emulation.Interrupts;
using EdgeVisor.Emulation.Peripherals.Bus;
using EdgeVisor.Emulation.Time;

namespace EdgeVisor.Emulation.Peripherals.Gpio;

/// <summary>
/// The CMSDK AHB GPIO (ARM DDI0479C, part 0x820): 16 bidirectional pins with output enables, alternate-function
/// selects, per-pin level or edge interrupts of either polarity, and the masked-access windows (MASKLOWBYTE at
/// 0x400-0x7FC and MASKHIGHBYTE at 0x800-0xBFC, where address bits [9:2] are the byte's write/read mask).
/// The pins are <see cref="GpioPin"/>s: tests and wiring drive inputs and watch outputs.
/// (QEMU 7.2 maps these ports as RAZ/WI "unimplemented" windows; this model is a superset firmware can rely on.)
/// </summary>
public sealed class CmsdkAhbGpio : IPeripheral, IGpioPort
{
    public const int PinCount = 16;
    private const uint PartNumber = 0x820;
    private const uint PinMask = 0xFFFF;

    private const uint Data = 0x000;
    private const uint DataOut = 0x004;
    private const uint OutEnableSet = 0x010;
    private const uint OutEnableClear = 0x014;
    private const uint AltFuncSet = 0x018;
    private const uint AltFuncClear = 0x01C;
    private const uint IntEnableSet = 0x020;
    private const uint IntEnableClear = 0x024;
    private const uint IntTypeSet = 0x028;
    private const uint IntTypeClear = 0x02C;
    private const uint IntPolaritySet = 0x030;
    private const uint IntPolarityClear = 0x034;
    private const uint IntStatusClear = 0x038;
    private const uint MaskLowByte = 0x400;
    private const uint MaskHighByte = 0x800;
    private const uint MaskEnd = 0xC00;

    private readonly GpioPin[] _pins = new GpioPin[PinCount];
    private readonly InterruptLine _combined;
    private readonly InterruptLine[] _pinInterrupts;
    private uint _dataOut;
    private uint _outEnable;
    private uint _altFunc;
    private uint _intEnable;
    private uint _intType; // 1 = edge, 0 = level
    private uint _intPolarity; // 1 = rising edge / high level, 0 = falling edge / low level
    private uint _edgeStatus;
    private uint _lastLevels;
    private bool _updatingOutputs;

    /// <param name="pinInterrupts">Per-pin interrupt outputs (GPIOINT[15:0]); shorter arrays leave the rest unconnected.</param>
    public CmsdkAhbGpio(string name, VirtualClock clock, InterruptLine combined, IReadOnlyList<InterruptLine> pinInterrupts)
    {
        Name = name;
        _combined = combined;
        _pinInterrupts = new InterruptLine[PinCount];
        for (int i = 0; i < PinCount; i++)
        {
            _pinInterrupts[i] = i < pinInterrupts.Count ? pinInterrupts[i] : new InterruptLine(null, -1);
            _pins[i] = new GpioPin($"{name}.{i}", i, () => clock.Now);
            _pins[i].Changed += PinChanged;
        }
    }

    public string Name { get; }

    public IReadOnlyList<GpioPin> Pins => _pins;

    /// <summary>The pins' levels as a bit mask (bit n = pin n).</summary>
    public uint Levels
    {
        get
        {
            uint levels = 0;
            for (int i = 0; i < PinCount; i++)
            {
                levels |= _pins[i].Level ? 1u << i : 0;
            }

            return levels;
        }
    }

    /// <summary>INTSTATUS: latched edges plus live level conditions of enabled pins.</summary>
    public uint InterruptStatus
    {
        get
        {
            uint levels = Levels;
            uint levelMatch = ~(levels ^ _intPolarity) & PinMask; // high when polarity 1, low when polarity 0
            return (_edgeStatus | (levelMatch & ~_intType)) & _intEnable;
        }
    }

    public uint Read(uint offset, int size)
    {
        uint value;
        if (offset >= MaskLowByte && offset < MaskEnd)
        {
            value = Levels & MaskFor(offset);
        }
        else
        {
            value = offset switch
            {
                Data => Levels,
                DataOut => _dataOut,
                OutEnableSet or OutEnableClear => _outEnable,
                AltFuncSet or AltFuncClear => _altFunc,
                IntEnableSet or IntEnableClear => _intEnable,
                IntTypeSet or IntTypeClear => _intType,
                IntPolaritySet or IntPolarityClear => _intPolarity,
                IntStatusClear => InterruptStatus,
                _ => PrimeCellId.Read(offset, PartNumber) ?? 0,
            };
        }

        return RegisterAccess.Narrow(value, size);
    }

    public void Write(uint offset, uint value, int size)
    {
        value &= PinMask;
        if (offset >= MaskLowByte && offset < MaskEnd)
        {
            uint mask = MaskFor(offset);
            SetDataOut((_dataOut & ~mask) | (value & mask));
            return;
        }

        switch (offset)
        {
            case Data:
            case DataOut:
                SetDataOut(value);
                break;
            case OutEnableSet:
                SetOutEnable(_outEnable | value);
                break;
            case OutEnableClear:
                SetOutEnable(_outEnable & ~value);
                break;
            case AltFuncSet:
                _altFunc |= value;
                break;
            case AltFuncClear:
                _altFunc &= ~value;
                break;
            case IntEnableSet:
                _intEnable |= value;
                break;
            case IntEnableClear:
                _intEnable &= ~value;
                _edgeStatus &= ~value;
                break;
            case IntTypeSet:
                _intType |= value;
                break;
            case IntTypeClear:
                _intType &= ~value;
                break;
            case IntPolaritySet:
                _intPolarity |= value;
                break;
            case IntPolarityClear:
                _intPolarity &= ~value;
                break;
            case IntStatusClear:
                _edgeStatus &= ~value;
                break;
            default:
                return;
        }

        UpdateInterrupts();
    }

    public void Reset()
    {
        _dataOut = 0;
        _outEnable = 0;
        _altFunc = 0;
        _intEnable = 0;
        _intType = 0;
        _intPolarity = 0;
        _edgeStatus = 0;
        ApplyOutputs();
        _lastLevels = Levels;
        UpdateInterrupts();
    }

    /// <summary>The masked-access window's mask: address bits [9:2] select bits of the low or the high byte.</summary>
    private static uint MaskFor(uint offset)
    {
        uint byteMask = (offset >> 2) & 0xFF;
        return offset < MaskHighByte ? byteMask : byteMask << 8;
    }

    private void SetDataOut(uint value)
    {
        _dataOut = value;
        ApplyOutputs();
        UpdateInterrupts();
    }

    private void SetOutEnable(uint value)
    {
        _outEnable = value;
        ApplyOutputs();
    }

    private void ApplyOutputs()
    {
        _updatingOutputs = true;
        try
        {
            for (int i = 0; i < PinCount; i++)
            {
                bool output = (_outEnable & (1u << i)) != 0;
                _pins[i].SetOutput(output ? GpioDirection.Output : GpioDirection.Input, (_dataOut & (1u << i)) != 0);
            }
        }
        finally
        {
            _updatingOutputs = false;
        }

        DetectEdges();
    }

    private void PinChanged(GpioPin pin, bool level, ulong cycle)
    {
        if (!_updatingOutputs)
        {
            DetectEdges();
        }
    }

    /// <summary>Latches edges of edge-triggered enabled pins since the last look, then updates the outputs.</summary>
    private void DetectEdges()
    {
        uint levels = Levels;
        uint changed = levels ^ _lastLevels;
        uint rising = changed & levels;
        uint falling = changed & ~levels;
        _lastLevels = levels;
        uint wanted = (rising & _intPolarity) | (falling & ~_intPolarity);
        _edgeStatus |= wanted & _intType & _intEnable;
        UpdateInterrupts();
    }

    private void UpdateInterrupts()
    {
        uint status = InterruptStatus;
        for (int i = 0; i < PinCount; i++)
        {
            _pinInterrupts[i].Set((status & (1u << i)) != 0);
        }

        _combined.Set(status != 0);
    }
}
