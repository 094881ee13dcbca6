using EdgeVisor.Emulation.Interrupts;

namespace EdgeVisor.Hardware.Tests.Doubles;

/// <summary>The core's interrupt controller as far as a test cares: which lines are high, and every change.</summary>
internal sealed class RecordingInterruptController : IInterruptController
{
    private readonly HashSet<int> _high = [];

    public List<string> Events { get; } = [];

    public bool IsHigh(int line) => _high.Contains(line);

    public void SetLevel(int line, bool asserted)
    {
        Events.Add($"{line}={(asserted ? 1 : 0)}");
        if (asserted)
        {
            _high.Add(line);
        }
        else
        {
            _high.Remove(line);
        }
    }

    public void Pulse(int line) => Events.Add($"{line} pulse");
}
