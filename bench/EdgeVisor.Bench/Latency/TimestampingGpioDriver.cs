using System.Device.Gpio;
using System.Diagnostics;

namespace EdgeVisor.Bench.Latency;

/// <summary>
/// The benchmark's stand-in for the kernel under the real GpioController: it timestamps every write
/// (Stopwatch ticks, the moment the libgpiod ioctl would be issued) and raises edges on request, calling the
/// registered callbacks on the caller's thread as libgpiod's event thread would.
/// </summary>
internal sealed class TimestampingGpioDriver(int pinCount) : GpioDriver
{
    private readonly Dictionary<int, PinMode> _modes = [];
    private readonly Dictionary<int, List<PinChangeEventHandler>> _callbacks = [];
    private readonly long[] _writeTicks = new long[pinCount];
    private readonly int[] _written = new int[pinCount];
    private readonly Lock _lock = new();
    private readonly ManualResetEventSlim _writeSignal = new(false, spinCount: 100);

    /// <summary>Ticks of the latest write to <paramref name="pin"/> and its level (1/0; -1 before any write).</summary>
    public (long Ticks, int Level) LastWrite(int pin) => (Volatile.Read(ref _writeTicks[pin]), Volatile.Read(ref _written[pin]));

    /// <summary>Waits (briefly spinning, then blocking, so the waiting thread leaves the machine thread a core) until a
    /// write to <paramref name="pin"/> of <paramref name="level"/> happened.</summary>
    public bool WaitForWrite(int pin, bool level, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (Volatile.Read(ref _written[pin]) != (level ? 1 : 0))
        {
            TimeSpan left = timeout - clock.Elapsed;
            if (left <= TimeSpan.Zero)
            {
                return false;
            }

            _writeSignal.Wait(left);
            _writeSignal.Reset();
        }

        return true;
    }

    public bool IsOutput(int pin)
    {
        lock (_lock)
        {
            return _modes.GetValueOrDefault(pin) == PinMode.Output;
        }
    }

    public void RaiseEdge(int pin, bool level)
    {
        PinChangeEventHandler[] handlers;
        lock (_lock)
        {
            handlers = _callbacks.TryGetValue(pin, out List<PinChangeEventHandler>? list) ? [.. list] : [];
        }

        var args = new PinValueChangedEventArgs(level ? PinEventTypes.Rising : PinEventTypes.Falling, pin);
        foreach (PinChangeEventHandler handler in handlers)
        {
            handler(this, args);
        }
    }

    protected override int PinCount => pinCount;

    protected override void OpenPin(int pinNumber)
    {
        lock (_lock)
        {
            _modes[pinNumber] = PinMode.Input;
            _written[pinNumber] = -1;
        }
    }

    protected override void ClosePin(int pinNumber)
    {
        lock (_lock)
        {
            _modes.Remove(pinNumber);
        }
    }

    protected override void SetPinMode(int pinNumber, PinMode mode)
    {
        lock (_lock)
        {
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

    protected override bool IsPinModeSupported(int pinNumber, PinMode mode) => true;

    protected override PinValue Read(int pinNumber) => Volatile.Read(ref _written[pinNumber]) == 1 ? PinValue.High : PinValue.Low;

    protected override void Write(int pinNumber, PinValue value)
    {
        long now = Stopwatch.GetTimestamp();
        Volatile.Write(ref _writeTicks[pinNumber], now);
        Volatile.Write(ref _written[pinNumber], value == PinValue.High ? 1 : 0);
        _writeSignal.Set();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _writeSignal.Dispose();
        }

        base.Dispose(disposing);
    }

    protected override WaitForEventResult WaitForEvent(int pinNumber, PinEventTypes eventTypes, CancellationToken cancellationToken) =>
        throw new NotSupportedException("the host GPIO backend uses callbacks");

    protected override void AddCallbackForPinValueChangedEvent(int pinNumber, PinEventTypes eventTypes, PinChangeEventHandler callback)
    {
        lock (_lock)
        {
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
            _callbacks.GetValueOrDefault(pinNumber)?.Remove(callback);
        }
    }
}
