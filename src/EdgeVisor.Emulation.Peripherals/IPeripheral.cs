using EdgeVisor.Emulation.Memory;

namespace EdgeVisor.Emulation.Peripherals;

/// <summary>A device model the board maps into the address space: registers plus a reset.</summary>
public interface IPeripheral : IMmioDevice
{
    /// <summary>The instance name from the board file ("uart0").</summary>
    string Name { get; }

    /// <summary>Returns every register and output to its power-on value and cancels pending timer events.</summary>
    void Reset();
}
