using System.Device.Gpio;
using System.Diagnostics;

namespace EdgeVisor.Hardware.Tests.Doubles;

/// <summary>
/// A GPIO driver for tests, put under the real <see cref="GpioController"/>: it keeps each open pin's mode and
/// level, records every call in <see cref="Log"/> ("open 17", "mode 17 Output", "write 17 High", "close 17"),
/// reads an input as the outside's level, else its pull (up reads high), raises value-changed events on request (<see cref="RaiseEdge"/>, from any thread, as libgpiod's event thread
/// does), refuses pins marked busy the way the kernel does (EBUSY) and can lack pull support.
/// </summary>
internal sealed class TestGpioDriver(int pinCount = 54) : GpioDriver
{
    private readonly Dictionary<int, PinMode> _modes = [];
    private readonly Dictionary<int, PinValue> _values = []; // what this process wrote
    private readonly Dictionary<int, PinValue> _external = []; // what the outside drives onto an input
    private readonly Dictionary<int, List<PinChangeEventHandler>> _callbacks = [];
    private readonly List<string> _log = [];
    private readonly Lock _lock = new();

    /// <summary>Lines another process holds: opening them fails as libgpiod does with EBUSY.</summary>
    public HashSet<int> Busy { get; } = [];

    /// <summary>False to act like a chip without bias control.</summary>
    public bool SupportsPull { get; set; } = true;

    private readonly Dictionary<int, long> _lastWriteTicks = [];

    public IReadOnlyList<string> Log
    {
        get
        {
            lock (_lock)
            {
                return [.. _log];
            }
        }
    }

    /// <summary>Stopwatch ticks of the latest write to <paramref name="pin"/> (0 before any).</summary>
    public long LastWriteTicks(int pin)
    {
        lock (_lock)
        {
            return _lastWriteTicks.GetValueOrDefault(pin);
        }
    }

    public bool IsOpen(int pin)
    {
        lock (_lock)
        {
            return _modes.ContainsKey(pin);
        }
    }

    public PinMode? ModeOf(int pin)
    {
        lock (_lock)
        {
            return _modes.TryGetValue(pin, out PinMode mode) ? mode : null;
        }
    }

    /// <summary>The level this process last wrote to <paramref name="pin"/>.</summary>
    public PinValue ValueOf(int pin)
    {
        lock (_lock)
        {
            return _values.GetValueOrDefault(pin, PinValue.Low);
        }
    }

    public int CallbackCount(int pin)
    {
        lock (_lock)
        {
            return _callbacks.TryGetValue(pin, out List<PinChangeEventHandler>? list) ? list.Count : 0;
        }
    }

    /// <summary>An edge arrives on an input line: sets its level and calls the registered callbacks on this thread.</summary>
    public void RaiseEdge(int pin, bool level)
    {
        PinChangeEventHandler[] handlers;
        lock (_lock)
        {
            _external[pin] = level ? PinValue.High : PinValue.Low;
            handlers = _callbacks.TryGetValue(pin, out List<PinChangeEventHandler>? list) ? [.. list] : [];
        }

        foreach (PinChangeEventHandler handler in handlers)
        {
            handler(this, new PinValueChangedEventArgs(level ? PinEventTypes.Rising : PinEventTypes.Falling, pin));
        }
    }

    /// <summary>Sets the level an input reads without raising an event (the state before the claim).</summary>
    public void SetLevel(int pin, bool level)
    {
        lock (_lock)
        {
            _external[pin] = level ? PinValue.High : PinValue.Low;
        }
    }

    protected override int PinCount => pinCount;

    protected override void OpenPin(int pinNumber)
    {
        lock (_lock)
        {
            _log.Add($"open {pinNumber}");
            if (Busy.Contains(pinNumber))
            {
                throw new IOException($"Error 16 opening pin {pinNumber}: Device or resource busy");
            }

            _modes[pinNumber] = PinMode.Input;
        }
    }

    protected override void ClosePin(int pinNumber)
    {
        lock (_lock)
        {
            _log.Add($"close {pinNumber}");
            _modes.Remove(pinNumber);
        }
    }

    protected override void SetPinMode(int pinNumber, PinMode mode)
    {
        lock (_lock)
        {
            _log.Add($"mode {pinNumber} {mode}");
            _modes[pinNumber] = mode;
        }
    }

    protected override PinMode GetPinMode(int pinNumber)
    {
        lock (_lock)
        {
            return _modes[pinNumber];
        }
    }

    protected override bool IsPinModeSupported(int pinNumber, PinMode mode) =>
        SupportsPull || mode is PinMode.Input or PinMode.Output;

    protected override PinValue Read(int pinNumber)
    {
        lock (_lock)
        {
            PinMode mode = _modes.GetValueOrDefault(pinNumber, PinMode.Input);
            if (mode == PinMode.Output)
            {
                return _values.GetValueOrDefault(pinNumber, PinValue.Low);
            }

            return _external.TryGetValue(pinNumber, out PinValue driven) ? driven : mode == PinMode.InputPullUp ? PinValue.High : PinValue.Low;
        }
    }

    protected override void Write(int pinNumber, PinValue value)
    {
        long now = Stopwatch.GetTimestamp();
        lock (_lock)
        {
            _log.Add($"write {pinNumber} {value}");
            _values[pinNumber] = value;
            _lastWriteTicks[pinNumber] = now;
        }
    }

    protected override WaitForEventResult WaitForEvent(int pinNumber, PinEventTypes eventTypes, CancellationToken cancellationToken) =>
        throw new NotSupportedException("the host GPIO backend uses callbacks");

    protected override void AddCallbackForPinValueChangedEvent(int pinNumber, PinEventTypes eventTypes, PinChangeEventHandler callback)
    {
        lock (_lock)
        {
            _log.Add($"callback+ {pinNumber} {eventTypes}");
            if (!_callbacks.TryGetValue(pinNumber, out List<PinChangeEventHandler>? list))
            {
                list = [];
                _callbacks[pinNumber] = list;
            }

            list.Add(callback);
        }
    }

    protected override void RemoveCallbackForPinValueChangedEvent(int pinNumber, PinChangeEventHandler callback)
    {
        lock (_lock)
        {
            _log.Add($"callback- {pinNumber}");
            if (_callbacks.TryGetValue(pinNumber, out List<PinChangeEventHandler>? list))
            {
                list.Remove(callback);
            }
        }
    }
}
