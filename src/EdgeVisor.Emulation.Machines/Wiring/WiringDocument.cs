using System.Text.Json;

namespace EdgeVisor.Emulation.Machines.Wiring;

/// <summary>
/// A parsed wiring file: simulated devices placed on the board's pins and I2C buses, and the guest pins and I2C
/// addresses that reach host hardware. Only shape and values are checked here; whether the board has those pins
/// and buses, and whether the host may use those lines, is <see cref="WiringValidator"/>'s job.
/// </summary>
public sealed record WiringDocument
{
    /// <summary>The file as the user named it.</summary>
    public required WiringOrigin Origin { get; init; }

    /// <summary>Simulated devices, in file order.</summary>
    public IReadOnlyList<WiredDevice> Devices { get; init; } = [];

    /// <summary>Host passthrough, if the file has a "host" section.</summary>
    public HostWiring? Host { get; init; }

    /// <summary>Whether the devices the board file declares (LEDs, buttons on the board) are wired too. Default true.</summary>
    public bool BoardDevices { get; init; } = true;

    /// <summary>A wiring with nothing in it (only the board's own devices).</summary>
    public static WiringDocument None { get; } = new() { Origin = new WiringOrigin("(no wiring file)", JsonLineMap.Empty) };
}

/// <summary>
/// A simulated device of SimulatedDeviceCatalog on a GPIO pin ("gpiod.12") or an I2C bus at a 7-bit address (null:
/// the part's default address), and for I2C parts with a pin of their own (a TMP102's ALERT) also a pin,
/// with the device's own properties (every other key of its entry).
/// </summary>
public sealed record WiredDevice(
    string Name,
    string Type,
    string? Pin,
    string? Bus,
    int? Address,
    IReadOnlyDictionary<string, JsonElement> Properties,
    WiringOrigin Origin,
    string Path)
{
    /// <summary>Where this entry, or one of its keys, is.</summary>
    public SourceLocation At(string? key = null) => Origin.At(key is null ? Path : JsonLineMap.Child(Path, key));
}

/// <summary>The "host" section: which backend reaches the host hardware, and each guest pin and address that goes there.</summary>
public sealed record HostWiring(
    string Backend,
    IReadOnlyList<HostGpioMapping> Gpio,
    IReadOnlyList<HostI2cMapping> I2c,
    WiringOrigin Origin,
    string Path)
{
    /// <summary>The backends EdgeVisor.Hardware offers.</summary>
    public static readonly IReadOnlyList<string> Backends = ["gpiod", "simulated"];

    public SourceLocation At(string? key = null) => Origin.At(key is null ? Path : JsonLineMap.Child(Path, key));
}

/// <summary>A guest pin connected to line <paramref name="Line"/> of host /dev/gpiochip<paramref name="Chip"/>.</summary>
public sealed record HostGpioMapping(string Pin, int Chip, int Line, WiringOrigin Origin, string Path)
{
    public SourceLocation At(string? key = null) => Origin.At(key is null ? Path : JsonLineMap.Child(Path, key));
}

/// <summary>A guest I2C address on a guest bus that reaches a device at <paramref name="HostAddress"/> on host /dev/i2c-<paramref name="HostBus"/>.</summary>
public sealed record HostI2cMapping(string Bus, int Address, int HostBus, int HostAddress, WiringOrigin Origin, string Path)
{
    public SourceLocation At(string? key = null) => Origin.At(key is null ? Path : JsonLineMap.Child(Path, key));
}
