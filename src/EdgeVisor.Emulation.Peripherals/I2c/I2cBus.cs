namespace EdgeVisor.Emulation.Peripherals.I2c;

/// <summary>
/// One I2C bus: the targets attached at 7-bit addresses and the controller's view of the wire. A controller
/// model (STM32 I2C, a bit-banged GPIO bus) calls <see cref="Start"/>, <see cref="Write"/>, <see cref="Read"/>
/// and <see cref="Stop"/>; the bus forwards them to the addressed target, answers NACK where nothing is
/// attached, and reports every step on <see cref="Traffic"/> (the I2C log, tests).
/// </summary>
public sealed class I2cBus
{
    private readonly Dictionary<int, II2cTarget> _targets = [];
    private readonly Func<ulong> _now;
    private II2cTarget? _active;
    private int _activeAddress = -1;
    private bool _inTransaction;

    // After the controller NACKs a byte the target has released SDA (I2C spec): further bytes read the idle bus.
    private bool _targetReleased;

    public I2cBus(string name, Func<ulong> now)
    {
        Name = name;
        _now = now;
    }

    /// <summary>The bus name, the controller's instance name ("i2c1").</summary>
    public string Name { get; }

    /// <summary>The attached targets by 7-bit address.</summary>
    public IReadOnlyDictionary<int, II2cTarget> Targets => _targets;

    /// <summary>Every step on the wire, in order.</summary>
    public event Action<I2cBusEvent>? Traffic;

    /// <summary>True between a START and its STOP.</summary>
    public bool Busy => _inTransaction;

    /// <summary>Attaches <paramref name="target"/> at a 7-bit address; throws naming the bus and address if it is taken or out of range.</summary>
    public void Attach(int address, II2cTarget target)
    {
        if (address is < 0 or > 0x7F)
        {
            throw new ArgumentOutOfRangeException(nameof(address), address, $"{Name}: 0x{address:X} is not a 7-bit I2C address");
        }

        if (!_targets.TryAdd(address, target))
        {
            throw new ArgumentException($"{Name}: address 0x{address:X2} already has a device");
        }
    }

    /// <summary>Removes whatever is attached at <paramref name="address"/>.</summary>
    public void Detach(int address) => _targets.Remove(address);

    /// <summary>START or repeated START, then the address byte. Returns whether a target acknowledged it.</summary>
    public bool Start(int address, bool read)
    {
        bool repeated = _inTransaction;
        if (_active is not null && _targets.GetValueOrDefault(address) != _active)
        {
            // A repeated START to another device ends the previous one's transfer.
            _active.Stop();
        }

        _inTransaction = true;
        _targetReleased = false;
        _active = _targets.GetValueOrDefault(address & 0x7F);
        _activeAddress = address & 0x7F;
        bool ack = _active?.Start(read) ?? false;
        if (!ack)
        {
            _active = null;
        }

        Traffic?.Invoke(new I2cBusEvent(Name, I2cBusEventKind.Start, _activeAddress, read, 0, ack, repeated, _now()));
        return ack;
    }

    /// <summary>A data byte to the addressed target; false (NACK) if it refused it or nothing is addressed.</summary>
    public bool Write(byte value)
    {
        bool ack = _active?.Write(value) ?? false;
        Traffic?.Invoke(new I2cBusEvent(Name, I2cBusEventKind.Write, _activeAddress, false, value, ack, false, _now()));
        return ack;
    }

    /// <summary>
    /// Reads a byte from the addressed target; <paramref name="ack"/> is the controller's answer. The idle bus
    /// (0xFF) answers if nothing is addressed, or if the controller already NACKed a byte: the target has then
    /// let go of SDA and is not asked again (a controller that clocks on before its STOP reads 0xFF).
    /// </summary>
    public byte Read(bool ack)
    {
        byte value = _targetReleased ? (byte)0xFF : _active?.Read(ack) ?? 0xFF;
        _targetReleased |= !ack;
        Traffic?.Invoke(new I2cBusEvent(Name, I2cBusEventKind.Read, _activeAddress, true, value, ack, false, _now()));
        return value;
    }

    /// <summary>STOP: ends the transaction.</summary>
    public void Stop()
    {
        if (!_inTransaction)
        {
            return;
        }

        _active?.Stop();
        _active = null;
        _inTransaction = false;
        Traffic?.Invoke(new I2cBusEvent(Name, I2cBusEventKind.Stop, _activeAddress, false, 0, true, false, _now()));
        _activeAddress = -1;
    }
}
