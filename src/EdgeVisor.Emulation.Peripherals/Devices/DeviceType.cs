using EdgeVisor.Emulation.Time;

namespace EdgeVisor.Emulation.Peripherals.Devices;

/// <summary>
/// One catalog entry: the type name, whether the part sits on an I2C bus (and at which addresses) or on a pin,
/// its options, its settable quantities, and the factory. The factory reads options and builds the device;
/// the catalog has already checked the connection and the property names.
/// </summary>
internal sealed record DeviceType(
    string Name,
    string Description,
    bool OnBus,
    IReadOnlyList<int> Addresses,
    IReadOnlyList<string> Options,
    IReadOnlyList<QuantityRange> Settable,
    Func<DeviceProperties, DeviceConnection, VirtualClock, ISimulatedDevice> Create)
{
    /// <summary>For an I2C part: what an optional pin is (a TMP102's "ALERT"); null if it takes none.</summary>
    public string? PinRole { get; init; }

    /// <summary>How many consecutive addresses the part takes from its base address (a 24C16 takes 8), from its options.</summary>
    public Func<DeviceProperties, int> AddressCount { get; init; } = _ => 1;

    /// <summary>Addresses first..last inclusive.</summary>
    public static IReadOnlyList<int> Range(int first, int last) => [.. Enumerable.Range(first, last - first + 1)];
}
