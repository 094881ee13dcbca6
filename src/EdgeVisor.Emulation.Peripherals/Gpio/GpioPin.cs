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

/// <summary>The pin's internal pull resistor, which sets the level of an input nothing drives.</summary>
public enum GpioPull
{
    None,
    Up,
    Down,
}

/// <summary>
/// One digital line between a peripheral model and the outside world (a test, a simulated device, a host pin
/// through passthrough). The model sets the direction, output level, open-drain mode and pull; the outside drives
/// the line with <see cref="Drive"/> or lets go of it with <see cref="Release"/>. <see cref="Level"/> is what is
/// on the wire: a push-pull output's level; otherwise (input, or an open-drain output that is not pulling low) the
/// outside's level if it drives the line, else the pull (up reads 1; down or none reads 0). <see cref="Changed"/>
/// reports every change of the level with the virtual cycle it happened at; <see cref="ConfigurationChanged"/>
/// reports changes of direction, open-drain mode or pull (passthrough follows them onto the host pin).
/// </summary>
public sealed class GpioPin
{
    private readonly Func<ulong> _now;
    private bool _outputLevel;
    private bool _externalLevel;
    private bool _externallyDriven;

    public GpioPin(string name, int index, Func<ulong> now)
    {
        Name = name;
        Index = index;
        _now = now;
    }

    /// <summary>"gpio0.3", "fpgaio.led1", "gpioa.5".</summary>
    public string Name { get; }

    /// <summary>Pin number within its port.</summary>
    public int Index { get; }

    public GpioDirection Direction { get; private set; }

    /// <summary>True for an open-drain output: it pulls low for a 0 and lets go of the line for a 1.</summary>
    public bool OpenDrain { get; private set; }

    /// <summary>The pull resistor the model has enabled.</summary>
    public GpioPull Pull { get; private set; }

    /// <summary>The level the model drives when it is an output (for open drain: 0 pulls low, 1 lets go).</summary>
    public bool OutputLevel => _outputLevel;

    /// <summary>True if the model drives the wire itself: a push-pull output, or an open-drain output writing 0.</summary>
    public bool DrivenByModel => Direction == GpioDirection.Output && (!OpenDrain || !_outputLevel);

    /// <summary>The level on the wire.</summary>
    public bool Level => DrivenByModel ? _outputLevel : ExternalLevel;

    /// <summary>What the outside gives the line when the model does not drive it: its driven level, else the pull.</summary>
    public bool ExternalLevel => _externallyDriven ? _externalLevel : Pull == GpioPull.Up;

    /// <summary>True while the outside drives the line (after <see cref="Drive"/>, until <see cref="Release"/>).</summary>
    public bool ExternallyDriven => _externallyDriven;

    /// <summary>Raised after <see cref="Level"/> changed: the pin, the new level, the virtual cycle.</summary>
    public event Action<GpioPin, bool, ulong>? Changed;

    /// <summary>Raised after the model changed direction, open-drain mode or pull.</summary>
    public event Action<GpioPin>? ConfigurationChanged;

    /// <summary>Drives the pin from outside (a button, a sensor, a test, a host input). Seen on the wire whenever the model does not drive it.</summary>
    public void Drive(bool level) => Apply(() =>
    {
        _externalLevel = level;
        _externallyDriven = true;
    });

    /// <summary>The outside stops driving the line: it floats to the pull.</summary>
    public void Release() => Apply(() => _externallyDriven = false);

    /// <summary>The model's side: direction and output level together (push-pull).</summary>
    public void SetOutput(GpioDirection direction, bool outputLevel) => Configure(direction, outputLevel, OpenDrain, Pull);

    /// <summary>The model's side, everything at once: direction, output level, open-drain mode and pull.</summary>
    public void Configure(GpioDirection direction, bool outputLevel, bool openDrain, GpioPull pull)
    {
        bool reconfigured = direction != Direction || openDrain != OpenDrain || pull != Pull;
        Apply(() =>
        {
            Direction = direction;
            _outputLevel = outputLevel;
            OpenDrain = openDrain;
            Pull = pull;
        });
        if (reconfigured)
        {
            ConfigurationChanged?.Invoke(this);
        }
    }

    public override string ToString() => $"{Name}={(Level ? 1 : 0)} ({Direction}{(OpenDrain ? ", open drain" : "")}{(Pull == GpioPull.None ? "" : ", pull " + Pull.ToString().ToLowerInvariant())})";

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
