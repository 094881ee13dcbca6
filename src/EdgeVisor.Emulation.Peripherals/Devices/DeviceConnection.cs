using EdgeVisor.Emulation.Peripherals.Gpio;
using EdgeVisor.Emulation.Peripherals.I2c;

namespace EdgeVisor.Emulation.Peripherals.Devices;

/// <summary>
/// Where a simulated device is wired: an I2C bus and the device's 7-bit address, and/or a pin (an LED's or a
/// button's line, a TMP102's ALERT output). Unused parts are null (Address is then ignored).
/// </summary>
public sealed record DeviceConnection(I2cBus? Bus, int Address, GpioPin? Pin)
{
    /// <summary>A device on an I2C bus at a 7-bit address.</summary>
    public static DeviceConnection OnBus(I2cBus bus, int address) => new(bus, address, null);

    /// <summary>A device on one pin.</summary>
    public static DeviceConnection OnPin(GpioPin pin) => new(null, 0, pin);
}
