using System.Device.Gpio;
using System.Device.I2c;
using EdgeVisor.Hardware.Gpiod;
using EdgeVisor.Hardware.I2c;

namespace EdgeVisor.Hardware.Tests.Doubles;

/// <summary>The "gpiod" host hardware with everything real but the kernel: test driver under the real GpioController, test I2cDevices.</summary>
internal sealed class TestHost : IDisposable
{
    public TestHost(HostAccessPolicy? policy = null, int lineCount = 54)
    {
        Driver = new TestGpioDriver(lineCount);
        var gpio = new GpiodHostGpio(chip => new GpioController(Driver), chip => chip == 0);
        var i2c = new SystemDeviceHostI2c(Open, bus => bus == 1);
        Hardware = new HostHardware(HostHardware.GpiodBackend, gpio, i2c, policy, gpio);
    }

    public TestGpioDriver Driver { get; }

    public HostHardware Hardware { get; }

    /// <summary>Every test I2C device opened, by address.</summary>
    public Dictionary<int, TestI2cDevice> Devices { get; } = [];

    /// <summary>Register values a device opened at an address starts with.</summary>
    public Dictionary<int, byte[]> Preset { get; } = [];

    public void Dispose() => Hardware.Dispose();

    private TestI2cDevice Open(I2cConnectionSettings settings)
    {
        var device = new TestI2cDevice(settings);
        if (Preset.TryGetValue(settings.DeviceAddress, out byte[]? values))
        {
            values.CopyTo(device.Registers, 0);
        }

        Devices[settings.DeviceAddress] = device;
        return device;
    }
}
