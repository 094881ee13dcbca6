using System.Runtime.InteropServices;

namespace EdgeVisor.Hardware.Gpiod;

/// <summary>Turns what System.Device.Gpio throws when a line cannot be requested into one clear line.</summary>
internal static class GpioErrors
{
    private const int Ebusy = 16;

    /// <summary>The error for a failed claim: "in use by another process" when the kernel said EBUSY.</summary>
    public static HostHardwareException Claim(HostPin pin, string owner, Exception error)
    {
        if (IsBusy(error))
        {
            return new HostHardwareException($"{owner}: {pin} is in use by another process (the kernel refused the request: device or resource busy); stop that process or choose another line", error);
        }

        return new HostHardwareException($"{owner}: {pin} cannot be claimed: {error.Message}", error);
    }

    // The drivers report a refused line request as an IOException whose text carries the errno; libgpiod's
    // P/Invokes set the last error too, so either can say EBUSY.
    private static bool IsBusy(Exception error)
    {
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            if (e.Message.Contains("busy", StringComparison.OrdinalIgnoreCase)
                || e.Message.Contains("EBUSY", StringComparison.Ordinal)
                || (e is IOException && e.HResult == Ebusy))
            {
                return true;
            }
        }

        return error is IOException && Marshal.GetLastPInvokeError() == Ebusy;
    }
}
