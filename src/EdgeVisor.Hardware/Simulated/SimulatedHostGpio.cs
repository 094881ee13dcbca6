namespace EdgeVisor.Hardware.Simulated;

/// <summary>
/// In-memory host GPIO chips for laptops without GPIO and for tests: every line is a <see cref="SimulatedHostWire"/>
/// that a test or a stimulus drives like an external circuit and inspects like a logic probe.
/// </summary>
public sealed class SimulatedHostGpio : IHostGpio
{
    /// <summary>gpiochip0 of a Raspberry Pi 4 (BCM2711) has 58 lines.</summary>
    public const int DefaultLineCount = 58;

    private readonly int[] _lineCounts;
    private readonly Dictionary<HostPin, SimulatedHostWire> _wires = [];
    private readonly Lock _lock = new();

    /// <param name="lineCounts">Lines per chip: chip i has lineCounts[i] lines (default: one chip of 58 lines).</param>
    public SimulatedHostGpio(params int[] lineCounts)
    {
        _lineCounts = lineCounts.Length == 0 ? [DefaultLineCount] : lineCounts;
    }

    public int? LineCount(int chip) => chip >= 0 && chip < _lineCounts.Length ? _lineCounts[chip] : null;

    /// <summary>The wire of <paramref name="pin"/> (claimed or not); throws <see cref="HostHardwareException"/> if it does not exist.</summary>
    public SimulatedHostWire Wire(HostPin pin)
    {
        int? count = LineCount(pin.Chip);
        if (count is null || pin.Line < 0 || pin.Line >= count)
        {
            throw new HostHardwareException($"{pin} does not exist on the simulated host");
        }

        lock (_lock)
        {
            if (!_wires.TryGetValue(pin, out SimulatedHostWire? wire))
            {
                wire = new SimulatedHostWire(pin);
                _wires[pin] = wire;
            }

            return wire;
        }
    }

    public IHostGpioLine Claim(HostPin pin, string owner)
    {
        int? count = LineCount(pin.Chip);
        if (count is null)
        {
            throw new HostHardwareException($"{owner}: {pin}: this host has no gpiochip{pin.Chip}");
        }

        if (pin.Line < 0 || pin.Line >= count)
        {
            throw new HostHardwareException($"{owner}: {pin} does not exist (gpiochip{pin.Chip} has lines 0-{count - 1})");
        }

        return Wire(pin).Claim(owner);
    }
}
