using EdgeVisor.Emulation.Interrupts;
using EdgeVisor.Emulation.Peripherals.Bus;
using EdgeVisor.Emulation.Peripherals.Uart;
using EdgeVisor.Emulation.Time;

namespace EdgeVisor.Emulation.Peripherals.Stm32.Usart;

/// <summary>
/// The STM32F4 USART/UART (RM0090 §30) in asynchronous mode: a transmit data register in front of a shift register,
/// a receive data register, the SR flags with their read-SR-then-DR clearing sequences and one interrupt line.
/// <para>
/// Transmission takes silicon time, not QEMU's: a byte written while the shift register is idle moves into it at
/// once (TXE stays set, TC clears) and the frame lasts start + data + stop bits at the baud rate BRR and PCLK give;
/// a second byte waits in DR (TXE clear) until then. TC sets when the last frame ends. QEMU's stm32f2xx_usart sends
/// instantly with TXE and TC always set; firmware that polls TXE or TC, or sends from the TXE interrupt, prints the
/// same on both, only later in virtual time here. With BRR = 0 (no baud rate programmed, which QEMU tolerates) a
/// frame takes no time. The byte reaches the console and <see cref="ByteTransmitted"/> when it enters the shift
/// register, so output written just before firmware exits is never lost.
/// </para>
/// </summary>
public sealed class Stm32Usart : IConsoleUart
{
    // Register offsets.
    private const uint Sr = 0x00;
    private const uint Dr = 0x04;
    private const uint Brr = 0x08;
    private const uint Cr1 = 0x0C;
    private const uint Cr2 = 0x10;
    private const uint Cr3 = 0x14;
    private const uint Gtpr = 0x18;

    // SR bits.
    private const uint Pe = 1 << 0;
    private const uint Fe = 1 << 1;
    private const uint Nf = 1 << 2;
    private const uint Ore = 1 << 3;
    private const uint Idle = 1 << 4;
    private const uint Rxne = 1 << 5;
    private const uint Tc = 1 << 6;
    private const uint Txe = 1 << 7;
    private const uint Lbd = 1 << 8;
    private const uint Cts = 1 << 9;
    private const uint SrReset = Txe | Tc;
    private const uint ClearedByWritingZero = Rxne | Tc | Lbd | Cts;
    private const uint ClearedBySrThenDrRead = Pe | Fe | Nf | Ore | Idle;

    // CR1 bits.
    private const uint Sbk = 1 << 0;
    private const uint Re = 1 << 2;
    private const uint Te = 1 << 3;
    private const uint IdleIe = 1 << 4;
    private const uint RxneIe = 1 << 5;
    private const uint TcIe = 1 << 6;
    private const uint TxeIe = 1 << 7;
    private const uint PeIe = 1 << 8;
    private const uint M = 1 << 12;
    private const uint Ue = 1 << 13;
    private const uint Over8 = 1 << 15;
    private const uint Cr1Mask = 0xBFFF;

    // CR2 and CR3 bits.
    private const int StopShift = 12;
    private const uint LbdIe = 1 << 6;
    private const uint Eie = 1 << 0;
    private const uint Dmar = 1 << 6;
    private const uint CtsIe = 1 << 10;

    private readonly VirtualClock _clock;
    private readonly Func<ulong> _pclkHz;
    private readonly Stream? _sink;
    private readonly InterruptLine _interrupt;
    private readonly UsartRegisterMasks _masks;
    private readonly Action _frameEnded;
    private readonly Action _lineIdle;
    private readonly Action _breakSent;

    private uint _sr;
    private uint _rdr;
    private uint _tdr;
    private uint _brr;
    private uint _cr1;
    private uint _cr2;
    private uint _cr3;
    private uint _gtpr;
    private bool _shifting;
    private uint _errorsSeenBySrRead;
    private ScheduledEvent? _frameEvent;
    private ScheduledEvent? _idleEvent;
    private ScheduledEvent? _breakEvent;

    /// <param name="name">Instance name ("usart2").</param>
    /// <param name="clock">Virtual time (core cycles).</param>
    /// <param name="pclkHz">The APB clock this USART is on, read at the start of each frame (RCC may change it).</param>
    /// <param name="sink">Console stream for transmitted bytes (null: not the console).</param>
    /// <param name="interrupt">The USART's global interrupt line.</param>
    /// <param name="uartOnly">True for UART4/5: no synchronous clock or smartcard bits (CR2 CLKEN/CPOL/CPHA/LBCL, CR3 NACK/SCEN, GTPR).</param>
    public Stm32Usart(string name, VirtualClock clock, Func<ulong> pclkHz, Stream? sink, InterruptLine interrupt, bool uartOnly = false)
    {
        Name = name;
        _clock = clock;
        _pclkHz = pclkHz;
        _sink = sink;
        _interrupt = interrupt;
        _masks = uartOnly ? UsartRegisterMasks.Uart : UsartRegisterMasks.Usart;
        _frameEnded = FrameEnded;
        _lineIdle = LineIdle;
        _breakSent = BreakSent;
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public event Action<byte, ulong>? ByteTransmitted;

    /// <summary>True when the USART and its receiver are enabled and DR holds no unread byte.</summary>
    public bool CanReceive => (_cr1 & (Ue | Re)) == (Ue | Re) && (_sr & Rxne) == 0;

    /// <summary>
    /// A byte arriving on RX: it lands in DR with RXNE set; if DR still holds an unread byte the new one is lost and
    /// ORE is set (RM0090 §30.3.3). IDLE follows one frame time later unless another byte comes. Dropped while UE or
    /// RE is clear, as the receiver is off.
    /// </summary>
    public void Receive(byte value)
    {
        if ((_cr1 & (Ue | Re)) != (Ue | Re))
        {
            return;
        }

        if ((_sr & Rxne) != 0)
        {
            _sr |= Ore;
        }
        else
        {
            _rdr = value;
            _sr |= Rxne;
        }

        _idleEvent?.Cancel();
        _idleEvent = _clock.Schedule(Math.Max(1, FrameCycles()), _lineIdle);
        UpdateInterrupt();
    }

    /// <inheritdoc/>
    public uint Read(uint offset, int size)
    {
        uint value;
        switch (offset)
        {
            case Sr:
                value = _sr;
                _errorsSeenBySrRead = _sr & ClearedBySrThenDrRead;
                break;
            case Dr:
                value = _rdr;
                _sr &= ~(Rxne | _errorsSeenBySrRead);
                _errorsSeenBySrRead = 0;
                UpdateInterrupt();
                break;
            case Brr:
                value = _brr;
                break;
            case Cr1:
                value = _cr1;
                break;
            case Cr2:
                value = _cr2;
                break;
            case Cr3:
                value = _cr3;
                break;
            case Gtpr:
                value = _gtpr;
                break;
            default:
                value = 0;
                break;
        }

        return RegisterAccess.Narrow(value, size);
    }

    /// <inheritdoc/>
    public void Write(uint offset, uint value, int size)
    {
        switch (offset)
        {
            case Sr:
                // RXNE, TC, LBD and CTS are rc_w0; everything else in SR is read-only.
                _sr &= value | ~ClearedByWritingZero;
                UpdateInterrupt();
                break;
            case Dr:
                WriteData(value & 0x1FF);
                break;
            case Brr:
                _brr = value & 0xFFFF;
                break;
            case Cr1:
                WriteControl1(value & Cr1Mask);
                break;
            case Cr2:
                _cr2 = value & _masks.Cr2;
                UpdateInterrupt();
                break;
            case Cr3:
                _cr3 = value & _masks.Cr3;
                UpdateInterrupt();
                break;
            case Gtpr:
                _gtpr = value & _masks.Gtpr;
                break;
        }
    }

    /// <inheritdoc/>
    public void Reset()
    {
        _frameEvent?.Cancel();
        _idleEvent?.Cancel();
        _breakEvent?.Cancel();
        _frameEvent = _idleEvent = _breakEvent = null;
        _sr = SrReset;
        _rdr = _tdr = _brr = _cr1 = _cr2 = _cr3 = _gtpr = 0;
        _shifting = false;
        _errorsSeenBySrRead = 0;
        UpdateInterrupt();
    }

    private bool TransmitterOn => (_cr1 & (Ue | Te)) == (Ue | Te);

    private void WriteData(uint value)
    {
        // Writing DR clears TC (the SR-read-then-DR-write sequence; the SR read is not checked).
        _sr &= ~Tc;
        if (TransmitterOn && !_shifting)
        {
            StartFrame(value);
        }
        else
        {
            // The shift register is busy (or the transmitter off): the byte waits in DR, replacing one already there.
            _tdr = value;
            _sr &= ~Txe;
        }

        UpdateInterrupt();
    }

    private void WriteControl1(uint value)
    {
        bool breakRequested = (value & Sbk) != 0 && (_cr1 & Sbk) == 0;
        _cr1 = value;
        if (TransmitterOn && !_shifting && (_sr & Txe) == 0)
        {
            // A byte written while the transmitter was off goes out once it is enabled.
            _sr |= Txe;
            StartFrame(_tdr);
        }

        if (breakRequested)
        {
            // SBK clears by itself at the end of the break character.
            _breakEvent?.Cancel();
            _breakEvent = _clock.Schedule(Math.Max(1, FrameCycles()), _breakSent);
        }

        UpdateInterrupt();
    }

    private void StartFrame(uint value)
    {
        _shifting = true;
        byte b = (byte)value;
        _sink?.WriteByte(b);
        ByteTransmitted?.Invoke(b, _clock.Now);
        ulong cycles = FrameCycles();
        if (cycles == 0)
        {
            FrameEnded();
        }
        else
        {
            _frameEvent = _clock.Schedule(cycles, _frameEnded);
        }
    }

    private void FrameEnded()
    {
        _frameEvent = null;
        _shifting = false;
        if ((_sr & Txe) == 0 && TransmitterOn)
        {
            _sr |= Txe;
            StartFrame(_tdr);
        }
        else if ((_sr & Txe) != 0)
        {
            _sr |= Tc;
        }

        UpdateInterrupt();
    }

    private void LineIdle()
    {
        _idleEvent = null;
        _sr |= Idle;
        UpdateInterrupt();
    }

    private void BreakSent()
    {
        _breakEvent = null;
        _cr1 &= ~Sbk;
    }

    private ulong FrameCycles() => UsartFrameTiming.CoreCyclesPerFrame(
        _brr,
        (_cr1 & Over8) != 0,
        (_cr1 & M) != 0,
        (_cr2 >> StopShift) & 0x3,
        _pclkHz(),
        _clock.FrequencyHz);

    private void UpdateInterrupt()
    {
        uint sr = _sr;
        uint cr1 = _cr1;
        bool asserted = ((sr & Txe) != 0 && (cr1 & TxeIe) != 0)
            || ((sr & Tc) != 0 && (cr1 & TcIe) != 0)
            || ((sr & (Rxne | Ore)) != 0 && (cr1 & RxneIe) != 0)
            || ((sr & Idle) != 0 && (cr1 & IdleIe) != 0)
            || ((sr & Pe) != 0 && (cr1 & PeIe) != 0)
            || ((sr & Lbd) != 0 && (_cr2 & LbdIe) != 0)
            || ((sr & Cts) != 0 && (_cr3 & CtsIe) != 0)
            || ((sr & (Fe | Nf | Ore)) != 0 && (_cr3 & (Eie | Dmar)) == (Eie | Dmar));
        _interrupt.Set(asserted);
    }
}
