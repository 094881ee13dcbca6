namespace EdgeVisor.Emulation.Peripherals.Gpio;

/// <summary>Which side drives a <see cref="GpioPin"/>.</summary>
public enum GpioDirection
{
    /// <summary>The outside world drives the pin (<see cref="GpioPin.Drive"/>); the model reads it.</summary>
    Input,

    /// <summary>The model drives the pin; the outside world observes it.</summary>
    Output,
}

/// <summary>An edge of a digital signal.</summary>
public enum Edge
{
    Rising,
    Falling,

    /// <summary>Either edge.</summary>
    Any,
}

/// <summary>
/// One digital line between a peripheral model and the outside world (a test, a simulated device, or later a
/// host pin through passthrough). The model sets the direction and, for an output, the driven level; the
/// outside drives inputs with <see cref="Drive"/>. <see cref="Level"/> is what is on the wire, and
/// <see cref="Changed"/> reports every change of it with the virtual cycle it happened at.
/// </summary>
public sealed class GpioPin
{
    private readonly Func<ulong> _now;
    private bool _outputLevel;
    private bool _externalLevel;

    public GpioPin(string name, int index, Func<ulong> now)
    {
        Name = name;
        Index = index;
        _now = now;
    }

    /// <summary>"gpio0.3", "fpgaio.led1".</summary>
    public string Name { get; }

    /// <summary>Pin number within its port.</summary>
    public int Index { get; }

    public GpioDirection Direction { get; private set; }

    /// <summary>The level on the wire: the driven output level for an output, the external level for an input.</summary>
    public bool Level => Direction == GpioDirection.Output ? _outputLevel : _externalLevel;

    /// <summary>The level the outside world drives (seen by the model only while the pin is an input).</summary>
    public bool ExternalLevel => _externalLevel;

    /// <summary>Raised after <see cref="Level"/> changed: the pin, the new level, the virtual cycle.</summary>
    public event Action<GpioPin, bool, ulong>? Changed;

    /// <summary>Drives the pin from outside (a button, a sensor, a test). Takes effect on the wire while the pin is an input.</summary>
    public void Drive(bool level) => Apply(() => _externalLevel = level);

    /// <summary>The model's side: direction and output level together.</summary>
    public void SetOutput(GpioDirection direction, bool outputLevel) => Apply(() =>
    {
        Direction = direction;
        _outputLevel = outputLevel;
    });

    public override string ToString() => $"{Name}={(Level ? 1 : 0)} ({Direction})";

    private void Apply(Action change)
    {
        bool before = Level;
        change();
        if (Level != before)
        {
            Changed?.Invoke(this, Level, _now());
        }
    }
}
