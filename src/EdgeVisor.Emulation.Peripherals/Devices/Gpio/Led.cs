using EdgeVisor.Emulation.Peripherals.Gpio;
using EdgeVisor.Emulation.Time;

namespace EdgeVisor.Emulation.Peripherals.Devices;

/// <summary>
/// An LED on a pin the firmware drives. It is lit when the pin is high, or low with "activeLow" (an LED
/// between the supply and the pin). Every change of its state is recorded with the virtual cycle it happened at.
/// Quantity "on" (read-only: the firmware decides).
/// </summary>
public sealed class Led : ISimulatedDevice
{
    internal static readonly DeviceType Entry = new(
        "led",
        "LED on a pin (on = pin high, or low with activeLow)",
        OnBus: false,
        Addresses: [],
        Options: ["activeLow"],
        Settable: [],
        (properties, connection, _) => new Led(properties.DeviceName, connection.Pin!, properties.Bool("activeLow", false)));

    private readonly DeviceQuantities _quantities;
    private readonly List<(bool On, ulong Cycle)> _changes = [];

    /// <summary>An LED watching <paramref name="pin"/>.</summary>
    public Led(string name, GpioPin pin, bool activeLow = false)
    {
        Name = name;
        Pin = pin;
        ActiveLow = activeLow;
        _quantities = new DeviceQuantities(name).Add("on", () => IsOn ? 1 : 0);
        pin.Changed += OnPinChanged;
    }

    public string Name { get; }

    public string Type => "led";

    /// <summary>The pin the LED hangs on.</summary>
    public GpioPin Pin { get; }

    /// <summary>True if the LED lights when the pin is low.</summary>
    public bool ActiveLow { get; }

    /// <summary>True while the LED is lit.</summary>
    public bool IsOn => Pin.Level != ActiveLow;

    /// <summary>Every time the LED went on or off, with the virtual cycle.</summary>
    public IReadOnlyList<(bool On, ulong Cycle)> Changes => _changes;

    public IReadOnlyCollection<string> Quantities => _quantities.Names;

    public double Get(string quantity) => _quantities.Get(quantity);

    public void Set(string quantity, double value) => _quantities.Set(quantity, value);

    public override string ToString() => $"{Name}: {(IsOn ? "on" : "off")}";

    private void OnPinChanged(GpioPin pin, bool level, ulong cycle) => _changes.Add((level != ActiveLow, cycle));
}
