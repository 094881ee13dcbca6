namespace EdgeVisor.Emulation.Peripherals.Uart;

/// <summary>
/// A UART model the machine can use as its console and tests can watch: every board's UART (CMSDK, STM32 USART)
/// implements it, so the console, console input and <c>FirmwareSession</c> work the same on every board.
/// </summary>
public interface IConsoleUart : IPeripheral
{
    /// <summary>Raised for every byte the firmware transmits, with the virtual cycle it was sent at.</summary>
    event Action<byte, ulong>? ByteTransmitted;

    /// <summary>True when the receiver would take a host byte now without loss (enabled, buffer empty).</summary>
    bool CanReceive { get; }

    /// <summary>Delivers a byte from the host side (console input, a wired device).</summary>
    void Receive(byte value);
}
