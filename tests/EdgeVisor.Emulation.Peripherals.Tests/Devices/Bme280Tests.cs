using EdgeVisor.Emulation.Peripherals.Devices;
using EdgeVisor.Emulation.Peripherals.I2c;

namespace EdgeVisor.Emulation.Peripherals.Tests.Devices;

public sealed class Bme280Tests
{
    private const int Address = 0x76;
    private readonly TestBench _bench = new(1_000_000);
    private readonly I2cController _i2c;
    private readonly Bme280 _sensor;

    public Bme280Tests()
    {
        var bus = new I2cBus("i2c1", () => _bench.Clock.Now);
        _i2c = new I2cController(bus);
        _sensor = new Bme280("env", _bench.Clock);
        bus.Attach(Address, _sensor);
    }

    private ulong Ms(double ms) => _bench.Clock.CyclesFor(TimeSpan.FromMilliseconds(ms));

    private void WriteRegister(byte register, byte value) => Assert.True(_i2c.Write(Address, register, value));

    private byte Status => _i2c.ReadRegister(Address, 0xF3);

    /// <summary>What a driver does: read the trimming over I2C, force a measurement, wait, burst-read and compensate.</summary>
    private (double Celsius, double Pascals, double Percent) ForcedReading(byte ctrlMeas = 0xB5, byte ctrlHum = 0x05, byte config = 0x00)
    {
        var driver = DatasheetCompensation.FromRegisters(_i2c.ReadRegisters(Address, 0x88, 26), _i2c.ReadRegisters(Address, 0xE1, 7));
        WriteRegister(0xF5, config);
        WriteRegister(0xF2, ctrlHum);
        WriteRegister(0xF4, ctrlMeas);
        _bench.Advance(Ms(120));
        Assert.Equal(0, Status & 0x08);
        return driver.Compensate(_i2c.ReadRegisters(Address, 0xF7, 8));
    }

    [Fact]
    public void Chip_id_and_trimming_read_back_as_the_part_holds_them()
    {
        Assert.Equal(0x60, _i2c.ReadRegister(Address, 0xD0));
        var parsed = DatasheetCompensation.FromRegisters(_i2c.ReadRegisters(Address, 0x88, 26), _i2c.ReadRegisters(Address, 0xE1, 7));
        Assert.Equal(Bme280Trimming.Typical, parsed.Trimming);
    }

    [Fact]
    public void Model_compensation_matches_the_datasheet_worked_example()
    {
        // BMP280/BME280 datasheet example: adc_T 519888 → t_fine 128422 (25.08 °C), adc_P 415148 → 100653.27 Pa.
        var trimming = Bme280Trimming.Typical;
        int fine = trimming.FineTemperature(519888);
        Assert.Equal(128422, fine);
        Assert.Equal(2508, Bme280Trimming.Centidegrees(fine));
        Assert.Equal(100653.27, trimming.PressureQ24Dot8(415148, fine) / 256.0, 0.5);
    }

    [Theory]
    [InlineData(-40.0, 300.0, 0.0)]
    [InlineData(-12.34, 550.0, 12.5)]
    [InlineData(0.0, 800.0, 35.0)]
    [InlineData(21.5, 1013.25, 45.2)]
    [InlineData(37.77, 950.5, 80.0)]
    [InlineData(60.0, 1050.0, 99.0)]
    [InlineData(85.0, 1100.0, 100.0)]
    public void Datasheet_compensation_recovers_the_set_values_across_the_range(double celsius, double hpa, double percent)
    {
        _sensor.Set("temperature", celsius);
        _sensor.Set("pressure", hpa);
        _sensor.Set("humidity", percent);

        var (t, p, h) = ForcedReading(); // x16 oversampling everywhere: 20-bit temperature and pressure
        Assert.Equal(celsius, t, 0.01);
        Assert.Equal(hpa * 100, p, 1.0);
        Assert.Equal(percent, h, 0.02);

        (t, p, h) = ForcedReading(ctrlMeas: 0x25, ctrlHum: 0x01); // x1: 16-bit results
        Assert.Equal(celsius, t, 0.01);
        Assert.Equal(hpa * 100, p, 3.0);
        Assert.Equal(percent, h, 0.02);
    }

    [Fact]
    public void Results_hold_reset_values_until_the_first_measurement()
    {
        Assert.Equal([0x80, 0x00, 0x00, 0x80, 0x00, 0x00, 0x80, 0x00], _i2c.ReadRegisters(Address, 0xF7, 8));
    }

    [Fact]
    public void Forced_mode_measures_for_the_datasheet_time_then_returns_to_sleep()
    {
        WriteRegister(0xF2, 0x01); // humidity x1
        WriteRegister(0xF4, 0x25); // temperature x1, pressure x1, forced
        var duration = Bme280.MeasurementTime(1, 1, 1); // 1 + 2 + 2.5 + 2.5 = 8 ms
        Assert.Equal(TimeSpan.FromMilliseconds(8), duration);

        _bench.Advance(Ms(7.9));
        Assert.Equal(0x08, Status & 0x08);
        Assert.Equal(0x80, _i2c.ReadRegister(Address, 0xFA));
        _bench.Advance(Ms(0.2));
        Assert.Equal(0, Status & 0x08);
        Assert.Equal(0x24, _i2c.ReadRegister(Address, 0xF4)); // mode bits back to sleep
        Assert.NotEqual(0x80, _i2c.ReadRegister(Address, 0xFA));

        _bench.Advance(Ms(500));
        Assert.Equal(1, _sensor.Measurements);
    }

    [Fact]
    public void Normal_mode_repeats_measurements_every_measurement_plus_standby_time()
    {
        WriteRegister(0xF5, 0x20); // t_sb = 62.5 ms
        WriteRegister(0xF4, 0x27); // x1/x1, normal: 1 + 2 + 2.5 = 5.5 ms per measurement
        _bench.Advance(Ms(1000));
        Assert.Equal((int)(1000 / 68.0) + 1, _sensor.Measurements);

        _sensor.Set("temperature", 30);
        _bench.Advance(Ms(70));
        var (t, _, _) = DatasheetCompensation.FromRegisters(_i2c.ReadRegisters(Address, 0x88, 26), _i2c.ReadRegisters(Address, 0xE1, 7))
            .Compensate(_i2c.ReadRegisters(Address, 0xF7, 8));
        Assert.Equal(30, t, 0.01);
    }

    [Fact]
    public void Ctrl_hum_takes_effect_only_with_the_next_ctrl_meas_write()
    {
        WriteRegister(0xF4, 0x25); // humidity oversampling 0: skipped
        _bench.Advance(Ms(20));
        Assert.Equal([0x80, 0x00], _i2c.ReadRegisters(Address, 0xFD, 2));

        WriteRegister(0xF2, 0x01);
        Assert.Equal(0x01, _i2c.ReadRegister(Address, 0xF2));
        WriteRegister(0xF4, 0x25);
        _bench.Advance(Ms(20));
        Assert.NotEqual([0x80, 0x00], _i2c.ReadRegisters(Address, 0xFD, 2));
    }

    [Fact]
    public void Skipped_measurements_read_0x80000()
    {
        WriteRegister(0xF4, 0x21); // temperature x1, pressure skipped, forced
        _bench.Advance(Ms(20));
        Assert.Equal([0x80, 0x00, 0x00], _i2c.ReadRegisters(Address, 0xF7, 3));
        Assert.NotEqual([0x80, 0x00, 0x00], _i2c.ReadRegisters(Address, 0xFA, 3));
    }

    [Fact]
    public void Soft_reset_restores_defaults_and_reports_the_nvm_copy_for_2_ms()
    {
        WriteRegister(0xF5, 0xA0);
        WriteRegister(0xF4, 0x27);
        WriteRegister(0xE0, 0xB6);
        Assert.Equal(0x01, Status & 0x01);
        Assert.Equal(0, _i2c.ReadRegister(Address, 0xF4));
        Assert.Equal(0, _i2c.ReadRegister(Address, 0xF5));
        _bench.Advance(Ms(2.1));
        Assert.Equal(0, Status);
        _bench.Advance(Ms(1000));
        Assert.Equal(0, _sensor.Measurements);
    }

    [Fact]
    public void A_measurement_ending_during_a_burst_read_does_not_tear_the_result()
    {
        WriteRegister(0xF4, 0x25);
        _bench.Advance(Ms(20));
        byte before = _i2c.ReadRegister(Address, 0xFA);

        _sensor.Set("temperature", 60);
        WriteRegister(0xF4, 0x25);
        Assert.True(_i2c.Bus.Start(Address, read: false));
        Assert.True(_i2c.Bus.Write(0xFA));
        Assert.True(_i2c.Bus.Start(Address, read: true));
        Assert.Equal(before, _i2c.Bus.Read(ack: true));
        _bench.Advance(Ms(20)); // the measurement completes mid-read
        _i2c.Bus.Read(ack: true);
        _i2c.Bus.Read(ack: false);
        _i2c.Bus.Stop();
        Assert.Equal(1, _sensor.Measurements - 1);
        Assert.NotEqual(before, _i2c.ReadRegister(Address, 0xFA)); // visible after STOP
    }

    [Fact]
    public void Iir_filter_approaches_a_temperature_step_gradually()
    {
        var driver = DatasheetCompensation.FromRegisters(_i2c.ReadRegisters(Address, 0x88, 26), _i2c.ReadRegisters(Address, 0xE1, 7));
        WriteRegister(0xF5, 0x08); // filter coefficient 4
        WriteRegister(0xF4, 0x27); // normal mode, 0.5 ms standby
        _bench.Advance(Ms(50));
        _sensor.Set("temperature", 35);
        _bench.Advance(Ms(6));
        double first = driver.Compensate(_i2c.ReadRegisters(Address, 0xF7, 8)).Celsius;
        Assert.InRange(first, 26, 34); // a quarter of the step per measurement
        _bench.Advance(Ms(300));
        Assert.Equal(35, driver.Compensate(_i2c.ReadRegisters(Address, 0xF7, 8)).Celsius, 0.01);
    }

    [Fact]
    public void Values_outside_the_operating_range_are_rejected()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => _sensor.Set("pressure", 1200));
        Assert.Contains("env", e.Message, StringComparison.Ordinal);
        Assert.Contains("pressure", e.Message, StringComparison.Ordinal);
    }
}

/// <summary>
/// The BME280 datasheet's integer compensation (section 4.2.3: 32-bit temperature, 64-bit pressure, 32-bit
/// humidity), ported here independently of the model as a driver would carry it, with the trimming parsed from
/// the register bytes the way the datasheet's table 16 lays them out.
/// </summary>
internal sealed class DatasheetCompensation
{
    private DatasheetCompensation(Bme280Trimming trimming) => Trimming = trimming;

    public Bme280Trimming Trimming { get; }

    public static DatasheetCompensation FromRegisters(byte[] calib00, byte[] calib26)
    {
        ushort U16(int i) => (ushort)(calib00[i] | (calib00[i + 1] << 8));
        short S16(int i) => (short)U16(i);
        return new DatasheetCompensation(new Bme280Trimming(
            U16(0), S16(2), S16(4),
            U16(6), S16(8), S16(10), S16(12), S16(14), S16(16), S16(18), S16(20), S16(22),
            calib00[25],
            (short)(calib26[0] | (calib26[1] << 8)),
            calib26[2],
            (short)(((sbyte)calib26[3] << 4) | (calib26[4] & 0x0F)),
            (short)(((sbyte)calib26[5] << 4) | (calib26[4] >> 4)),
            (sbyte)calib26[6]));
    }

    public (double Celsius, double Pascals, double Percent) Compensate(byte[] data)
    {
        int adcP = (data[0] << 12) | (data[1] << 4) | (data[2] >> 4);
        int adcT = (data[3] << 12) | (data[4] << 4) | (data[5] >> 4);
        int adcH = (data[6] << 8) | data[7];
        var c = Trimming;

        int var1 = (((adcT >> 3) - (c.T1 << 1)) * c.T2) >> 11;
        int var2 = (((((adcT >> 4) - c.T1) * ((adcT >> 4) - c.T1)) >> 12) * c.T3) >> 14;
        int tFine = var1 + var2;
        int t = ((tFine * 5) + 128) >> 8;

        long v1 = tFine - 128000L;
        long v2 = v1 * v1 * c.P6;
        v2 += (v1 * c.P5) << 17;
        v2 += (long)c.P4 << 35;
        v1 = ((v1 * v1 * c.P3) >> 8) + ((v1 * c.P2) << 12);
        v1 = ((1L << 47) + v1) * c.P1 >> 33;
        long p = 1048576 - adcP;
        p = (((p << 31) - v2) * 3125) / v1;
        v1 = (c.P9 * (p >> 13) * (p >> 13)) >> 25;
        v2 = (c.P8 * p) >> 19;
        p = ((p + v1 + v2) >> 8) + ((long)c.P7 << 4);

        int h = tFine - 76800;
        h = ((((adcH << 14) - (c.H4 << 20) - (c.H5 * h)) + 16384) >> 15)
            * (((((((h * c.H6) >> 10) * (((h * c.H3) >> 11) + 32768)) >> 10) + 2097152) * c.H2 + 8192) >> 14);
        h -= ((((h >> 15) * (h >> 15)) >> 7) * c.H1) >> 4;
        h = h < 0 ? 0 : h > 419430400 ? 419430400 : h;

        // The datasheet's 0.01 °C integer is coarser than the fine temperature; use t_fine / 5120 for the check.
        _ = t;
        return (tFine / 5120.0, p / 256.0, (h >> 12) / 1024.0);
    }
}
