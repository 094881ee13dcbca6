using System.Text.Json;
using EdgeVisor.Emulation.Peripherals.Devices;
using EdgeVisor.Emulation.Peripherals.Gpio;
using EdgeVisor.Emulation.Peripherals.I2c;

namespace EdgeVisor.Emulation.Peripherals.Tests.Devices;

public sealed class SimulatedDeviceCatalogTests
{
    private readonly TestBench _bench = new(1_000_000);
    private readonly I2cBus _bus;
    private readonly GpioPin _pin;

    public SimulatedDeviceCatalogTests()
    {
        _bus = new I2cBus("i2c1", () => _bench.Clock.Now);
        _pin = new GpioPin("gpiod.12", 12, () => _bench.Clock.Now);
    }

    private static DeviceSpec Spec(string name, string type, string json = "{}") =>
        new(name, type, JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json)!);

    private FormatException Fails(DeviceSpec spec, DeviceConnection connection) =>
        Assert.Throws<FormatException>(() => SimulatedDeviceCatalog.Create(spec, connection, _bench.Clock));

    [Fact]
    public void Lists_the_six_device_types_and_their_kind()
    {
        Assert.Equal(["24c02", "bme280", "button", "led", "ssd1306", "tmp102"], SimulatedDeviceCatalog.Types.Order(StringComparer.Ordinal));
        Assert.True(SimulatedDeviceCatalog.IsI2c("24C02"));
        Assert.Equal(0x3C, SimulatedDeviceCatalog.DefaultAddress("ssd1306"));
        Assert.True(SimulatedDeviceCatalog.IsI2c("tmp102"));
        Assert.False(SimulatedDeviceCatalog.IsI2c("led"));
        Assert.Equal(0x48, SimulatedDeviceCatalog.DefaultAddress("TMP102"));
        Assert.Null(SimulatedDeviceCatalog.DefaultAddress("button"));
    }

    [Fact]
    public void Creates_an_i2c_device_on_its_bus_with_initial_quantities()
    {
        var device = SimulatedDeviceCatalog.Create(Spec("temp0", "tmp102", """{"temperature": 21.5}"""), DeviceConnection.OnBus(_bus, 0x49), _bench.Clock);
        Assert.Equal("temp0", device.Name);
        Assert.Equal("tmp102", device.Type);
        Assert.Equal(21.5, device.Get("temperature"));
        Assert.Same(device, _bus.Targets[0x49]);
        byte[] reg = new I2cController(_bus).ReadRegisters(0x49, 0, 2);
        Assert.Equal(21.5, Tmp102.Decode((ushort)((reg[0] << 8) | reg[1]), false));
    }

    [Fact]
    public void Creates_a_pin_device_with_its_options()
    {
        var button = SimulatedDeviceCatalog.Create(Spec("b1", "button", """{"activeLow": true, "pressed": 1}"""), DeviceConnection.OnPin(_pin), _bench.Clock);
        Assert.False(_pin.Level);
        button.Set("pressed", 0);
        Assert.True(_pin.Level);
    }

    [Fact]
    public void An_i2c_device_on_a_pin_is_an_error_naming_the_device()
    {
        var e = Fails(Spec("temp0", "tmp102"), DeviceConnection.OnPin(_pin));
        Assert.Equal("device temp0: a tmp102 sits on an I2C bus, not a pin", e.Message);
    }

    [Fact]
    public void A_pin_device_on_a_bus_is_an_error()
    {
        var e = Fails(Spec("led1", "led"), DeviceConnection.OnBus(_bus, 0x10));
        Assert.Equal("device led1: a led sits on a pin, not an I2C bus", e.Message);
    }

    [Fact]
    public void An_address_the_part_cannot_be_strapped_to_is_an_error()
    {
        var e = Fails(Spec("temp0", "tmp102"), DeviceConnection.OnBus(_bus, 0x50));
        Assert.Equal("device temp0: a tmp102 answers at 0x48–0x4B, not 0x50", e.Message);
        Assert.Empty(_bus.Targets);
    }

    [Fact]
    public void A_taken_address_is_an_error_and_leaves_the_bus_as_it_was()
    {
        SimulatedDeviceCatalog.Create(Spec("a", "tmp102"), DeviceConnection.OnBus(_bus, 0x48), _bench.Clock);
        var e = Fails(Spec("b", "tmp102"), DeviceConnection.OnBus(_bus, 0x48));
        Assert.Equal("device b: i2c1 already has a device at 0x48", e.Message);
        Assert.Single(_bus.Targets);
    }

    [Fact]
    public void Unknown_type_and_unknown_property_are_errors_naming_them()
    {
        var type = Fails(Spec("x", "tmp999"), DeviceConnection.OnBus(_bus, 0x48));
        Assert.StartsWith("device x: unknown type 'tmp999' (known: 24c02, bme280, button, led, ssd1306, tmp102)", type.Message, StringComparison.Ordinal);

        var query = Assert.Throws<FormatException>(() => SimulatedDeviceCatalog.IsI2c("lcd"));
        Assert.StartsWith("unknown device type 'lcd' (known: 24c02,", query.Message, StringComparison.Ordinal);

        var property = Fails(Spec("led1", "led", """{"colour": "red"}"""), DeviceConnection.OnPin(_pin));
        Assert.Equal("device led1: unknown property 'colour' (a led takes: activeLow)", property.Message);
        Assert.False(_pin.ExternallyDriven);
    }

    [Fact]
    public void A_bad_property_value_is_an_error_naming_device_and_property()
    {
        var range = Fails(Spec("temp0", "tmp102", """{"temperature": 300}"""), DeviceConnection.OnBus(_bus, 0x48));
        Assert.Equal("device temp0: property 'temperature' must be within -55…150", range.Message);
        Assert.Empty(_bus.Targets);

        var kind = Fails(Spec("led1", "led", """{"activeLow": "yes"}"""), DeviceConnection.OnPin(_pin));
        Assert.Equal("device led1: property 'activeLow' must be true or false", kind.Message);
    }

    [Fact]
    public void A_pin_for_an_i2c_part_that_has_none_is_an_error()
    {
        var e = Fails(Spec("env", "bme280"), new DeviceConnection(_bus, 0x76, _pin));
        Assert.Equal("device env: a bme280 has no pin to wire (it sits on an I2C bus only)", e.Message);
        Assert.Empty(_bus.Targets);
    }

    [Fact]
    public void An_i2c_device_without_bus_or_pin_says_what_it_needs()
    {
        var e = Fails(Spec("oled", "ssd1306"), new DeviceConnection(null, 0, null));
        Assert.Equal("device oled: a ssd1306 sits on an I2C bus; give it a bus and an address", e.Message);
    }

    [Fact]
    public void Tmp102_takes_an_optional_alert_pin()
    {
        var sensor = (Tmp102)SimulatedDeviceCatalog.Create(Spec("t", "tmp102", """{"temperature": 90}"""), new DeviceConnection(_bus, 0x4B, _pin), _bench.Clock);
        Assert.True(sensor.AlertActive);
        Assert.False(_pin.Level); // ALERT is active low by default
    }

    [Fact]
    public void Every_type_builds_from_an_empty_spec_on_its_default_connection()
    {
        foreach (string type in SimulatedDeviceCatalog.Types)
        {
            var bus = new I2cBus("i2c1", () => _bench.Clock.Now);
            var pin = new GpioPin("gpioa.1", 1, () => _bench.Clock.Now);
            var connection = SimulatedDeviceCatalog.IsI2c(type)
                ? DeviceConnection.OnBus(bus, SimulatedDeviceCatalog.DefaultAddress(type)!.Value)
                : DeviceConnection.OnPin(pin);
            var device = SimulatedDeviceCatalog.Create(Spec("d", type), connection, _bench.Clock);
            Assert.Equal(type, device.Type);
            Assert.Equal(SimulatedDeviceCatalog.IsI2c(type) ? 1 : 0, bus.Targets.Count);
            foreach (string quantity in device.Quantities)
            {
                _ = device.Get(quantity);
            }
        }
    }
}
