using EdgeVisor.Emulation.Peripherals.Gpio;

namespace EdgeVisor.Emulation.Machines.Tracing;

/// <summary>
/// Traces every GPIO line of a machine (every <see cref="IGpioPort"/>: GPIO ports, LED/button blocks) into a
/// <see cref="VcdWriter"/>, one scope per port ("gpiod", signal "pin12"), plus probes: 1-bit states of wired
/// devices ("devices.led1", signal "on") that are sampled whenever a pin changes, since a GPIO device's state
/// only moves with its pin. Time stamps are the virtual cycles the pins report.
/// </summary>
public sealed class GpioTrace : IDisposable
{
    private readonly Machine _machine;
    private readonly VcdWriter _vcd;
    private readonly List<(GpioPin Pin, Action<GpioPin, bool, ulong> Handler)> _subscriptions = [];
    private readonly List<(VcdWriter.Signal Signal, Func<bool> Read)> _probes = [];
    private bool _started;

    /// <param name="machine">The machine whose pins to trace.</param>
    /// <param name="output">The VCD text; disposed with the trace.</param>
    public GpioTrace(Machine machine, TextWriter output)
    {
        _machine = machine;
        _vcd = new VcdWriter(output, machine.Clock.FrequencyHz, machine.Board.Name);
        foreach (var port in machine.Peripherals.Values.OfType<IGpioPort>())
        {
            foreach (var pin in port.Pins)
            {
                var signal = _vcd.Declare(port.Name, SignalName(port.Name, pin), pin.Level);
                Action<GpioPin, bool, ulong> handler = (_, level, cycle) => PinChanged(signal, level, cycle);
                _subscriptions.Add((pin, handler));
            }
        }
    }

    /// <summary>Adds a 1-bit state to trace under <paramref name="scope"/> (e.g. "devices.led1", "on"); call before <see cref="Start"/>.</summary>
    public void AddProbe(string scope, string name, Func<bool> read) =>
        _probes.Add((_vcd.Declare(scope, name, read()), read));

    /// <summary>Writes the header with the current levels and starts recording changes.</summary>
    public void Start()
    {
        if (_started)
        {
            return;
        }

        _started = true;
        foreach (var (signal, read) in _probes)
        {
            signal.Value = read();
        }

        _vcd.Begin(_machine.Clock.Now);
        foreach (var (pin, handler) in _subscriptions)
        {
            pin.Changed += handler;
        }
    }

    /// <summary>Samples the probes now (after something other than a pin, such as a stimulus, changed a device).</summary>
    public void SampleProbes()
    {
        ulong now = _machine.Clock.Now;
        foreach (var (signal, read) in _probes)
        {
            _vcd.Change(signal, read(), now);
        }
    }

    /// <summary>Stops recording, marks the end time and flushes; the file is complete after this.</summary>
    public void Dispose()
    {
        foreach (var (pin, handler) in _subscriptions)
        {
            pin.Changed -= handler;
        }

        _subscriptions.Clear();
        if (_started)
        {
            _vcd.End(_machine.Clock.Now);
        }

        _vcd.Dispose();
    }

    /// <summary>"gpiod.12" in port gpiod → "pin12"; "fpgaio.led1" → "led1".</summary>
    private static string SignalName(string port, GpioPin pin)
    {
        string suffix = pin.Name.StartsWith(port + ".", StringComparison.OrdinalIgnoreCase) ? pin.Name[(port.Length + 1)..] : pin.Name;
        return suffix.Length > 0 && char.IsAsciiLetter(suffix[0]) ? suffix : "pin" + suffix;
    }

    private void PinChanged(VcdWriter.Signal signal, bool level, ulong cycle)
    {
        _vcd.Change(signal, level, cycle);
        foreach (var (probe, read) in _probes)
        {
            _vcd.Change(probe, read(), cycle);
        }
    }
}
