namespace EdgeVisor.Hardware;

/// <summary>A host's I2C buses (/dev/i2c-N through System.Device.I2c, or the simulated backend).</summary>
public interface IHostI2c
{
    /// <summary>True if the host has I2C bus <paramref name="bus"/>.</summary>
    bool BusExists(int bus);

    /// <summary>
    /// Opens the device at 7-bit <paramref name="address"/> on <paramref name="bus"/>. Opening does not talk to the
    /// device (as with Linux i2c-dev): a missing device shows up as an error of the first transfer.
    /// Throws <see cref="HostHardwareException"/> if the bus does not exist or cannot be opened.
    /// </summary>
    IHostI2cDevice Open(int bus, int address);
}
