namespace EdgeVisor.Emulation.Peripherals.Devices;

/// <summary>
/// A simulated part wired to an emulated board (a sensor on an I2C bus, an LED on a pin). Tests, stimulus scripts
/// and the CLI read and change its physical quantities by name, in physical units (°C, hPa, %RH; 0/1 for
/// "pressed" or "on"); firmware sees the effect only through the part's registers or pin, as on real hardware.
/// Like every model it is driven from the machine thread only.
/// </summary>
public interface ISimulatedDevice
{
    /// <summary>The name the wiring file gave the device ("temp0").</summary>
    string Name { get; }

    /// <summary>The catalog type ("tmp102").</summary>
    string Type { get; }

    /// <summary>The quantities <see cref="Get"/> and <see cref="Set"/> accept ("temperature").</summary>
    IReadOnlyCollection<string> Quantities { get; }

    /// <summary>The current value of <paramref name="quantity"/>; throws <see cref="ArgumentException"/> naming the device, the quantity and the ones it has.</summary>
    double Get(string quantity);

    /// <summary>
    /// Changes <paramref name="quantity"/> (what the real part would sense next). Throws <see cref="ArgumentException"/>
    /// naming the device, the quantity and the ones it has for an unknown or read-only quantity, and
    /// <see cref="ArgumentOutOfRangeException"/> for a value the part cannot sense.
    /// </summary>
    void Set(string quantity, double value);
}
