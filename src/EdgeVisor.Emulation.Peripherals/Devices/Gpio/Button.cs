using EdgeVisor.Emulation.Peripherals.Gpio;
using EdgeVisor.Emulation.Time;

namespace EdgeVisor.Emulation.Peripherals.Devices;

/// <summary>
/// A push button on an input pin. Pressed, it drives the pin high (low with "activeLow", a button to ground).
/// Released, it drives the idle level as the board's pull resistor would (the discovery board's user button
/// has a pull-down on PA0), or with "externalPull": false lets go of the line so the MCU's own pull decides.
/// With "bounce", a press or release first chatters: a few opposite edges within the first millisecond, as a
/// real contact does. Quantity "pressed" (0/1).
/// </summary>
public sealed class Button : ISimulatedDevice
{
    private static readonly QuantityRange Range = new("pressed", 0, 1);

    internal static readonly DeviceType Entry = new(
        "button",
        "push button on a pin (pressed = high, or low with activeLow)",
        OnBus: false,
        Addresses: [],
        Options: ["activeLow", "externalPull", "bounce"],
        Settable: [Range],
        (properties, connection, clock) => new Button(
            properties.DeviceName,
            connection.Pin!,
            clock,
            properties.Bool("activeLow", false),
            properties.Bool("externalPull", true),
            properties.Bool("bounce", false)));

    // Chatter of a bouncing contact: the line flips at these offsets (µs) after the press or release before it settles.
    private static readonly int[] BounceMicroseconds = [60, 150, 320, 500, 780];

    private readonly VirtualClock _clock;
    private readonly DeviceQuantities _quantities;
    private readonly List<ScheduledEvent> _bounce = [];

    /// <summary>A released button on <paramref name="pin"/>; drives the idle level at once when <paramref name="externalPull"/>.</summary>
    public Button(string name, GpioPin pin, VirtualClock clock, bool activeLow = false, bool externalPull = true, bool bounce = false)
    {
        Name = name;
        Pin = pin;
        _clock = clock;
        ActiveLow = activeLow;
        ExternalPull = externalPull;
        Bounces = bounce;
        _quantities = new DeviceQuantities(name).Add("pressed", () => IsPressed ? 1 : 0, v => Press(v >= 0.5), Range.Min, Range.Max);
        Apply(false);
    }

    public string Name { get; }

    public string Type => "button";

    /// <summary>The pin the button drives.</summary>
    public GpioPin Pin { get; }

    /// <summary>True for a button to ground: pressing pulls the line low.</summary>
    public bool ActiveLow { get; }

    /// <summary>True if a board resistor holds the idle level while released; false lets the line float to the MCU's pull.</summary>
    public bool ExternalPull { get; }

    /// <summary>True if presses and releases chatter for up to a millisecond.</summary>
    public bool Bounces { get; }

    /// <summary>True while pressed.</summary>
    public bool IsPressed { get; private set; }

    public IReadOnlyCollection<string> Quantities => _quantities.Names;

    public double Get(string quantity) => _quantities.Get(quantity);

    public void Set(string quantity, double value) => _quantities.Set(quantity, value);

    /// <summary>Presses (true) or releases (false) the button.</summary>
    public void Press(bool pressed)
    {
        if (pressed == IsPressed)
        {
            return;
        }

        IsPressed = pressed;
        foreach (var e in _bounce)
        {
            e.Cancel();
        }

        _bounce.Clear();
        if (!Bounces)
        {
            Apply(pressed);
            return;
        }

        // The contact first makes (or breaks), then chatters, and settles on the new state after the last flip.
        bool state = pressed;
        Apply(state);
        foreach (int us in BounceMicroseconds)
        {
            state = !state;
            bool level = state;
            _bounce.Add(_clock.Schedule(_clock.CyclesFor(TimeSpan.FromMicroseconds(us)), () => Apply(level)));
        }

        bool settled = pressed;
        _bounce.Add(_clock.Schedule(_clock.CyclesFor(TimeSpan.FromMicroseconds(1000)), () => Apply(settled)));
    }

    public override string ToString() => $"{Name}: {(IsPressed ? "pressed" : "released")}";

    private void Apply(bool pressed)
    {
        if (pressed || ExternalPull)
        {
            Pin.Drive(pressed != ActiveLow);
        }
        else
        {
            Pin.Release();
        }
    }
}
