using System.Device.Gpio;
using System.Device.Gpio.Drivers;

namespace EdgeVisor.Hardware.Gpiod;

/// <summary>
/// Host GPIO through System.Device.Gpio: one <see cref="GpioController"/> per chip, made by an injectable factory.
/// Production uses the libgpiod driver for /dev/gpiochipN (<see cref="CreateLibgpiodController"/>); tests put a
/// test <see cref="GpioDriver"/> under the real controller, so everything but the kernel is the real code path.
/// </summary>
public sealed class GpiodHostGpio : IHostGpio, IDisposable
{
    private readonly Func<int, GpioController> _controllerFactory;
    private readonly Func<int, bool> _chipExists;
    private readonly Dictionary<int, GpioController> _controllers = [];
    private readonly Lock _lock = new();
    private bool _disposed;

    /// <param name="controllerFactory">Makes the controller of a chip (called once per chip, on first use).</param>
    /// <param name="chipExists">Whether the chip exists (default: /dev/gpiochipN exists); a missing chip is never opened.</param>
    public GpiodHostGpio(Func<int, GpioController>? controllerFactory = null, Func<int, bool>? chipExists = null)
    {
        _controllerFactory = controllerFactory ?? CreateLibgpiodController;
        _chipExists = chipExists ?? (chip => File.Exists($"/dev/gpiochip{chip}"));
    }

    /// <summary>
    /// The production controller of gpiochip<paramref name="chip"/>. Raspberry Pi OS bookworm ships libgpiod 1.6
    /// (libgpiod.so.2), which <see cref="LibGpiodDriver"/> uses; newer systems with only libgpiod 2.x
    /// (libgpiod.so.3) get <see cref="LibGpiodV2Driver"/>.
    /// </summary>
    public static GpioController CreateLibgpiodController(int chip)
    {
        try
        {
            return new GpioController(new LibGpiodDriver(chip));
        }
        catch (DllNotFoundException)
        {
#pragma warning disable SDGPIO0001 // the v2 driver is marked experimental; it is only the fallback where libgpiod 1.x is missing
            return new GpioController(new LibGpiodV2Driver(chip));
#pragma warning restore SDGPIO0001
        }
    }

    public int? LineCount(int chip)
    {
        if (chip < 0 || !_chipExists(chip))
        {
            return null;
        }

        try
        {
            return Controller(chip).PinCount;
        }
        catch (HostHardwareException)
        {
            return null;
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

        return new GpiodHostLine(Controller(pin.Chip), pin, owner);
    }

    /// <summary>Disposes the controllers (lines should be disposed first; <see cref="HostHardware"/> does that).</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            foreach (GpioController controller in _controllers.Values)
            {
                try
                {
                    controller.Dispose();
                }
                catch (Exception)
                {
                    // Shutdown path: a controller that fails to close must not keep the others open.
                }
            }

            _controllers.Clear();
        }
    }

    private GpioController Controller(int chip)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_controllers.TryGetValue(chip, out GpioController? controller))
            {
                try
                {
                    controller = _controllerFactory(chip);
                }
                catch (Exception e) when (e is not HostHardwareException)
                {
                    throw new HostHardwareException($"gpiochip{chip} cannot be opened: {e.Message}", e);
                }

                _controllers[chip] = controller;
            }

            return controller;
        }
    }
}
