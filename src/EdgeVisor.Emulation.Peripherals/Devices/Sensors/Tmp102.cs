using EdgeVisor.Emulation.Peripherals.Gpio;
using EdgeVisor.Emulation.Peripherals.I2c;
using EdgeVisor.Emulation.Time;

namespace EdgeVisor.Emulation.Peripherals.Devices;

/// <summary>
/// TI TMP102 temperature sensor (datasheet SBOS397). The first byte of a write sets the pointer (temperature,
/// configuration, T_LOW, T_HIGH); further bytes write the register MSB first; reads return the pointed register MSB
/// first and the pointer persists between transactions. Conversions run at the CR rate (0.25/1/4/8 Hz) and each
/// latches the sensed temperature into the temperature register (12-bit, or 13-bit with EM, 0.0625 °C per LSB,
/// D0 = EM); SD stops them and OS starts a one-shot (26 ms, OS reads 0 until it is done). Each conversion runs the
/// thermostat: comparator or interrupt mode (TM), fault queue (F1/F0), polarity (POL), AL, and the ALERT pin when
/// the connection gives one (driven to its level, as with the board's pull-up). The part is taken as powered up
/// and converted before the firmware starts, so the first read already holds the set temperature.
/// </summary>
public sealed class Tmp102 : II2cTarget, ISimulatedDevice, IPowerUpState
{
    private static readonly QuantityRange TemperatureRange = new("temperature", -55, 150);

    internal static readonly DeviceType Entry = new(
        "tmp102",
        "TI TMP102 temperature sensor (I2C 0x48-0x4B, optional ALERT pin)",
        OnBus: true,
        Addresses: DeviceType.Range(0x48, 0x4B),
        Options: [],
        Settable: [TemperatureRange],
        (properties, connection, clock) => new Tmp102(properties.DeviceName, clock, connection.Pin))
    {
        PinRole = "ALERT",
    };

    // Configuration register bits (16-bit view: first byte is bits 15..8).
    private const ushort OneShot = 1 << 15;
    private const ushort Resolution = 3 << 13; // R1/R0: read-only 11 (12-bit converter)
    private const ushort FaultQueueMask = 3 << 11;
    private const ushort Polarity = 1 << 10;
    private const ushort ThermostatInterrupt = 1 << 9;
    private const ushort Shutdown = 1 << 8;
    private const ushort RateMask = 3 << 6;
    private const ushort AlertBit = 1 << 5;
    private const ushort Extended = 1 << 4;
    private const ushort Writable = OneShot | FaultQueueMask | Polarity | ThermostatInterrupt | Shutdown | RateMask | Extended;
    private const ushort PowerUpConfig = Resolution | (2 << 6);

    private const double LsbCelsius = 0.0625;
    private static readonly int[] FaultCounts = [1, 2, 4, 6];
    private static readonly double[] RatesHz = [0.25, 1, 4, 8];
    private static readonly TimeSpan ConversionTime = TimeSpan.FromMilliseconds(26);

    private readonly VirtualClock _clock;
    private readonly GpioPin? _alertPin;
    private readonly DeviceQuantities _quantities;
    private ushort _config = PowerUpConfig;
    private ushort _low;
    private ushort _high;
    private ushort _temperatureRegister;
    private int _pointer;
    private int _bytesWritten;
    private int _bytesRead;
    private ushort _pendingWord;
    private ScheduledEvent? _conversion;
    private bool _oneShotRunning;
    private int _faults;
    private bool _comparatorActive;
    private bool _interruptActive;

    /// <summary>A TMP102 at power-up (4 Hz continuous conversions, T_LOW 75 °C, T_HIGH 80 °C), sensing 25 °C.</summary>
    public Tmp102(string name, VirtualClock clock, GpioPin? alertPin = null)
    {
        Name = name;
        _clock = clock;
        _alertPin = alertPin;
        _quantities = new DeviceQuantities(name).Add("temperature", () => Temperature, v => Temperature = v, TemperatureRange.Min, TemperatureRange.Max);
        _low = Encode(75, extended: false);
        _high = Encode(80, extended: false);
        Temperature = 25;
        _temperatureRegister = Encode(Temperature, extended: false);
        UpdateAlertPin();
        ScheduleNextConversion();
    }

    public string Name { get; }

    public string Type => "tmp102";

    /// <summary>The temperature the part senses (°C); the register follows at the next conversion.</summary>
    public double Temperature { get; set; }

    /// <summary>The configuration register as firmware reads it.</summary>
    public ushort Configuration => (ushort)((_config & ~(OneShot | AlertBit)) | (OneShotReadsDone ? OneShot : 0) | (AlertReadsHigh ? AlertBit : 0));

    /// <summary>The temperature register (what the last conversion latched).</summary>
    public ushort TemperatureRegister => _temperatureRegister;

    /// <summary>True while the ALERT output is asserted (its pin level then depends on POL).</summary>
    public bool AlertActive => (_config & ThermostatInterrupt) != 0 ? _interruptActive : _comparatorActive;

    public IReadOnlyCollection<string> Quantities => _quantities.Names;

    public double Get(string quantity) => _quantities.Get(quantity);

    public void Set(string quantity, double value) => _quantities.Set(quantity, value);

    /// <summary>Latches the sensed temperature as the power-up conversion would have.</summary>
    public void SettleAtPowerUp()
    {
        _temperatureRegister = Encode(Temperature, Extended13);
        _faults = 0;
        _comparatorActive = false;
        Convert();
    }

    /// <summary>The register value for <paramref name="celsius"/> in 12-bit or 13-bit (extended) format, saturated to the format's range.</summary>
    public static ushort Encode(double celsius, bool extended)
    {
        int bits = extended ? 13 : 12;
        int max = (1 << (bits - 1)) - 1;
        int counts = Math.Clamp((int)Math.Round(celsius / LsbCelsius, MidpointRounding.AwayFromZero), -max - 1, max);
        int shift = 16 - bits;
        return (ushort)((counts << shift) | (extended ? 1 : 0));
    }

    /// <summary>The temperature a 12-bit or 13-bit register value stands for.</summary>
    public static double Decode(ushort register, bool extended) => ((short)register >> (extended ? 3 : 4)) * LsbCelsius;

    public bool Start(bool read)
    {
        _bytesWritten = 0;
        _bytesRead = 0;
        return true;
    }

    public bool Write(byte value)
    {
        if (_bytesWritten++ == 0)
        {
            _pointer = value & 3;
            return true;
        }

        // Registers take their bytes as they arrive (MSB, then LSB), like the part.
        if (_bytesWritten == 2)
        {
            _pendingWord = (ushort)(value << 8);
            WriteRegister(_pendingWord, msbOnly: true);
        }
        else if (_bytesWritten == 3)
        {
            _pendingWord |= value;
            WriteRegister(_pendingWord, msbOnly: false);
        }

        return true;
    }

    public byte Read(bool ack)
    {
        ushort word = _pointer switch
        {
            0 => _temperatureRegister,
            1 => Configuration,
            2 => _low,
            _ => _high,
        };
        byte value = (_bytesRead++ & 1) == 0 ? (byte)(word >> 8) : (byte)word;
        if (_interruptActive)
        {
            // Interrupt mode: any register read clears the ALERT output.
            _interruptActive = false;
            UpdateAlertPin();
        }

        return value;
    }

    public void Stop()
    {
    }

    public override string ToString() => $"{Name}: {Temperature:0.###} °C (register 0x{_temperatureRegister:X4})";

    private bool Extended13 => (_config & Extended) != 0;

    private bool OneShotReadsDone => (_config & Shutdown) != 0 && !_oneShotRunning;

    private bool AlertReadsHigh => _comparatorActive == ((_config & Polarity) != 0);

    private void WriteRegister(ushort word, bool msbOnly)
    {
        switch (_pointer)
        {
            case 1:
                WriteConfiguration(msbOnly ? (ushort)((word & 0xFF00) | (_config & 0x00FF)) : word);
                break;
            case 2:
                _low = msbOnly ? (ushort)((word & 0xFF00) | (_low & 0x00FF)) : word;
                break;
            case 3:
                _high = msbOnly ? (ushort)((word & 0xFF00) | (_high & 0x00FF)) : word;
                break;
            default:
                break; // the temperature register is read-only
        }
    }

    private void WriteConfiguration(ushort value)
    {
        bool wasShutdown = (_config & Shutdown) != 0;
        ushort oldRate = (ushort)(_config & RateMask);
        bool oneShot = (value & OneShot) != 0;
        _config = (ushort)((value & Writable & ~OneShot) | Resolution);
        bool shutdown = (_config & Shutdown) != 0;

        if (shutdown)
        {
            // Shutdown ends the continuous conversions (and clears an interrupt-mode ALERT).
            if (!_oneShotRunning)
            {
                _conversion?.Cancel();
                _conversion = null;
            }

            _interruptActive = false;
            if (oneShot && !_oneShotRunning)
            {
                _oneShotRunning = true;
                _conversion = _clock.Schedule(_clock.CyclesFor(ConversionTime), CompleteOneShot);
            }
        }
        else if (wasShutdown || oldRate != (_config & RateMask))
        {
            _conversion?.Cancel();
            _oneShotRunning = false;
            ScheduleNextConversion();
        }

        UpdateAlertPin();
    }

    private void ScheduleNextConversion()
    {
        double hz = RatesHz[(_config & RateMask) >> 6];
        _conversion = _clock.Schedule(_clock.CyclesFor(TimeSpan.FromSeconds(1 / hz)), () =>
        {
            Convert();
            ScheduleNextConversion();
        });
    }

    private void CompleteOneShot()
    {
        _oneShotRunning = false;
        _conversion = null;
        Convert();
    }

    /// <summary>One conversion: latch the temperature, then run the thermostat against the limits.</summary>
    private void Convert()
    {
        bool extended = Extended13;
        _temperatureRegister = Encode(Temperature, extended);
        double measured = Decode(_temperatureRegister, extended);
        double high = Decode(_high, extended);
        double low = Decode(_low, extended);

        // A fault is a conversion on the far side of the limit that would flip the comparator.
        bool fault = _comparatorActive ? measured < low : measured >= high;
        _faults = fault ? _faults + 1 : 0;
        if (_faults >= FaultCounts[(_config & FaultQueueMask) >> 11])
        {
            _faults = 0;
            _comparatorActive = !_comparatorActive;
            if ((_config & ThermostatInterrupt) != 0)
            {
                // Interrupt mode: each crossing (above T_HIGH, then below T_LOW) asserts ALERT until a read.
                _interruptActive = true;
            }
        }

        UpdateAlertPin();
    }

    private void UpdateAlertPin()
    {
        if (_alertPin is null)
        {
            return;
        }

        bool activeHigh = (_config & Polarity) != 0;
        bool level = AlertActive ? activeHigh : !activeHigh;
        if (!_alertPin.ExternallyDriven || _alertPin.ExternalLevel != level)
        {
            _alertPin.Drive(level);
        }
    }
}
