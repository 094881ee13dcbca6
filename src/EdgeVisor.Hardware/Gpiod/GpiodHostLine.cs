using System.Device.Gpio;
using System.Diagnostics;

namespace EdgeVisor.Hardware.Gpiod;

/// <summary>
/// A host line claimed through a <see cref="GpioController"/>: opened as an input at once (libgpiod requests the
/// line from the kernel then, so another process's claim fails here and not later), with an edge callback
/// registered for both edges while the line is an input. Edge events exist only for inputs (with libgpiod 1.x an
/// event request and an output request are different kinds of line request), so the callback is unregistered
/// while the line is an output and registered again when it turns back into an input. Dispose unregisters it,
/// sets the line back to a plain input and closes it.
/// A lock serialises the machine thread, the driver's event thread and shutdown handlers.
/// </summary>
internal sealed class GpiodHostLine : IHostGpioLine
{
    private readonly GpioController _controller;
    private readonly Lock _lock = new();
    private readonly PinChangeEventHandler _callback;
    private PinMode _mode = PinMode.Input;
    private bool _watchingEdges;
    private volatile bool _disposed;

    public GpiodHostLine(GpioController controller, HostPin pin, string owner)
    {
        _controller = controller;
        Pin = pin;
        Owner = owner;
        _callback = OnPinChanged;
        try
        {
            controller.OpenPin(pin.Line, PinMode.Input);
        }
        catch (Exception e)
        {
            CloseQuietly();
            throw GpioErrors.Claim(pin, owner, e);
        }

        try
        {
            WatchEdges(true);
        }
        catch (Exception e)
        {
            CloseQuietly();
            throw new HostHardwareException($"{owner}: {pin}: edge events cannot be enabled: {e.Message}", e);
        }
    }

    public HostPin Pin { get; }

    public string Owner { get; }

    public bool IsOutput
    {
        get
        {
            lock (_lock)
            {
                return _mode == PinMode.Output;
            }
        }
    }

    public event Action<bool, long>? EdgeDetected;

    public void SetInput(HostPull pull)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            PinMode mode = pull switch
            {
                HostPull.Up => PinMode.InputPullUp,
                HostPull.Down => PinMode.InputPullDown,
                _ => PinMode.Input,
            };

            // Chips without bias control (and old kernels) cannot pull: the line becomes a plain input, as the
            // external circuit has to provide the pull anyway on such hosts.
            if (mode != PinMode.Input && !_controller.IsPinModeSupported(Pin.Line, mode))
            {
                mode = PinMode.Input;
            }

            if (mode != _mode)
            {
                Guard(() => _controller.SetPinMode(Pin.Line, mode), "cannot be made an input");
                _mode = mode;
                Guard(() => WatchEdges(true), "cannot report edges");
            }
        }
    }

    public void SetOutput(bool level)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_mode != PinMode.Output)
            {
                Guard(() => WatchEdges(false), "cannot stop reporting edges");
                Guard(() => _controller.SetPinMode(Pin.Line, PinMode.Output), "cannot be made an output");
                _mode = PinMode.Output;
            }

            Guard(() => _controller.Write(Pin.Line, level ? PinValue.High : PinValue.Low), "cannot be written");
        }
    }

    public bool Read()
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            PinValue value = default;
            Guard(() => value = _controller.Read(Pin.Line), "cannot be read");
            return value == PinValue.High;
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            try
            {
                WatchEdges(false);
            }
            catch (Exception)
            {
                // Keep going: returning the line to an input matters more than a callback that will never fire again.
            }

            try
            {
                if (_mode != PinMode.Input && _controller.IsPinOpen(Pin.Line))
                {
                    _controller.SetPinMode(Pin.Line, PinMode.Input);
                }
            }
            catch (Exception)
            {
                // Closing still releases the line to the kernel.
            }

            CloseQuietly();
            _mode = PinMode.Input;
        }
    }

    private void WatchEdges(bool watch)
    {
        if (watch == _watchingEdges)
        {
            return;
        }

        if (watch)
        {
            _controller.RegisterCallbackForPinValueChangedEvent(Pin.Line, PinEventTypes.Rising | PinEventTypes.Falling, _callback);
        }
        else
        {
            _controller.UnregisterCallbackForPinValueChangedEvent(Pin.Line, _callback);
        }

        _watchingEdges = watch;
    }

    private void OnPinChanged(object sender, PinValueChangedEventArgs args)
    {
        long timestamp = Stopwatch.GetTimestamp();
        if (_disposed)
        {
            return;
        }

        bool level = (args.ChangeType & PinEventTypes.Rising) != 0;
        EdgeDetected?.Invoke(level, timestamp);
    }

    private void Guard(Action action, string what)
    {
        try
        {
            action();
        }
        catch (Exception e)
        {
            throw new HostHardwareException($"{Owner}: {Pin} {what}: {e.Message}", e);
        }
    }

    private void CloseQuietly()
    {
        try
        {
            if (_controller.IsPinOpen(Pin.Line))
            {
                _controller.ClosePin(Pin.Line);
            }
        }
        catch (Exception)
        {
            // Nothing more can be done for this line; the process exit closes the chip's file descriptor.
        }
    }
}
