using System.Globalization;
using EdgeVisor.Emulation.Peripherals.I2c;

namespace EdgeVisor.Emulation.Machines.Tracing;

/// <summary>
/// The I2C transaction log: every step on every I2C bus of a machine (the buses of its <see cref="II2cController"/>
/// models), one line each with the virtual time: <c>12.345678 ms i2c1: S 0x48 W ACK</c>. Lines are kept in
/// <see cref="Lines"/> (tests) and, if a writer is given, written there as they happen.
/// </summary>
public sealed class I2cLog : IDisposable
{
    private readonly ulong _clockHz;
    private readonly TextWriter? _writer;
    private readonly bool _ownsWriter;
    private readonly List<(I2cBus Bus, Action<I2cBusEvent> Handler)> _subscriptions = [];
    private readonly List<I2cBusEvent> _events = [];

    /// <param name="machine">The machine whose buses to log.</param>
    /// <param name="writer">Where lines go as they happen (null: only kept in memory).</param>
    /// <param name="ownsWriter">Dispose <paramref name="writer"/> with the log (a file; not stderr).</param>
    public I2cLog(Machine machine, TextWriter? writer = null, bool ownsWriter = false)
        : this(machine.Peripherals.Values.OfType<II2cController>().Select(c => c.Bus), machine.Clock.FrequencyHz, writer, ownsWriter)
    {
    }

    /// <summary>Logs the given buses; <paramref name="clockHz"/> turns their cycles into time.</summary>
    public I2cLog(IEnumerable<I2cBus> buses, ulong clockHz, TextWriter? writer = null, bool ownsWriter = false)
    {
        _clockHz = clockHz;
        _writer = writer;
        _ownsWriter = ownsWriter;
        foreach (var bus in buses)
        {
            Action<I2cBusEvent> handler = Record;
            bus.Traffic += handler;
            _subscriptions.Add((bus, handler));
        }
    }

    /// <summary>Every step so far, in order.</summary>
    public IReadOnlyList<I2cBusEvent> Events => _events;

    /// <summary>Every step so far as log lines.</summary>
    public IEnumerable<string> Lines => _events.Select(e => Format(e, _clockHz));

    /// <summary>One log line: virtual milliseconds with six decimals (nanosecond resolution), then the step.</summary>
    public static string Format(I2cBusEvent step, ulong clockHz)
    {
        double ms = (double)step.Cycle * 1000.0 / clockHz;
        return ms.ToString("0.000000", CultureInfo.InvariantCulture) + " ms " + step;
    }

    public void Dispose()
    {
        foreach (var (bus, handler) in _subscriptions)
        {
            bus.Traffic -= handler;
        }

        _subscriptions.Clear();
        _writer?.Flush();
        if (_ownsWriter)
        {
            _writer?.Dispose();
        }
    }

    private void Record(I2cBusEvent step)
    {
        _events.Add(step);
        _writer?.Write(Format(step, _clockHz));
        _writer?.Write('\n');
    }
}
