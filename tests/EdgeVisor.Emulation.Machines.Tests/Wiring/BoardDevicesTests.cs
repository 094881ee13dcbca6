using EdgeVisor.Emulation.Machines.Wiring;

namespace EdgeVisor.Emulation.Machines.Tests.Wiring;

/// <summary>
/// The parts on stm32f4-discovery itself (LD3–LD6 on PD12–PD15, B1 on PA0) are wired on every run; a wiring file
/// adds to them, replaces one by name, displaces one by using its pin, or turns them all off.
/// </summary>
public sealed class BoardDevicesTests : IDisposable
{
    private readonly Machine _machine = new(BoardCatalog.Get("stm32f4-discovery"));

    public void Dispose() => _machine.Dispose();

    [Fact]
    public void Without_a_wiring_file_the_boards_leds_and_button_are_wired()
    {
        using var wiring = MachineWiring.Apply(_machine, WiringDocument.None);

        Assert.Equal(["b1", "ld3", "ld4", "ld5", "ld6"], wiring.Devices.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("button", wiring.Devices["b1"].Type);
        Assert.Same(_machine.Pin("gpiod", 13), wiring.Plan.Devices.Single(d => d.Entry.Name == "ld3").Pin);

        wiring.Devices["b1"].Set("pressed", 1);
        Assert.True(_machine.Pin("gpioa", 0).Level); // B1 reads high while pressed
        wiring.Devices["b1"].Set("pressed", 0);
        Assert.False(_machine.Pin("gpioa", 0).Level); // and low when released (the board's pull-down)
    }

    [Fact]
    public void A_wiring_device_with_a_boards_name_replaces_it_and_one_on_its_pin_displaces_it_with_a_note()
    {
        var file = WiringFile.Parse(
            """
            { "devices": [
                { "name": "b1", "type": "button", "pin": "gpioa.0", "bounce": true },
                { "name": "buzzer", "type": "led", "pin": "gpiod.14" }
            ] }
            """,
            "wiring.json");

        using var wiring = MachineWiring.Apply(_machine, file);

        Assert.Equal(["b1", "buzzer", "ld3", "ld4", "ld6"], wiring.Devices.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(file.Devices[0], wiring.Plan.Devices.Single(d => d.Entry.Name == "b1").Entry);
        Assert.Equal(["the board's ld5 (led on gpiod.14) is left out: wiring.json wires gpiod.14"], wiring.Notes);
    }

    [Fact]
    public void A_host_mapping_on_a_boards_led_pin_displaces_the_led()
    {
        var file = WiringFile.Parse("""{ "host": { "backend": "simulated", "gpio": [ { "pin": "gpiod.13", "chip": 0, "line": 17 } ] } }""", "wiring.json");

        using var wiring = MachineWiring.Apply(_machine, file);

        Assert.DoesNotContain("ld3", wiring.Devices.Keys);
        Assert.Single(wiring.GpioBridges);
    }

    [Fact]
    public void Board_devices_can_be_turned_off()
    {
        var file = WiringFile.Parse("""{ "boardDevices": false, "devices": [ { "name": "ld4", "type": "led", "pin": "gpiod.12" } ] }""", "wiring.json");

        using var wiring = MachineWiring.Apply(_machine, file);

        Assert.Equal(["ld4"], wiring.Devices.Keys);
    }
}
