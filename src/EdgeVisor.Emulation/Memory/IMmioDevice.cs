namespace EdgeVisor.Emulation.Memory;

/// <summary>
/// A device whose registers sit in the address space. The bus calls it only on the slow path,
/// with the offset from the start of the device's window and the access width in bytes (1, 2 or 4).
/// </summary>
public interface IMmioDevice
{
    /// <summary>Reads a register. Throw <see cref="BusFaultException"/> for an address the device does not decode.</summary>
    uint Read(uint offset, int size);

    /// <summary>Writes a register. Throw <see cref="BusFaultException"/> for an address the device does not decode.</summary>
    void Write(uint offset, uint value, int size);
}
