namespace EdgeVisor.Hardware;

/// <summary>A host's GPIO lines (a backend: libgpiod through System.Device.Gpio, or the simulated one).</summary>
public interface IHostGpio
{
    /// <summary>The number of lines of gpiochip<paramref name="chip"/>, or null if the host has no such chip.</summary>
    int? LineCount(int chip);

    /// <summary>
    /// Claims <paramref name="pin"/> for this process as an input without bias, so nothing else can take it
    /// while the machine runs. <paramref name="owner"/> names the user in messages ("gpiod.12").
    /// Throws <see cref="HostHardwareException"/> if the chip or line does not exist or another process holds it.
    /// </summary>
    IHostGpioLine Claim(HostPin pin, string owner);
}
