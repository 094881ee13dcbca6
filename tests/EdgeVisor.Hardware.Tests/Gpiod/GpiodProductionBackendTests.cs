namespace EdgeVisor.Hardware.Tests.Gpiod;

/// <summary>The production "gpiod" backend as opened by name, on a host without the chip or bus asked for.</summary>
public sealed class GpiodProductionBackendTests
{
    [Fact]
    public void A_chip_and_a_bus_the_host_does_not_have_are_clear_errors()
    {
        using HostHardware hardware = HostHardware.Open(HostHardware.GpiodBackend);

        var chip = Assert.Throws<HostHardwareException>(() => hardware.ClaimPin(new HostPin(99, 4), "gpiod.12"));
        var bus = Assert.Throws<HostHardwareException>(() => hardware.OpenI2c(99, 0x48, "i2c1@0x48"));

        Assert.Equal("gpiod.12: gpiochip99 line 4: this host has no gpiochip99", chip.Message);
        Assert.Equal("i2c1@0x48: this host has no I2C bus i2c-99", bus.Message);
        Assert.Equal(
            ["wiring: gpiochip99 line 4: this host has no gpiochip99"],
            hardware.Validate([new HostPinUse(new HostPin(99, 4), "wiring")], []));
    }
}
