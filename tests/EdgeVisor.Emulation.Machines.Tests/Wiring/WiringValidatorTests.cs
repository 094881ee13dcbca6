using EdgeVisor.Emulation.Machines.Wiring;

namespace EdgeVisor.Emulation.Machines.Tests.Wiring;

/// <summary>
/// Every rule a wiring must pass on a board before anything is created or claimed, on an MPS2 board (GPIO ports
/// gpio0–gpio3, the FPGA I/O block, no I2C). Each error is one line naming file, line and JSON path.
/// </summary>
public sealed class WiringValidatorTests : IDisposable
{
    private readonly Machine _machine = new(BoardCatalog.Get("mps2-an385"));

    public void Dispose() => _machine.Dispose();

    [Theory]
    [InlineData("""{ "name": "l", "type": "led", "pin": "gpioz.1" }""", "devices[0].pin: board mps2-an385 has no port gpioz (ports: gpio0…gpio3, fpgaio")]
    [InlineData("""{ "name": "l", "type": "led", "pin": "gpio1.16" }""", "devices[0].pin: gpio1 has pins 0-15, not 16")]
    [InlineData("""{ "name": "l", "type": "led", "pin": "gpio1" }""", "devices[0].pin: \"gpio1\" is not a pin (write PORT.INDEX such as gpio0.3)")]
    [InlineData("""{ "name": "t", "type": "tmp102", "bus": "i2c1", "address": "0x48" }""", "devices[0].bus: board mps2-an385 has no I2C bus")]
    [InlineData("""{ "name": "l", "type": "lamp", "pin": "gpio0.1" }""", "devices[0].type: device l: unknown type \"lamp\" (types: ")]
    [InlineData("""{ "name": "l", "type": "led", "pin": "gpio0.1", "colour": "red" }""", "devices[0]: device l:")]
    [InlineData("""{ "name": "2nd", "type": "led", "pin": "gpio0.1" }""", "devices[0].name: \"2nd\" is not a device name")]
    [InlineData("""{ "name": "gpio0.1", "type": "led", "pin": "gpio0.1" }""", "devices[0].name: \"gpio0.1\" is not a device name")]
    public void A_device_the_board_cannot_take_is_refused_naming_where(string device, string expected)
    {
        var wiring = WiringFile.Parse($$"""{ "devices": [ {{device}} ] }""", "wiring.json");

        var e = Assert.Throws<WiringException>(() => WiringValidator.Validate(_machine, wiring));

        Assert.Contains("wiring.json:1: " + expected, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Two_devices_on_one_pin_are_refused_at_the_second_naming_the_first()
    {
        var wiring = WiringFile.Parse(
            """
            { "devices": [
                { "name": "led1", "type": "led", "pin": "gpio0.4" },
                { "name": "button1", "type": "button", "pin": "gpio0.4" }
            ] }
            """,
            "wiring.json");

        var e = Assert.Throws<WiringException>(() => WiringValidator.Validate(_machine, wiring));

        Assert.Equal("wiring.json:3: devices[1].pin: gpio0.4 is already wired to led1 (wiring.json:2: devices[0]) (one owner per pin and per bus address)", e.Message);
    }

    [Fact]
    public void A_host_mapping_on_a_pin_a_device_uses_is_refused()
    {
        var wiring = WiringFile.Parse(
            """
            { "devices": [ { "name": "led1", "type": "led", "pin": "gpio0.4" } ],
              "host": { "backend": "simulated", "gpio": [ { "pin": "gpio0.4", "chip": 0, "line": 17 } ] } }
            """,
            "wiring.json");

        var e = Assert.Throws<WiringException>(() => WiringValidator.Validate(_machine, wiring));

        Assert.StartsWith("wiring.json:2: host.gpio[0].pin: gpio0.4 is already wired to led1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_devices_with_one_name_are_refused()
    {
        var wiring = WiringFile.Parse(
            """
            { "devices": [
                { "name": "led", "type": "led", "pin": "gpio0.4" },
                { "name": "led", "type": "led", "pin": "gpio0.5" }
            ] }
            """,
            "wiring.json");

        var e = Assert.Throws<WiringException>(() => WiringValidator.Validate(_machine, wiring));

        Assert.Equal("wiring.json:3: devices[1].name: a device named led is already wired (wiring.json:2: devices[0])", e.Message);
    }

    [Fact]
    public void A_valid_wiring_resolves_to_the_boards_pins_and_creates_nothing()
    {
        var wiring = WiringFile.Parse(
            """
            { "devices": [
                { "name": "led1", "type": "led", "pin": "gpio0.4" },
                { "name": "b1", "type": "button", "pin": "GPIO1.2" },
                { "name": "user", "type": "led", "pin": "fpgaio.led1" }
            ] }
            """,
            "wiring.json");
        bool before = _machine.Pin("gpio1", 2).ExternallyDriven;

        var plan = WiringValidator.Validate(_machine, wiring);

        Assert.Same(_machine.Pin("gpio0", 4), plan.Devices[0].Pin);
        Assert.Same(_machine.Pin("gpio1", 2), plan.Devices[1].Pin);
        Assert.Same(_machine.Pin("fpgaio", 1), plan.Devices[2].Pin); // a pin's own name works as well as PORT.INDEX
        Assert.Equal(before, _machine.Pin("gpio1", 2).ExternallyDriven); // the button was only built on a scratch pin
    }
}
