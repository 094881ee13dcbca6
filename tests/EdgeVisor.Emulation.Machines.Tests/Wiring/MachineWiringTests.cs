using EdgeVisor.Emulation.Machines.Testing;
using EdgeVisor.Emulation.Machines.Wiring;
using EdgeVisor.Emulation.Peripherals.Devices;
using EdgeVisor.Emulation.Peripherals.Gpio;
using EdgeVisor.Hardware;
using EdgeVisor.Hardware.Simulated;

namespace EdgeVisor.Emulation.Machines.Tests.Wiring;

/// <summary>
/// A wiring applied to a running MPS2 machine: simulated devices follow and drive the firmware's pins, host
/// passthrough (the simulated host backend) carries levels both ways, and every host line is released afterwards.
/// </summary>
public class MachineWiringTests
{
    /// <summary>Drives GPIO0 pin 5 as an output: high at once, low after ~100 instructions, then sleeps.</summary>
    private const string PulsePin5 = """
        reset:
            ldr r0, =0x40010000
            movs r1, #(1 << 5)
            str r1, [r0, #0x10]     @ OUTENSET
            str r1, [r0, #0x04]     @ DATAOUT = 1
            movs r2, #50
        delay:
            subs r2, #1
            bne delay
            movs r1, #0
            str r1, [r0, #0x04]     @ DATAOUT = 0
        idle:
            wfi
            b idle
        """;

    [Fact]
    public void An_led_follows_the_pin_the_firmware_drives()
    {
        string elf = TinyFirmware.Build("wiring-pulse", PulsePin5);
        var wiring = WiringFile.Parse("""{ "devices": [ { "name": "led1", "type": "led", "pin": "gpio0.5" } ] }""", "wiring.json");
        using var session = FirmwareSession.Start("mps2-an385", elf, wiring);
        var led = session.Device("led1");
        var ons = new List<double>();
        session.Machine.Pin("gpio0", 5).Changed += (_, _, _) => ons.Add(led.Get("on"));

        session.RunFor(TimeSpan.FromMilliseconds(1));

        Assert.Equal([1.0, 0.0], ons);
        Assert.Equal(0.0, led.Get("on"));
    }

    [Fact]
    public void A_stimulus_press_reaches_the_firmware_through_a_button_on_the_pin()
    {
        string elf = TinyFirmware.Gpio0Pin3EdgeCounter("wiring-button-irq");
        var wiring = WiringFile.Parse("""{ "devices": [ { "name": "button1", "type": "button", "pin": "gpio0.3" } ] }""", "wiring.json");
        using var session = FirmwareSession.Start("mps2-an385", elf, wiring);
        session.Stimulate("""
            1ms   press button1
            +1ms  release button1
            3ms   press button1
            """);

        session.RunFor(TimeSpan.FromMilliseconds(5));

        Assert.Equal(2u, session.ReadWord(0x20000000)); // two rising edges, two interrupts
        var edges = session.PinEdges.Where(e => e.Pin == "gpio0.3").Select(e => (e.Level, e.At.TotalMilliseconds)).ToList();
        Assert.Equal([(true, 1.0), (false, 2.0), (true, 3.0)], edges); // exactly at the scripted virtual times
    }

    [Fact]
    public void A_guest_output_reaches_the_host_line_and_a_host_edge_reaches_a_guest_input()
    {
        // The core spins instead of sleeping: asleep with host inputs wired, a run waits for host edges in wall time.
        string elf = TinyFirmware.Build("wiring-pulse-spin", PulsePin5.Replace("    wfi\n", "", StringComparison.Ordinal));
        var gpio = new SimulatedHostGpio();
        var wiring = WiringFile.Parse(
            """
            { "host": { "backend": "simulated", "gpio": [
                { "pin": "gpio0.5", "chip": 0, "line": 17 },
                { "pin": "gpio0.3", "chip": 0, "line": 22 } ] } }
            """,
            "wiring.json");
        var host = new HostWiringOptions { Open = (backend, policy) => new HostHardware(backend, gpio, new SimulatedHostI2c(), policy) };
        using (var session = FirmwareSession.Start("mps2-an385", elf, wiring, host: host))
        {
            var line17 = gpio.Wire(new HostPin(0, 17));
            var levels = new List<bool>();
            line17.Changed += (level, _) => levels.Add(level);

            session.RunFor(TimeSpan.FromMilliseconds(1));
            Assert.Equal([true, false], levels);
            Assert.True(line17.IsOutput);

            gpio.Wire(new HostPin(0, 22)).Drive(true); // posted to the machine thread
            session.RunFor(TimeSpan.FromMilliseconds(1));
            Assert.True(session.Machine.Pin("gpio0", 3).Level);
            Assert.True(session.Machine.HasExternalInputs);
            Assert.Equal(2, session.Wiring.Host!.ClaimedPins.Count);
        }

        Assert.Null(gpio.Wire(new HostPin(0, 17)).Owner); // released when the session ended…
        Assert.False(gpio.Wire(new HostPin(0, 17)).IsOutput); // …and back to an input
    }

    [Fact]
    public void A_host_line_another_process_holds_is_a_host_error_and_nothing_stays_claimed()
    {
        var gpio = new SimulatedHostGpio();
        gpio.Wire(new HostPin(0, 22)).HoldByOtherProcess("gpiomon");
        var wiring = WiringFile.Parse(
            """
            { "devices": [ { "name": "led1", "type": "led", "pin": "gpio0.1" } ],
              "host": { "backend": "simulated", "gpio": [
                { "pin": "gpio0.5", "chip": 0, "line": 17 },
                { "pin": "gpio0.3", "chip": 0, "line": 22 } ] } }
            """,
            "wiring.json");
        HostHardware? opened = null;
        var host = new HostWiringOptions { Open = (backend, policy) => opened = new HostHardware(backend, gpio, new SimulatedHostI2c(), policy) };
        using var machine = new Machine(BoardCatalog.Get("mps2-an385"));

        var e = Assert.Throws<HostHardwareException>(() => MachineWiring.Apply(machine, wiring, host));

        Assert.Contains("gpiochip0 line 22", e.Message, StringComparison.Ordinal);
        Assert.Null(gpio.Wire(new HostPin(0, 17)).Owner); // line 17 was claimed first, then given back
        Assert.Empty(opened!.ClaimedPins);
        Assert.False(machine.HasExternalInputs);
    }

    [Fact]
    public void The_access_policy_refuses_a_line_outside_its_allow_list_as_a_wiring_error()
    {
        var wiring = WiringFile.Parse(
            """
            {
              "host": { "backend": "simulated", "gpio": [ { "pin": "gpio0.5", "chip": 0, "line": 40 } ] } }
            """,
            "wiring.json");
        using var machine = new Machine(BoardCatalog.Get("mps2-an385"));
        var options = new HostWiringOptions { Policy = HostAccessPolicy.RaspberryPiHeader() };

        var e = Assert.Throws<WiringException>(() => MachineWiring.Apply(machine, wiring, options));

        Assert.Contains("wiring.json:2: host.gpio[0]: gpiochip0 line 40 is not allowed by the host access policy", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_line_the_host_does_not_have_is_a_host_error()
    {
        var wiring = WiringFile.Parse("""{ "host": { "backend": "simulated", "gpio": [ { "pin": "gpio0.5", "chip": 3, "line": 1 } ] } }""", "wiring.json");
        using var machine = new Machine(BoardCatalog.Get("mps2-an385"));

        var e = Assert.Throws<HostHardwareException>(() => MachineWiring.Apply(machine, wiring));

        Assert.Contains("no gpiochip3", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_guest_bus_address_mapped_to_the_host_reads_the_host_device_and_is_detached_afterwards()
    {
        var i2c = new SimulatedHostI2c(1);
        var sensor = i2c.Attach(1, 0x77, new SimulatedRegisterDevice());
        sensor.Registers[0xD0] = 0x60;
        var wiring = WiringFile.Parse(
            """{ "host": { "backend": "simulated", "i2c": [ { "bus": "i2c1", "address": "0x76", "hostBus": 1, "hostAddress": "0x77" } ] } }""",
            "wiring.json");
        var host = new HostWiringOptions { Open = (backend, policy) => new HostHardware(backend, new SimulatedHostGpio(), i2c, policy) };
        using var machine = new Machine(BoardCatalog.Get("stm32f4-discovery"));
        var bus = ((Peripherals.I2c.II2cController)machine.Peripherals["i2c1"]).Bus;

        using (MachineWiring.Apply(machine, wiring, host))
        {
            Assert.True(bus.Start(0x76, read: false)); // the guest address answers…
            Assert.True(bus.Write(0xD0));
            Assert.True(bus.Start(0x76, read: true));
            Assert.Equal(0x60, bus.Read(ack: false)); // …with the host device's register
            bus.Stop();
            Assert.False(bus.Start(0x77, read: false)); // only the mapped guest address reaches the host
            bus.Stop();
        }

        Assert.False(bus.Start(0x76, read: false)); // detached with the wiring
    }

    [Fact]
    public void Asking_for_a_device_that_is_not_wired_lists_the_wired_ones()
    {
        var wiring = WiringFile.Parse("""{ "devices": [ { "name": "led1", "type": "led", "pin": "gpio0.1" } ] }""", "wiring.json");
        using var machine = new Machine(BoardCatalog.Get("mps2-an385"));
        using var applied = MachineWiring.Apply(machine, wiring);

        var e = Assert.Throws<ArgumentException>(() => applied.Device<ISimulatedDevice>("led2"));

        Assert.Contains("devices: led1", e.Message, StringComparison.Ordinal);
    }
}
