using EdgeVisor.Emulation.Interrupts;
using EdgeVisor.Emulation.Peripherals.Bus;
using EdgeVisor.Emulation.Peripherals.I2c;
using EdgeVisor.Emulation.Time;
using static EdgeVisor.Emulation.Peripherals.Stm32.I2c.Stm32I2cRegisters;

namespace EdgeVisor.Emulation.Peripherals.Stm32.I2c;

/// <summary>
/// The STM32F4 I2C (v1) controller in master mode (RM0090 §27), mastering its own <see cref="I2cBus"/>.
/// Every wire step is timed in virtual time from CCR and PCLK1 (see <see cref="Stm32I2cTiming"/>) and goes
/// through the bus, so the I2C log sees it. The flags follow the event sequence drivers depend on: START → SB
/// (cleared by reading SR1 then writing DR), the address → ADDR (cleared by reading SR1 then SR2) or AF on a
/// NACK, TxE/BTF while transmitting, RxNE/BTF while receiving with ACK sampled at the end of each byte (or one
/// byte ahead with POS), START/STOP taking effect after the byte in progress. The receiver clocks the next byte
/// as soon as its shift register is free and stretches SCL (BTF) when DR and the shift register are both full.
/// 10-bit addressing works on the wire (header byte, ADD10, second address byte). Slave mode, SMBus (PEC,
/// alerts, timeouts), multi-master arbitration and DMA requests are not modelled: those bits read back as
/// written and their flags never set.
/// </summary>
public sealed class Stm32I2c : IPeripheral, II2cController
{
    private readonly VirtualClock _clock;
    private readonly IStm32Clocks? _clocks;
    private readonly InterruptLine _eventLine;
    private readonly InterruptLine _errorLine;

    // Cached so that scheduling a wire step does not allocate a delegate.
    private readonly Action _startDone;
    private readonly Action _addressDone;
    private readonly Action _byteDone;
    private readonly Action _stopDone;

    private uint _cr1, _cr2, _oar1, _oar2, _ccr, _trise, _fltr;
    private uint _sr1;

    // SR1 flags as the last SR1 read saw them: SB, ADD10 and ADDR clear only after a read of SR1 showed them.
    private uint _sr1Seen;
    private byte _dr;

    // The master's state on the wire.
    private bool _master;
    private bool _busy;
    private bool _transmitter;
    private WireStep _step;
    private ScheduledEvent? _pending;
    private byte _addressByte;
    private bool _addressIsTenBitLow;

    // Transmitter: the byte in the shift register, and whether DR holds one waiting for it (TxE = 0).
    private byte _txShift;
    private bool _txWaiting;

    // Receiver: in its data phase (ADDR cleared, no START/STOP since), a byte held in the shift register while DR
    // is full (BTF), and the ACK that POS deferred.
    private bool _receiving;
    private byte _rxShift;
    private bool _deferredAck;

    /// <param name="name">Instance name, also the bus name ("i2c1").</param>
    /// <param name="clock">Virtual time.</param>
    /// <param name="clocks">The STM32 clock tree (PCLK1 times SCL); null: FREQ (CR2) is taken as PCLK1, or the core clock if FREQ is not set.</param>
    /// <param name="eventLine">The event interrupt (I2Cx_EV).</param>
    /// <param name="errorLine">The error interrupt (I2Cx_ER).</param>
    public Stm32I2c(string name, VirtualClock clock, IStm32Clocks? clocks, InterruptLine eventLine, InterruptLine errorLine)
    {
        Name = name;
        _clock = clock;
        _clocks = clocks;
        _eventLine = eventLine;
        _errorLine = errorLine;
        Bus = new I2cBus(name, () => _clock.Now);
        _startDone = OnStartDone;
        _addressDone = OnAddressDone;
        _byteDone = OnByteDone;
        _stopDone = OnStopDone;
    }

    /// <summary>What the controller is doing on the wire.</summary>
    private enum WireStep
    {
        /// <summary>Nothing: the bus is free, or SCL is held low waiting for software (SB, ADDR, BTF, AF).</summary>
        Idle,
        Start,
        Address,
        Byte,
        Stop,
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public I2cBus Bus { get; }

    /// <summary>The SCL frequency CCR gives at the current PCLK1, for logs and tests.</summary>
    public double SclHz => (double)PclkHz / Stm32I2cTiming.SclPeriodInPclkTicks(_ccr);

    private bool Enabled => (_cr1 & Pe) != 0;

    private bool StartOrStopRequested => (_cr1 & (Start | Stop)) != 0;

    private ulong PclkHz
    {
        get
        {
            if (_clocks is not null && _clocks.PclkHz(1) is > 0 and var pclk1)
            {
                return pclk1; // I2C1-3 all sit on APB1
            }

            uint freqMHz = _cr2 & FreqMask;
            return freqMHz >= 2 ? freqMHz * 1_000_000ul : _clock.FrequencyHz;
        }
    }

    /// <inheritdoc/>
    public uint Read(uint offset, int size)
    {
        uint value = offset switch
        {
            Cr1 => _cr1,
            Cr2 => _cr2,
            Oar1 => _oar1,
            Oar2 => _oar2,
            Dr => ReadData(),
            Sr1 => ReadStatus1(),
            Sr2 => ReadStatus2(),
            Ccr => _ccr,
            Trise => _trise,
            Fltr => _fltr,
            _ => 0,
        };
        return RegisterAccess.Narrow(value, size);
    }

    /// <inheritdoc/>
    public void Write(uint offset, uint value, int size)
    {
        value = RegisterAccess.Narrow(value, size);
        switch (offset)
        {
            case Cr1:
                WriteControl1(value);
                break;
            case Cr2:
                _cr2 = value & Cr2Writable;
                break;
            case Oar1:
                _oar1 = value & Oar1Writable;
                break;
            case Oar2:
                _oar2 = value & Oar2Writable;
                break;
            case Dr:
                WriteData((byte)value);
                break;
            case Sr1:
                // Error flags are cleared by writing 0; writing 1 and the other (read-only) bits do nothing.
                _sr1 &= ~(~value & ErrorFlags);
                break;
            case Ccr:
                _ccr = value & CcrWritable;
                break;
            case Trise:
                _trise = value & TriseWritable;
                break;
            case Fltr:
                _fltr = value & FltrWritable;
                break;
        }

        UpdateInterrupts();
    }

    /// <inheritdoc/>
    public void Reset()
    {
        AbandonTransfer();
        _cr1 = _cr2 = _oar1 = _oar2 = _ccr = _fltr = 0;
        _trise = TriseReset;
        _dr = 0;
        UpdateInterrupts();
    }

    private void WriteControl1(uint value)
    {
        value &= Cr1Writable;
        if ((value & Swrst) != 0)
        {
            // Under software reset every register returns to its reset value and stays there until SWRST is cleared.
            Reset();
            _cr1 = Swrst;
            return;
        }

        if ((value & Pe) == 0)
        {
            // RM0090: START, STOP, ACK and PEC are cleared by hardware while the peripheral is disabled.
            value &= ~(Start | Stop | Ack | Pec);
        }

        bool wasEnabled = Enabled;
        _cr1 = value;
        if (wasEnabled && !Enabled)
        {
            // Real hardware finishes the byte in progress first; here disabling ends the transfer at once.
            AbandonTransfer();
        }

        ActOnStartStop();
    }

    private uint ReadStatus1()
    {
        _sr1Seen = _sr1;
        return _sr1;
    }

    private uint ReadStatus2()
    {
        uint value = (_master ? Msl : 0) | (_busy ? Busy : 0) | (_transmitter ? Tra : 0);
        if ((_sr1Seen & _sr1 & Addr) != 0)
        {
            // EV6: reading SR1 then SR2 clears ADDR and releases SCL.
            _sr1 &= ~Addr;
            _sr1Seen = 0;
            ContinueAfterAddress();
            UpdateInterrupts();
        }

        return value;
    }

    private uint ReadData()
    {
        byte value = _dr;
        if (Enabled && !_transmitter)
        {
            TakeReceivedByte();
            UpdateInterrupts();
        }

        return value;
    }

    private void WriteData(byte value)
    {
        _dr = value;
        if (!Enabled)
        {
            return;
        }

        if (!_transmitter)
        {
            // RM0090: writing DR clears RxNE as reading it does. The address write of the next transfer thus
            // drops a byte a receiver clocked in after its last one (STOP set late, as libopencm3 does).
            TakeReceivedByte();
            _dr = value;
        }

        if ((_sr1 & Sb) != 0)
        {
            // EV5: reading SR1 then writing the address to DR clears SB and sends the address.
            if ((_sr1Seen & Sb) != 0)
            {
                _sr1 &= ~Sb;
                _sr1Seen &= ~Sb;
                BeginAddress(value, tenBitLow: false);
            }

            return;
        }

        if ((_sr1 & Add10) != 0)
        {
            // EV9: reading SR1 then writing the second address byte clears ADD10.
            if ((_sr1Seen & Add10) != 0)
            {
                _sr1 &= ~Add10;
                _sr1Seen &= ~Add10;
                BeginAddress(value, tenBitLow: true);
            }

            return;
        }

        if (!_master || !_transmitter)
        {
            return;
        }

        _sr1 &= ~Btf;
        if (_step == WireStep.Idle && (_sr1 & (Addr | Af)) == 0)
        {
            Transmit(value);
        }
        else
        {
            // A byte is on the wire (or SCL is held for ADDR/AF): this one waits in DR.
            _txWaiting = true;
            _sr1 &= ~TxE;
        }
    }

    /// <summary>Acts on START/STOP when the wire is between steps; otherwise the end of the current step does.</summary>
    private void ActOnStartStop()
    {
        if (_step != WireStep.Idle || !Enabled)
        {
            return;
        }

        // A receiver holding SCL for ADDR still has to clock its first byte: START/STOP come after it.
        bool receiverAwaitsFirstByte = _master && !_transmitter && (_sr1 & Addr) != 0;
        if ((_cr1 & Stop) != 0)
        {
            if (!_master)
            {
                _cr1 &= ~Stop; // nothing to stop
            }
            else if (!receiverAwaitsFirstByte)
            {
                Begin(WireStep.Stop, 1, _stopDone);
                return;
            }
        }

        if ((_cr1 & Start) != 0 && !receiverAwaitsFirstByte)
        {
            _busy = true; // SDA falls at once; SB follows when the START condition is complete
            Begin(WireStep.Start, 1, _startDone);
        }
    }

    private void OnStartDone()
    {
        _step = WireStep.Idle;
        _cr1 &= ~Start;
        if (_transmitter)
        {
            _sr1 &= ~(Btf | TxE); // cleared by a START in transmission; a receiver's data stays readable
        }

        _master = true;
        _transmitter = _receiving = _txWaiting = false;
        _sr1 &= ~(Addr | Add10);
        _sr1 |= Sb;
        ActOnStartStop(); // a STOP requested meanwhile comes right after the START
        UpdateInterrupts();
    }

    private void BeginAddress(byte value, bool tenBitLow)
    {
        _addressByte = value;
        _addressIsTenBitLow = tenBitLow;
        Begin(WireStep.Address, Stm32I2cTiming.PeriodsPerByte, _addressDone);
    }

    private void OnAddressDone()
    {
        _step = WireStep.Idle;
        bool read = (_addressByte & 1) != 0;
        bool ack;
        if (_addressIsTenBitLow)
        {
            // The second byte of a 10-bit address is a data byte on the wire; a write transfer follows it.
            ack = Bus.Write(_addressByte);
            read = false;
        }
        else
        {
            ack = Bus.Start(_addressByte >> 1, read);
        }

        if (!ack)
        {
            _sr1 |= Af;
        }
        else if (IsTenBitHeader(_addressByte) && !read && !_addressIsTenBitLow)
        {
            _sr1 |= Add10;
        }
        else
        {
            _sr1 |= Addr;
            _transmitter = !read;
            if (_transmitter)
            {
                _sr1 |= TxE; // DR is empty: the master transmitter shows ADDR and TxE together (SR1 = 0x0082)
            }

            _deferredAck = (_cr1 & Ack) != 0;
        }

        ActOnStartStop();
        UpdateInterrupts();
    }

    /// <summary>ADDR was cleared: the transfer proper starts.</summary>
    private void ContinueAfterAddress()
    {
        if (!_master || _step != WireStep.Idle)
        {
            return;
        }

        if (!_transmitter)
        {
            _receiving = true;
            Begin(WireStep.Byte, Stm32I2cTiming.PeriodsPerByte, _byteDone);
        }
        else if (_txWaiting)
        {
            Transmit(_dr);
        }

        ActOnStartStop();
    }

    private void Transmit(byte value)
    {
        _txShift = value;
        _txWaiting = false;
        _sr1 |= TxE; // DR moved into the shift register and is free again
        Begin(WireStep.Byte, Stm32I2cTiming.PeriodsPerByte, _byteDone);
    }

    private void OnByteDone()
    {
        _step = WireStep.Idle;
        if (_transmitter)
        {
            FinishTransmittedByte();
        }
        else
        {
            FinishReceivedByte();
        }

        ActOnStartStop();
        UpdateInterrupts();
    }

    private void FinishTransmittedByte()
    {
        if (!Bus.Write(_txShift))
        {
            _sr1 |= Af; // the target refused the byte: SCL is held until software sends STOP or START
        }
        else if (StartOrStopRequested)
        {
            // START/STOP take effect after this byte; a byte waiting in DR is not sent.
        }
        else if (_txWaiting)
        {
            Transmit(_dr);
        }
        else
        {
            _sr1 |= Btf; // nothing to send: SCL stretched until DR is written
        }
    }

    private void FinishReceivedByte()
    {
        bool ackBit = (_cr1 & Ack) != 0;

        // POS: the ACK bit governs the next byte, so this one gets what it said one byte earlier.
        bool ack = (_cr1 & Pos) != 0 ? _deferredAck : ackBit;
        _deferredAck = ackBit;
        byte value = Bus.Read(ack);
        if ((_sr1 & RxNE) != 0)
        {
            _rxShift = value;
            _sr1 |= Btf; // DR still full: the byte stays in the shift register and SCL is stretched
            return;
        }

        _dr = value;
        _sr1 |= RxNE;
        if (!StartOrStopRequested)
        {
            Begin(WireStep.Byte, Stm32I2cTiming.PeriodsPerByte, _byteDone);
        }
    }

    /// <summary>Software read (or wrote) DR in receiver mode: DR is empty again, or takes the byte BTF held back.</summary>
    private void TakeReceivedByte()
    {
        if ((_sr1 & Btf) == 0)
        {
            _sr1 &= ~RxNE;
            return;
        }

        _dr = _rxShift;
        _sr1 &= ~Btf;
        if (_receiving && _step == WireStep.Idle && !StartOrStopRequested)
        {
            Begin(WireStep.Byte, Stm32I2cTiming.PeriodsPerByte, _byteDone);
        }
    }

    private void OnStopDone()
    {
        _step = WireStep.Idle;
        Bus.Stop();
        _cr1 &= ~Stop;
        if (_transmitter)
        {
            _sr1 &= ~(Btf | TxE); // cleared by the STOP in transmission; a receiver's data stays readable
        }

        _sr1 &= ~(Sb | Addr | Add10);
        _master = _busy = _transmitter = _receiving = _txWaiting = false;
        ActOnStartStop(); // a START requested meanwhile
        UpdateInterrupts();
    }

    private void Begin(WireStep step, int sclPeriods, Action done)
    {
        _step = step;
        _pending = _clock.Schedule(Stm32I2cTiming.CoreCycles(_ccr, sclPeriods, PclkHz, _clock.FrequencyHz), done);
    }

    /// <summary>Drops whatever the controller was doing (disable, reset): the bus sees a STOP so its targets are released.</summary>
    private void AbandonTransfer()
    {
        _pending?.Cancel();
        _pending = null;
        if (Bus.Busy)
        {
            Bus.Stop();
        }

        _step = WireStep.Idle;
        _master = _busy = _transmitter = _receiving = _txWaiting = false;
        _sr1 = _sr1Seen = 0;
        _deferredAck = false;
    }

    private static bool IsTenBitHeader(byte addressByte) => (addressByte & 0xF8) == 0xF0;

    private void UpdateInterrupts()
    {
        bool events = (_sr1 & EventFlags) != 0 || ((_cr2 & ItBufEn) != 0 && (_sr1 & BufferFlags) != 0);
        _eventLine.Set((_cr2 & ItEvtEn) != 0 && events);
        _errorLine.Set((_cr2 & ItErrEn) != 0 && (_sr1 & ErrorFlags) != 0);
    }
}
