using EdgeVisor.Emulation.Memory;

namespace EdgeVisor.Emulation.Peripherals.Bus;

/// <summary>
/// The Cortex-M3/M4 bit-band alias (ARMv7-M ARM B3.1.3): each word of the 32 MB alias region reads and writes one
/// bit of the 1 MB region at <c>target</c>: alias word (byte offset * 32 + bit * 4) is bit <c>bit</c> of byte
/// <c>byte offset</c>. QEMU enables it on the MPS2 boards (0x22000000 -> 0x20000000, 0x42000000 -> 0x40000000).
/// Writes are a read-modify-write of the target byte, as on the silicon.
/// </summary>
public sealed class BitBandAlias(string name, AddressSpace bus, uint target) : IPeripheral
{
    public string Name => name;

    public uint Read(uint offset, int size)
    {
        (uint address, int bit) = Locate(offset);
        return (uint)(bus.Read8(address) >> bit) & 1;
    }

    public void Write(uint offset, uint value, int size)
    {
        (uint address, int bit) = Locate(offset);
        byte current = bus.Read8(address);
        byte updated = (value & 1) != 0 ? (byte)(current | (1 << bit)) : (byte)(current & ~(1 << bit));
        bus.Write8(address, updated);
    }

    public void Reset()
    {
    }

    private (uint Address, int Bit) Locate(uint offset) => (target + (offset >> 5), (int)((offset >> 2) & 7));
}
