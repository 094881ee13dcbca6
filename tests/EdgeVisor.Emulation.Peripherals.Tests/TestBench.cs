using EdgeVisor.Emulation.Interrupts;
using EdgeVisor.Emulation.Peripherals.Interrupts;
using EdgeVisor.Emulation.Time;

namespace EdgeVisor.Emulation.Peripherals.Tests;

/// <summary>An interrupt controller that records line levels and every change with its cycle.</summary>
internal sealed class RecordingController(VirtualClock clock) : IInterruptController
{
    private readonly Dictionary<int, bool> _levels = [];

    public List<(int Line, bool Level, ulong Cycle)> Changes { get; } = [];

    public List<(int Line, ulong Cycle)> Pulses { get; } = [];

    public bool Level(int line) => _levels.GetValueOrDefault(line);

    /// <summary>Cycles at which <paramref name="line"/> went high.</summary>
    public IEnumerable<ulong> Rises(int line) => Changes.Where(c => c.Line == line && c.Level).Select(c => c.Cycle);

    public void SetLevel(int line, bool asserted)
    {
        _levels[line] = asserted;
        Changes.Add((line, asserted, clock.Now));
    }

    public void Pulse(int line) => Pulses.Add((line, clock.Now));
}

/// <summary>A clock, a recording controller and a router: what a peripheral needs, plus time travel.</summary>
internal sealed class TestBench
{
    public TestBench(ulong frequencyHz = 25_000_000)
    {
        Clock = new VirtualClock(frequencyHz);
        Controller = new RecordingController(Clock);
        Router = new InterruptRouter(Controller, level => NmiLevels.Add((level, Clock.Now)));
    }

    public VirtualClock Clock { get; }

    public RecordingController Controller { get; }

    public InterruptRouter Router { get; }

    public List<(bool Level, ulong Cycle)> NmiLevels { get; } = [];

    public InterruptLine Line(int number) => Router.Line(number);

    /// <summary>Advances virtual time by <paramref name="cycles"/>, running every event at its exact cycle on the way.</summary>
    public void Advance(ulong cycles) => AdvanceTo(Clock.Now + cycles);

    public void AdvanceTo(ulong target)
    {
        while (Clock.NextEventAt <= target)
        {
            Clock.AdvanceTo(Clock.NextEventAt);
            Clock.RunDueEvents();
        }

        Clock.AdvanceTo(target);
    }
}
