using EdgeVisor.Emulation.Peripherals.Gpio;
using EdgeVisor.Emulation.Time;

namespace EdgeVisor.Emulation.Peripherals.Devices;

/// <summary>
/// An LED on a pin the firmware drives. It is lit when the pin is high, or low with "activeLow" (an LED
/// between the supply and the pin). Its changes are recorded with the virtual cycle they happened at (the latest
/// 64 Ki of them), from which <see cref="DutyCycle"/> gives a PWM-dimmed LED's brightness.
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

    /// <summary>Changes kept in <see cref="Changes"/>; a PWM-driven LED would otherwise grow the history without bound.</summary>
    public const int HistoryLimit = 1 << 16;

    private readonly DeviceQuantities _quantities;
    private readonly List<(bool On, ulong Cycle)> _changes = [];
    private bool _initialOn;

    /// <summary>An LED watching <paramref name="pin"/>.</summary>
    public Led(string name, GpioPin pin, bool activeLow = false)
    {
        Name = name;
        Pin = pin;
        ActiveLow = activeLow;
        _quantities = new DeviceQuantities(name).Add("on", () => IsOn ? 1 : 0);
        _initialOn = IsOn;
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

    /// <summary>The times the LED went on or off, with the virtual cycle: all of them, or the latest ones (at least half of <see cref="HistoryLimit"/>) once there were more.</summary>
    public IReadOnlyList<(bool On, ulong Cycle)> Changes => _changes;

    /// <summary>How many times the LED went on or off since it was wired.</summary>
    public long ChangeCount { get; private set; }

    /// <summary>
    /// Fraction of the cycles in [<paramref name="fromCycle"/>, <paramref name="toCycle"/>) the LED was lit (a
    /// PWM-dimmed LED's brightness), from the recorded changes; the window must lie within the kept history.
    /// </summary>
    public double DutyCycle(ulong fromCycle, ulong toCycle)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(toCycle, fromCycle);
        bool on = _initialOn;
        int i = 0;
        for (; i < _changes.Count && _changes[i].Cycle <= fromCycle; i++)
        {
            on = _changes[i].On;
        }

        ulong lit = 0;
        ulong at = fromCycle;
        for (; i < _changes.Count && _changes[i].Cycle < toCycle; i++)
        {
            lit += on ? _changes[i].Cycle - at : 0;
            at = _changes[i].Cycle;
            on = _changes[i].On;
        }

        lit += on ? toCycle - at : 0;
        return (double)lit / (toCycle - fromCycle);
    }

    public IReadOnlyCollection<string> Quantities => _quantities.Names;

    public double Get(string quantity) => _quantities.Get(quantity);

    public void Set(string quantity, double value) => _quantities.Set(quantity, value);

    public override string ToString() => $"{Name}: {(IsOn ? "on" : "off")}";

    private void OnPinChanged(GpioPin pin, bool level, ulong cycle)
    {
        if (_changes.Count == HistoryLimit)
        {
            // Drop the older half: the state before the first kept change is the last dropped one.
            _initialOn = _changes[(HistoryLimit / 2) - 1].On;
            _changes.RemoveRange(0, HistoryLimit / 2);
        }

        _changes.Add((level != ActiveLow, cycle));
        ChangeCount++;
    }
}
