using EdgeVisor.Emulation.Peripherals.I2c;
using EdgeVisor.Emulation.Time;

namespace EdgeVisor.Emulation.Peripherals.Devices;

/// <summary>
/// Bosch BME280 humidity/pressure/temperature sensor on I2C (datasheet BST-BME280-DS002). Register map: trimming
/// at 0x88–0xA1 and 0xE1–0xE7, chip id 0x60 at 0xD0, soft reset 0xE0 (0xB6), ctrl_hum 0xF2 (latched by the next
/// ctrl_meas write), status 0xF3 (measuring, im_update), ctrl_meas 0xF4, config 0xF5, results 0xF7–0xFE. A write
/// is register/value pairs; a read auto-increments from the last register written. Sleep, forced (one
/// measurement, then sleep) and normal mode (measurements every t_measure + t_standby) run in virtual time with
/// the datasheet's typical measurement time for the chosen oversampling; the IIR filter smooths temperature and
/// pressure; results do not change in the middle of a read (the part's data shadowing). The raw results are the
/// inverse of the datasheet compensation for the set quantities, so a driver's compensation code recovers them
/// within the sensor's resolution (16 bits plus one per oversampling doubling, 20 with the filter).
/// </summary>
public sealed class Bme280 : II2cTarget, ISimulatedDevice
{
    private static readonly QuantityRange TemperatureRange = new("temperature", -40, 85);
    private static readonly QuantityRange PressureRange = new("pressure", 300, 1100);
    private static readonly QuantityRange HumidityRange = new("humidity", 0, 100);

    internal static readonly DeviceType Entry = new(
        "bme280",
        "Bosch BME280 temperature/pressure/humidity sensor (I2C 0x76/0x77)",
        OnBus: true,
        Addresses: [0x76, 0x77],
        Options: [],
        Settable: [TemperatureRange, PressureRange, HumidityRange],
        (properties, _, clock) => new Bme280(properties.DeviceName, clock));

    /// <summary>The chip id at 0xD0.</summary>
    public const byte ChipId = 0x60;

    private const byte RegCalib1 = 0x88;
    private const byte RegId = 0xD0;
    private const byte RegReset = 0xE0;
    private const byte RegCalib2 = 0xE1;
    private const byte RegCtrlHum = 0xF2;
    private const byte RegStatus = 0xF3;
    private const byte RegCtrlMeas = 0xF4;
    private const byte RegConfig = 0xF5;
    private const byte RegData = 0xF7;
    private const byte ResetCommand = 0xB6;
    private const int SkippedTP = 0x80000;
    private const int SkippedH = 0x8000;

    // config t_sb[2:0] → standby time in ms (BME280 values, not BMP280's).
    private static readonly double[] StandbyMs = [0.5, 62.5, 125, 250, 500, 1000, 10, 20];
    private static readonly TimeSpan StartupTime = TimeSpan.FromMilliseconds(2);

    private readonly VirtualClock _clock;
    private readonly DeviceQuantities _quantities;
    private readonly byte[] _calib1;
    private readonly byte[] _calib2;
    private readonly byte[] _data = new byte[8];
    private readonly IirFilter _temperatureFilter = new();
    private readonly IirFilter _pressureFilter = new();
    private byte _ctrlHum;
    private byte _humOversampling;
    private byte _ctrlMeas;
    private byte _config;
    private byte _pointer;
    private bool _pointerPending;
    private bool _reading;
    private bool _resultWaiting;
    private bool _measuring;
    private ulong _nvmCopyUntil;
    private ScheduledEvent? _next;

    /// <summary>A BME280 in sleep mode after power-up, sensing 25 °C, 1013.25 hPa and 40 %RH.</summary>
    public Bme280(string name, VirtualClock clock, Bme280Trimming? trimming = null)
    {
        Name = name;
        _clock = clock;
        Trimming = trimming ?? Bme280Trimming.Typical;
        _calib1 = Trimming.Block1();
        _calib2 = Trimming.Block2();
        _quantities = new DeviceQuantities(name)
            .Add("temperature", () => Temperature, v => Temperature = v, TemperatureRange.Min, TemperatureRange.Max)
            .Add("pressure", () => Pressure, v => Pressure = v, PressureRange.Min, PressureRange.Max)
            .Add("humidity", () => Humidity, v => Humidity = v, HumidityRange.Min, HumidityRange.Max);
        ResetRegisters();
    }

    public string Name { get; }

    public string Type => "bme280";

    /// <summary>The trimming parameters the part holds.</summary>
    public Bme280Trimming Trimming { get; }

    /// <summary>Sensed temperature, °C.</summary>
    public double Temperature { get; set; } = 25;

    /// <summary>Sensed pressure, hPa.</summary>
    public double Pressure { get; set; } = 1013.25;

    /// <summary>Sensed relative humidity, %.</summary>
    public double Humidity { get; set; } = 40;

    /// <summary>Completed measurements since power-up.</summary>
    public int Measurements { get; private set; }

    public IReadOnlyCollection<string> Quantities => _quantities.Names;

    public double Get(string quantity) => _quantities.Get(quantity);

    public void Set(string quantity, double value) => _quantities.Set(quantity, value);

    /// <summary>Typical measurement time for oversampling settings (0 = skipped, else 1…16), per the datasheet's formula.</summary>
    public static TimeSpan MeasurementTime(int temperatureOversampling, int pressureOversampling, int humidityOversampling)
    {
        double ms = 1 + (2.0 * temperatureOversampling)
            + (pressureOversampling == 0 ? 0 : (2.0 * pressureOversampling) + 0.5)
            + (humidityOversampling == 0 ? 0 : (2.0 * humidityOversampling) + 0.5);
        return TimeSpan.FromMilliseconds(ms);
    }

    public bool Start(bool read)
    {
        _reading = read;
        _pointerPending = !read;
        return true;
    }

    public bool Write(byte value)
    {
        if (_pointerPending)
        {
            _pointer = value;
        }
        else
        {
            WriteRegister(_pointer, value);
        }

        // Writes are register/value pairs: each value is followed by the next register address.
        _pointerPending = !_pointerPending;
        return true;
    }

    public byte Read(bool ack) => ReadRegister(_pointer++);

    public void Stop()
    {
        _reading = false;
        if (_resultWaiting)
        {
            _resultWaiting = false;
            LatchResult();
        }
    }

    public override string ToString() => $"{Name}: {Temperature:0.##} °C, {Pressure:0.##} hPa, {Humidity:0.#} %RH";

    private static int Oversampling(int field) => field == 0 ? 0 : 1 << Math.Min(field - 1, 4);

    private int Mode => _ctrlMeas & 3;

    private byte ReadRegister(byte register) => register switch
    {
        >= RegCalib1 and < RegCalib1 + 26 => _calib1[register - RegCalib1],
        RegId => ChipId,
        >= RegCalib2 and < RegCalib2 + 7 => _calib2[register - RegCalib2],
        RegCtrlHum => _ctrlHum,
        RegStatus => (byte)((_measuring ? 0x08 : 0) | (_clock.Now < _nvmCopyUntil ? 0x01 : 0)),
        RegCtrlMeas => _ctrlMeas,
        RegConfig => _config,
        >= RegData and < RegData + 8 => _data[register - RegData],
        _ => 0,
    };

    private void WriteRegister(byte register, byte value)
    {
        switch (register)
        {
            case RegReset when value == ResetCommand:
                ResetRegisters();
                _nvmCopyUntil = _clock.Now + _clock.CyclesFor(StartupTime);
                break;
            case RegCtrlHum:
                _ctrlHum = (byte)(value & 7);
                break;
            case RegCtrlMeas:
                _ctrlMeas = value;
                _humOversampling = _ctrlHum; // ctrl_hum takes effect with this write
                StartMode();
                break;
            case RegConfig:
                if ((value & 0x1C) != (_config & 0x1C))
                {
                    _temperatureFilter.Reset();
                    _pressureFilter.Reset();
                }

                _config = (byte)(value & 0xFD);
                break;
            default:
                break; // read-only or reserved
        }
    }

    private void ResetRegisters()
    {
        _next?.Cancel();
        _next = null;
        _measuring = false;
        _resultWaiting = false;
        _ctrlHum = 0;
        _humOversampling = 0;
        _ctrlMeas = 0;
        _config = 0;
        _temperatureFilter.Reset();
        _pressureFilter.Reset();
        SetData(SkippedTP, SkippedTP, SkippedH);
    }

    private void StartMode()
    {
        _next?.Cancel();
        _next = null;
        _measuring = false;
        if (Mode != 0)
        {
            BeginMeasurement();
        }
    }

    private TimeSpan CurrentMeasurementTime() =>
        MeasurementTime(Oversampling(_ctrlMeas >> 5), Oversampling((_ctrlMeas >> 2) & 7), Oversampling(_humOversampling));

    private void BeginMeasurement()
    {
        _measuring = true;
        _next = _clock.Schedule(_clock.CyclesFor(CurrentMeasurementTime()), EndMeasurement);
    }

    private void EndMeasurement()
    {
        _measuring = false;
        Measurements++;
        if (_reading)
        {
            _resultWaiting = true; // shadowing: a burst read in progress keeps the old results
        }
        else
        {
            LatchResult();
        }

        if (Mode == 3)
        {
            double standby = StandbyMs[_config >> 5];
            _next = _clock.Schedule(_clock.CyclesFor(TimeSpan.FromMilliseconds(standby)), BeginMeasurement);
        }
        else
        {
            _ctrlMeas &= 0xFC; // forced mode falls back to sleep
            _next = null;
        }
    }

    private void LatchResult()
    {
        int osT = Oversampling(_ctrlMeas >> 5);
        int osP = Oversampling((_ctrlMeas >> 2) & 7);
        int osH = Oversampling(_humOversampling);
        int filter = Math.Min((_config >> 2) & 7, 4);
        int coefficient = filter == 0 ? 1 : 1 << filter;

        // The fine temperature always comes from a temperature conversion, even when the result is skipped.
        int rawT = Trimming.RawTemperature(Temperature, Step(osT, filter));
        int fine = Trimming.FineTemperature(rawT);
        int adcT = osT == 0 ? SkippedTP : _temperatureFilter.Apply(rawT, coefficient);
        int adcP = osP == 0 ? SkippedTP : _pressureFilter.Apply(Trimming.RawPressure(Pressure * 100, fine, Step(osP, filter)), coefficient);
        int adcH = osH == 0 ? SkippedH : Trimming.RawHumidity(Humidity, fine);
        SetData(adcP, adcT, adcH);
    }

    /// <summary>ADC step: 16-bit results without filter and oversampling; one more bit per doubling; 20 bits with the filter.</summary>
    private static int Step(int oversampling, int filter) =>
        filter != 0 || oversampling == 0 ? 1 : 1 << Math.Max(0, 4 - System.Numerics.BitOperations.Log2((uint)oversampling));

    private void SetData(int adcP, int adcT, int adcH)
    {
        _data[0] = (byte)(adcP >> 12);
        _data[1] = (byte)(adcP >> 4);
        _data[2] = (byte)((adcP & 0xF) << 4);
        _data[3] = (byte)(adcT >> 12);
        _data[4] = (byte)(adcT >> 4);
        _data[5] = (byte)((adcT & 0xF) << 4);
        _data[6] = (byte)(adcH >> 8);
        _data[7] = (byte)adcH;
    }

    /// <summary>The part's first-order IIR filter on a 20-bit raw value: y = (y·(c−1) + x) / c, starting at the first sample.</summary>
    private sealed class IirFilter
    {
        private double _state = double.NaN;

        public void Reset() => _state = double.NaN;

        public int Apply(int sample, int coefficient)
        {
            _state = double.IsNaN(_state) || coefficient == 1 ? sample : ((_state * (coefficient - 1)) + sample) / coefficient;
            return (int)Math.Round(_state);
        }
    }
}
