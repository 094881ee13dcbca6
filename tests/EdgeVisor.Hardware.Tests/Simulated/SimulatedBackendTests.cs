using EdgeVisor.Emulation.Peripherals.Gpio;
using EdgeVisor.Emulation.Peripherals.I2c;
using EdgeVisor.Emulation.Peripherals.Passthrough;
using EdgeVisor.Hardware.Simulated;
using EdgeVisor.Hardware.Tests.Doubles;

namespace EdgeVisor.Hardware.Tests.Simulated;

/// <summary>The "simulated" backend: in-memory host lines and I2C devices for laptops and tests.</summary>
public sealed class SimulatedBackendTests : IDisposable
{
    private readonly HostHardware _hardware = HostHardware.Open(HostHardware.SimulatedBackend);
    private readonly MachineThread _machine = new();

    private SimulatedHostGpio Gpio => (SimulatedHostGpio)_hardware.GpioBackend;

    public void Dispose() => _hardware.Dispose();

    [Fact]
    public void A_guest_output_shows_on_the_simulated_wire_and_is_released_when_the_hardware_is_disposed()
    {
        var pin = new GpioPin("gpiod.12", 12, () => 0);
        SimulatedHostWire wire = Gpio.Wire(new HostPin(0, 17));
        using var bridge = new GpioPassthrough(pin, _hardware.ClaimPin(wire.Pin, pin.Name), _machine.Post);

        pin.SetOutput(GpioDirection.Output, true);
        Assert.True(wire.IsOutput);
        Assert.True(wire.Level);
        Assert.Equal("gpiod.12", wire.Owner);

        _hardware.Dispose();

        Assert.False(wire.IsOutput);
        Assert.Null(wire.Owner);
        Assert.False(wire.Level);
    }

    [Fact]
    public void Driving_the_simulated_wire_reaches_the_guest_pin_through_the_machine_thread()
    {
        var pin = new GpioPin("gpiod.0", 0, () => 0);
        SimulatedHostWire wire = Gpio.Wire(new HostPin(0, 27));
        using var bridge = new GpioPassthrough(pin, _hardware.ClaimPin(wire.Pin, pin.Name), _machine.Post);
        pin.Configure(GpioDirection.Input, false, false, GpioPull.Up);
        Assert.True(pin.Level); // the host line's pull-up

        wire.Drive(false); // the button is pressed
        Assert.True(pin.Level);
        _machine.RunPosted();

        Assert.False(pin.Level);
        Assert.Equal(HostPull.Up, wire.Pull);
    }

    [Fact]
    public void A_wire_held_by_another_process_cannot_be_claimed()
    {
        Gpio.Wire(new HostPin(0, 4)).HoldByOtherProcess("pigpiod");

        var error = Assert.Throws<HostHardwareException>(() => _hardware.ClaimPin(new HostPin(0, 4), "gpiod.3"));

        Assert.Equal("gpiod.3: gpiochip0 line 4 is in use by another process (pigpiod); stop that process or choose another line", error.Message);
    }

    [Fact]
    public void A_simulated_register_device_answers_guest_register_reads_in_one_transaction()
    {
        var device = ((SimulatedHostI2c)_hardware.I2cBackend).Attach(1, 0x76, new SimulatedRegisterDevice());
        device.Registers[0xD0] = 0x60; // BME280 chip id
        var bus = new I2cBus("i2c1", () => 0);
        bus.Attach(0x76, new I2cPassthroughTarget(_hardware.OpenI2c(1, 0x76, "i2c1@0x76")) { ReadAheadLength = 1 });

        bus.Start(0x76, read: false);
        bus.Write(0xD0);
        bus.Start(0x76, read: true);
        byte id = bus.Read(ack: false);
        bus.Stop();

        Assert.Equal(0x60, id);
        SimulatedI2cTransaction transaction = Assert.Single(device.Transactions);
        Assert.Equal([0xD0], transaction.Written);
        Assert.Equal(1, transaction.ReadLength);
    }

    [Fact]
    public void An_address_without_a_simulated_device_nacks()
    {
        var bus = new I2cBus("i2c1", () => 0);
        var target = new I2cPassthroughTarget(_hardware.OpenI2c(1, 0x50, "i2c1@0x50"));
        bus.Attach(0x50, target);

        Assert.False(bus.Start(0x50, read: true));
        Assert.Equal(1, target.Errors);
    }

    [Fact]
    public void An_unknown_backend_name_is_refused_with_the_known_names()
    {
        var error = Assert.Throws<HostHardwareException>(() => HostHardware.Open("pigpio"));

        Assert.Equal("unknown host hardware backend \"pigpio\" (known: gpiod, simulated)", error.Message);
    }
}
