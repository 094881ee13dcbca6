using System.Device.I2c;

namespace EdgeVisor.Hardware.I2c;

/// <summary>
/// Host I2C through System.Device.I2c: <see cref="I2cDevice.Create"/> (Linux i2c-dev, /dev/i2c-N) behind an
/// injectable factory so tests pass a test <see cref="I2cDevice"/>.
/// </summary>
public sealed class SystemDeviceHostI2c : IHostI2c
{
    private readonly Func<I2cConnectionSettings, I2cDevice> _deviceFactory;
    private readonly Func<int, bool> _busExists;

    /// <param name="deviceFactory">Opens a device (default <see cref="I2cDevice.Create"/>).</param>
    /// <param name="busExists">Whether a bus exists (default: /dev/i2c-N exists).</param>
    public SystemDeviceHostI2c(Func<I2cConnectionSettings, I2cDevice>? deviceFactory = null, Func<int, bool>? busExists = null)
    {
        _deviceFactory = deviceFactory ?? I2cDevice.Create;
        _busExists = busExists ?? (bus => File.Exists($"/dev/i2c-{bus}"));
    }

    public bool BusExists(int bus) => bus >= 0 && _busExists(bus);

    public IHostI2cDevice Open(int bus, int address)
    {
        if (!BusExists(bus))
        {
            throw new HostHardwareException($"i2c-{bus}: this host has no such I2C bus (no /dev/i2c-{bus}; is the bus enabled?)");
        }

        try
        {
            return new SystemDeviceHostI2cDevice(_deviceFactory(new I2cConnectionSettings(bus, address)), bus, address);
        }
        catch (Exception e) when (e is not HostHardwareException)
        {
            throw new HostHardwareException($"i2c-{bus} address 0x{address:X2} cannot be opened: {e.Message}", e);
        }
    }
}
