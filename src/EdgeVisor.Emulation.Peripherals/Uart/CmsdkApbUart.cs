using EdgeVisor.Emulation.Interrupts;
using EdgeVisor.Emulation.Peripherals.Bus;
using EdgeVisor.Emulation.Time;

namespace EdgeVisor.Emulation.Peripherals.Uart;

/// <summary>
/// The CMSDK APB UART (ARM DDI0479C, part 0x821): one-byte transmit and receive buffers, overrun flags and
/// four interrupt outputs plus their OR. Transmission completes at once, as in QEMU 7.2, so firmware that
/// polls TXFULL or waits for the TX interrupt behaves exactly as under QEMU; BAUDDIV is kept but does not
/// pace the output.
/// </summary>
public sealed class CmsdkApbUart : IConsoleUart
{
    private const uint PartNumber = 0x821;

    // Register offsets.
    private const uint Data = 0x00;
    private const uint State = 0x04;
    private const uint Ctrl = 0x08;
    private const uint IntStatus = 0x0C;
    private const uint BaudDiv = 0x10;

    // STATE bits.
    private const uint TxFull = 1 << 0;
    private const uint RxFull = 1 << 1;
    private const uint TxOverrun = 1 << 2;
    private const uint RxOverrun = 1 << 3;

    // CTRL bits.
    private const uint TxEnable = 1 << 0;
    private const uint RxEnable = 1 << 1;
    private const uint TxInterruptEnable = 1 << 2;
    private const uint RxInterruptEnable = 1 << 3;
    private const uint CtrlMask = 0x7F; // + TX/RX overrun interrupt enables (4, 5) and high-speed test mode (6)

    // INTSTATUS bits.
    private const uint TxInterrupt = 1 << 0;
    private const uint RxInterrupt = 1 << 1;
    private const uint OverrunInterrupts = (1 << 2) | (1 << 3);

    private readonly VirtualClock _clock;
    private readonly Stream? _sink;
    private uint _state;
    private uint _ctrl;
    private uint _intStatus;
    private uint _baudDiv;
    private byte _rxBuffer;

    public CmsdkApbUart(string name, VirtualClock clock, Stream? sink, UartInterrupts interrupts)
    {
        Name = name;
        _clock = clock;
        _sink = sink;
        Lines = interrupts;
    }

    public string Name { get; }

    /// <summary>The interrupt outputs as the board wires them.</summary>
    public UartInterrupts Lines { get; }

    /// <summary>Raised for every byte the firmware transmits, with the virtual cycle it was sent at.</summary>
    public event Action<byte, ulong>? ByteTransmitted;

    /// <summary>True when the receiver is enabled and its buffer is empty, i.e. a host byte would be taken without loss.</summary>
    public bool CanReceive => (_ctrl & RxEnable) != 0 && (_state & RxFull) == 0;

    /// <summary>Delivers a byte from the host side. Dropped when the receiver is disabled; sets RX overrun if the buffer is full.</summary>
    public void Receive(byte value)
    {
        if ((_ctrl & RxEnable) == 0)
        {
            return;
        }

        if ((_state & RxFull) != 0)
        {
            _state |= RxOverrun;
        }

        _rxBuffer = value;
        _state |= RxFull;
        if ((_ctrl & RxInterruptEnable) != 0)
        {
            _intStatus |= RxInterrupt;
        }

        Update();
    }

    public uint Read(uint offset, int size)
    {
        uint value;
        switch (offset)
        {
            case Data:
                value = _rxBuffer;
                _state &= ~RxFull;
                Update();
                break;
            case State:
                value = _state;
                break;
            case Ctrl:
                value = _ctrl;
                break;
            case IntStatus:
                value = _intStatus;
                break;
            case BaudDiv:
                value = _baudDiv;
                break;
            default:
                value = PrimeCellId.Read(offset, PartNumber) ?? 0;
                break;
        }

        return RegisterAccess.Narrow(value, size);
    }

    public void Write(uint offset, uint value, int size)
    {
        switch (offset)
        {
            case Data:
                WriteData((byte)value);
                break;
            case State:
                // TXFULL/RXFULL are read-only; the overrun flags are write-one-to-clear.
                _state &= ~(value & (TxOverrun | RxOverrun));
                Update();
                break;
            case Ctrl:
                _ctrl = value & CtrlMask;
                Update();
                break;
            case IntStatus:
                // INTCLEAR: write one to clear; clearing an overrun interrupt clears the overrun flag behind it.
                _state &= ~(value & OverrunInterrupts);
                _intStatus &= ~value;
                Update();
                break;
            case BaudDiv:
                _baudDiv = value & 0xFFFFF;
                break;
        }
    }

    public void Reset()
    {
        _state = 0;
        _ctrl = 0;
        _intStatus = 0;
        _baudDiv = 0;
        _rxBuffer = 0;
        Update();
    }

    private void WriteData(byte value)
    {
        if ((_state & TxFull) != 0)
        {
            _state |= TxOverrun;
            Update();
            return;
        }

        _state |= TxFull;
        if ((_ctrl & TxEnable) == 0)
        {
            // With the transmitter disabled the byte stays in the buffer (TXFULL set); as in QEMU, enabling the
            // transmitter later does not send it, and further writes only overrun.
            Update();
            return;
        }

        _sink?.Write([value]);
        ByteTransmitted?.Invoke(value, _clock.Now);
        _state &= ~TxFull;
        if ((_ctrl & TxInterruptEnable) != 0)
        {
            _intStatus |= TxInterrupt; // the TXFULL 1 -> 0 transition raises the TX interrupt
        }

        Update();
    }

    private void Update()
    {
        // The overrun interrupt bits are not latched: they are the overrun flags gated by their enables.
        _intStatus = (_intStatus & ~OverrunInterrupts) | (_state & (_ctrl >> 2) & OverrunInterrupts);
        Lines.Tx.Set((_intStatus & TxInterrupt) != 0);
        Lines.Rx.Set((_intStatus & RxInterrupt) != 0);
        Lines.TxOverrun.Set((_intStatus & (1 << 2)) != 0);
        Lines.RxOverrun.Set((_intStatus & (1 << 3)) != 0);
        Lines.Combined.Set(_intStatus != 0);
    }
}

/// <summary>The UART's interrupt outputs (TXINT, RXINT, TXOVRINT, RXOVRINT, UARTINT); an unconnected one is a line with no controller.</summary>
public sealed record UartInterrupts(InterruptLine Tx, InterruptLine Rx, InterruptLine TxOverrun, InterruptLine RxOverrun, InterruptLine Combined)
{
    /// <summary>All five outputs unconnected.</summary>
    public static UartInterrupts None => new(Unconnected(), Unconnected(), Unconnected(), Unconnected(), Unconnected());

    // InterruptLine keeps its level, so every unconnected output needs its own instance.
    private static InterruptLine Unconnected() => new(null, -1);
}
