using EdgeVisor.Emulation.Peripherals.I2c;

namespace EdgeVisor.Emulation.Peripherals.Devices;

/// <summary>A part that answers at several consecutive I2C addresses (a 24C16's eight 256-byte blocks).</summary>
public interface IMultiAddressTarget
{
    /// <summary>The target for each address, from the base address up.</summary>
    IReadOnlyList<II2cTarget> Targets { get; }
}
