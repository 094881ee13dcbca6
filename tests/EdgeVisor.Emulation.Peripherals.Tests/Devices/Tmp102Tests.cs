using EdgeVisor.Emulation.Peripherals.Devices;
using EdgeVisor.Emulation.Peripherals.Gpio;
using EdgeVisor.Emulation.Peripherals.I2c;

namespace EdgeVisor.Emulation.Peripherals.Tests.Devices;

public sealed class Tmp102Tests
{
    private const int Address = 0x48;
    private readonly TestBench _bench = new(1_000_000);
    private readonly I2cController _i2c;
    private readonly Tmp102 _sensor;

    public Tmp102Tests()
    {
        var bus = new I2cBus("i2c1", () => _bench.Clock.Now);
        _i2c = new I2cController(bus);
        _sensor = new Tmp102("temp0", _bench.Clock);
        bus.Attach(Address, _sensor);
    }

    private ulong Ms(double ms) => _bench.Clock.CyclesFor(TimeSpan.FromMilliseconds(ms));

    private ushort ReadWord(byte pointer)
    {
        byte[] b = _i2c.ReadRegisters(Address, pointer, 2);
        return (ushort)((b[0] << 8) | b[1]);
    }

    private void WriteWord(byte pointer, ushort value) => Assert.True(_i2c.Write(Address, pointer, (byte)(value >> 8), (byte)value));

    [Theory]
    [InlineData(25.0, 0x1900)]
    [InlineData(0.0625, 0x0010)]
    [InlineData(-0.25, 0xFFC0)]
    [InlineData(-25.0, 0xE700)]
    [InlineData(-55.0, 0xC900)]
    [InlineData(127.9375, 0x7FF0)]
    public void Temperature_register_holds_the_datasheet_12_bit_encoding(double celsius, int expected)
    {
        _sensor.Set("temperature", celsius);
        _bench.Advance(Ms(250));
        Assert.Equal(expected, ReadWord(0));
    }

    [Theory]
    [InlineData(150.0, 0x4B01)]
    [InlineData(128.0, 0x4001)]
    [InlineData(-25.0, 0xF381)]
    [InlineData(-0.25, 0xFFE1)]
    public void Extended_mode_gives_13_bit_values_with_D0_set(double celsius, int expected)
    {
        WriteWord(1, 0x60B0); // power-up configuration plus EM
        _sensor.Set("temperature", celsius);
        _bench.Advance(Ms(250));
        Assert.Equal(expected, ReadWord(0));
    }

    [Fact]
    public void Above_128_degrees_saturates_in_12_bit_mode()
    {
        _sensor.Set("temperature", 140);
        _bench.Advance(Ms(250));
        Assert.Equal(0x7FF0, ReadWord(0));
    }

    [Fact]
    public void First_read_holds_the_initial_temperature_and_changes_follow_at_the_conversion_rate()
    {
        Assert.Equal(25.0, Tmp102.Decode(ReadWord(0), false));
        _sensor.Set("temperature", 31.5);
        _bench.Advance(Ms(200));
        Assert.Equal(25.0, Tmp102.Decode(ReadWord(0), false)); // next 4 Hz conversion not yet done
        _bench.Advance(Ms(60));
        Assert.Equal(31.5, Tmp102.Decode(ReadWord(0), false));
    }

    [Fact]
    public void Configuration_powers_up_as_0x60A0_and_R1_R0_AL_are_read_only()
    {
        Assert.Equal(0x60A0, ReadWord(1));
        WriteWord(1, 0x0000);
        Assert.Equal(0x6020, ReadWord(1)); // R1/R0 stay 11, AL stays 1 (no alert), CR now 0.25 Hz
        Assert.Equal(0x4B00, ReadWord(2)); // T_LOW 75 °C
        Assert.Equal(0x5000, ReadWord(3)); // T_HIGH 80 °C
    }

    [Fact]
    public void Pointer_persists_so_repeated_reads_need_no_pointer_write()
    {
        _i2c.Write(Address, 3);
        Assert.Equal([0x50, 0x00], _i2c.Read(Address, 2));
        Assert.Equal([0x50, 0x00], _i2c.Read(Address, 2));
    }

    [Fact]
    public void Conversion_rate_bits_set_the_update_interval()
    {
        WriteWord(1, 0x60E0); // CR = 11: 8 Hz
        _sensor.Set("temperature", 40);
        _bench.Advance(Ms(126));
        Assert.Equal(40.0, Tmp102.Decode(ReadWord(0), false));

        WriteWord(1, 0x6020); // CR = 00: 0.25 Hz
        _sensor.Set("temperature", 41);
        _bench.Advance(Ms(3900));
        Assert.Equal(40.0, Tmp102.Decode(ReadWord(0), false));
        _bench.Advance(Ms(200));
        Assert.Equal(41.0, Tmp102.Decode(ReadWord(0), false));
    }

    [Fact]
    public void Shutdown_stops_conversions_and_one_shot_converts_once_with_OS_reading_0_until_done()
    {
        WriteWord(1, 0x61A0); // SD
        _sensor.Set("temperature", 50);
        _bench.Advance(Ms(1000));
        Assert.Equal(25.0, Tmp102.Decode(ReadWord(0), false));

        WriteWord(1, 0xE1A0); // SD + OS
        Assert.Equal(0, ReadWord(1) & 0x8000);
        _bench.Advance(Ms(27));
        Assert.Equal(0x8000, ReadWord(1) & 0x8000);
        Assert.Equal(50.0, Tmp102.Decode(ReadWord(0), false));

        _sensor.Set("temperature", 60);
        _bench.Advance(Ms(1000));
        Assert.Equal(50.0, Tmp102.Decode(ReadWord(0), false));
    }

    [Fact]
    public void Comparator_mode_alert_follows_limits_with_the_fault_queue_on_pin_and_AL_bit()
    {
        var alert = new GpioPin("gpiob.5", 5, () => _bench.Clock.Now);
        var bus = new I2cBus("i2c2", () => _bench.Clock.Now);
        var sensor = new Tmp102("t", _bench.Clock, alert);
        bus.Attach(Address, sensor);
        var i2c = new I2cController(bus);
        Assert.True(alert.Level); // POL = 0: ALERT is active low, idle high

        Assert.True(i2c.Write(Address, 1, 0x68, 0xE0)); // F1F0 = 01 (2 faults), 8 Hz
        sensor.Set("temperature", 85);
        _bench.Advance(Ms(126));
        Assert.True(alert.Level); // one fault is not enough
        _bench.Advance(Ms(125));
        Assert.False(alert.Level);
        Assert.Equal(0, i2c.ReadRegisters(Address, 1, 2)[1] & 0x20); // AL reads 0 while alerting

        sensor.Set("temperature", 77); // between the limits: stays on (hysteresis)
        _bench.Advance(Ms(500));
        Assert.False(alert.Level);
        sensor.Set("temperature", 70);
        _bench.Advance(Ms(251));
        Assert.True(alert.Level);
        Assert.Equal(0x20, i2c.ReadRegisters(Address, 1, 2)[1] & 0x20);
    }

    [Fact]
    public void Interrupt_mode_alert_is_cleared_by_a_read_and_rearms_below_T_LOW()
    {
        var alert = new GpioPin("gpiob.5", 5, () => _bench.Clock.Now);
        var bus = new I2cBus("i2c2", () => _bench.Clock.Now);
        var sensor = new Tmp102("t", _bench.Clock, alert);
        bus.Attach(Address, sensor);
        var i2c = new I2cController(bus);
        Assert.True(i2c.Write(Address, 1, 0x66, 0xE0)); // TM = 1, POL = 1 (active high), 8 Hz

        Assert.False(alert.Level);
        sensor.Set("temperature", 90);
        _bench.Advance(Ms(126));
        Assert.True(alert.Level);
        i2c.ReadRegisters(Address, 0, 2);
        Assert.False(alert.Level);
        _bench.Advance(Ms(500));
        Assert.False(alert.Level); // still hot, but it only fires again after falling below T_LOW

        sensor.Set("temperature", 20);
        _bench.Advance(Ms(126));
        Assert.True(alert.Level);
    }

    [Fact]
    public void Limits_are_compared_in_extended_format_too()
    {
        WriteWord(1, 0x60F0); // EM, 8 Hz
        WriteWord(3, Tmp102.Encode(130, extended: true));
        WriteWord(2, Tmp102.Encode(120, extended: true));
        Assert.Equal(130.0, Tmp102.Decode(ReadWord(3), true));
        _sensor.Set("temperature", 135);
        _bench.Advance(Ms(126));
        Assert.True(_sensor.AlertActive);
    }

    [Fact]
    public void Temperature_quantity_rejects_what_the_part_cannot_sense()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => _sensor.Set("temperature", 200));
        Assert.Equal("device temp0: temperature must be within -55…150, not 200", e.Message);
        var unknown = Assert.Throws<ArgumentException>(() => _sensor.Get("humidity"));
        Assert.Equal("device temp0: no quantity 'humidity' (it has: temperature)", unknown.Message);
    }
}
