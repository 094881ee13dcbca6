namespace EdgeVisor.Hardware;

/// <summary>
/// A host hardware problem described in one line that names the pin, bus or address and what is wrong
/// ("gpiochip0 line 17 is in use by another process"). The CLI prints <see cref="Exception.Message"/> as it is.
/// </summary>
public sealed class HostHardwareException : Exception
{
    public HostHardwareException()
    {
    }

    public HostHardwareException(string message)
        : base(message)
    {
    }

    public HostHardwareException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
