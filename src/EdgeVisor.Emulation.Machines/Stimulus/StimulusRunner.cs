using EdgeVisor.Emulation.Peripherals.Devices;
using EdgeVisor.Emulation.Peripherals.Gpio;

namespace EdgeVisor.Emulation.Machines.Stimulus;

/// <summary>
/// Puts a <see cref="StimulusScript"/> on a machine's virtual clock. Every step's target is resolved first (a
/// device of the wiring by name, or a board pin "gpioa.1"), so a script with a typo schedules nothing; then each
/// instant gets one clock event that runs its steps in file order, which makes runs deterministic. A value the
/// device refuses when its step runs (out of the part's range) stops the machine and is kept in <see cref="Failure"/>.
/// </summary>
public sealed class StimulusRunner
{
    private const string Pressed = "pressed";
    private readonly Machine _machine;
    private readonly StimulusScript _script;
    private readonly List<Action> _actions = [];
    private readonly bool _stopOnFailure;

    private StimulusRunner(Machine machine, StimulusScript script, bool stopOnFailure)
    {
        _machine = machine;
        _script = script;
        _stopOnFailure = stopOnFailure;
    }

    /// <summary>Raised after each step ran (the GPIO trace samples device states here).</summary>
    public event Action<StimulusStep>? StepApplied;

    /// <summary>The error of a step the device refused at run time ("stim.txt:4: …"), or null.</summary>
    public string? Failure { get; private set; }

    /// <summary>
    /// Resolves every step against <paramref name="machine"/>'s pins and <paramref name="devices"/> and schedules
    /// them. Throws <see cref="StimulusException"/> naming file:line for an unknown target, quantity or verb misuse.
    /// A value a device refuses when its step runs stops the machine and sets <see cref="Failure"/>
    /// (<paramref name="stopOnFailure"/>), or throws <see cref="StimulusException"/> out of the run (tests).
    /// </summary>
    public static StimulusRunner Schedule(Machine machine, StimulusScript script, IReadOnlyDictionary<string, ISimulatedDevice> devices, bool stopOnFailure = true)
    {
        var runner = new StimulusRunner(machine, script, stopOnFailure);
        foreach (var step in script.Steps)
        {
            runner._actions.Add(runner.Resolve(step, devices));
        }

        var clock = machine.Clock;
        foreach (var group in script.Steps.Select((step, i) => (step, i)).GroupBy(x => x.step.CycleAt(clock.FrequencyHz)))
        {
            var actions = group.Select(x => runner._actions[x.i]).ToArray();
            ulong at = group.Key;
            clock.ScheduleAt(at, () =>
            {
                foreach (var action in actions)
                {
                    action();
                }
            });
        }

        return runner;
    }

    private Action Resolve(StimulusStep step, IReadOnlyDictionary<string, ISimulatedDevice> devices)
    {
        string where = $"{_script.Source}:{step.Line}";
        if (devices.TryGetValue(step.Target, out var device))
        {
            switch (step.Verb)
            {
                case StimulusVerb.Press or StimulusVerb.Release when !device.Quantities.Contains(Pressed):
                    throw new StimulusException($"{where}: {device.Name} is a {device.Type}, which cannot be pressed (it has: {string.Join(", ", device.Quantities)})");
                case StimulusVerb.Press or StimulusVerb.Release:
                    return Guarded(step, where, () => device.Set(Pressed, step.Value));
                case StimulusVerb.Set when !device.Quantities.Contains(step.Quantity!):
                    throw new StimulusException($"{where}: {device.Name} ({device.Type}) has no quantity '{step.Quantity}' (it has: {string.Join(", ", device.Quantities)})");
                case StimulusVerb.Set:
                    return Guarded(step, where, () => device.Set(step.Quantity!, step.Value));
                default:
                    throw new StimulusException($"{where}: {device.Name} is a device; 'drive' takes a pin such as gpioa.1");
            }
        }

        var pin = FindPin(step.Target) ?? throw new StimulusException(
            $"{where}: no device or pin '{step.Target}' (devices: {(devices.Count == 0 ? "none" : string.Join(", ", devices.Keys.Order(StringComparer.Ordinal)))}; pins are named like {ExamplePin()})");
        return step.Verb switch
        {
            StimulusVerb.Drive => Guarded(step, where, () => pin.Drive(step.Value != 0)),
            StimulusVerb.Release => Guarded(step, where, pin.Release),
            _ => throw new StimulusException($"{where}: {step.Target} is a pin; use 'drive {step.Target} high|low' and 'release {step.Target}'"),
        };
    }

    private Action Guarded(StimulusStep step, string where, Action action) => () =>
    {
        if (Failure is not null)
        {
            return;
        }

        try
        {
            action();
            StepApplied?.Invoke(step);
        }
        catch (ArgumentException e)
        {
            Failure = $"{where}: {e.Message}";
            if (!_stopOnFailure)
            {
                throw new StimulusException(Failure, e);
            }

            _machine.RequestStop();
        }
    };

    /// <summary>"gpioa.1" (or a pin's own name, "fpgaio.led0") → the pin, if the board has it.</summary>
    private GpioPin? FindPin(string name)
    {
        if (Wiring.WiringValidator.FindByPinName(_machine.Peripherals.Values.OfType<IGpioPort>(), name) is { } named)
        {
            return named;
        }

        int dot = name.LastIndexOf('.');
        if (dot <= 0 || !int.TryParse(name.AsSpan(dot + 1), out int index))
        {
            return null;
        }

        return _machine.Peripherals.TryGetValue(name[..dot], out var p) && p is IGpioPort port && index >= 0 && index < port.Pins.Count
            ? port.Pins[index]
            : null;
    }

    private string ExamplePin() =>
        _machine.Peripherals.Values.OfType<IGpioPort>().FirstOrDefault() is { } port ? $"{port.Name}.0" : "port.index";
}
