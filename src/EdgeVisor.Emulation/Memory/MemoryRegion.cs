namespace EdgeVisor.Emulation.Memory;

/// <summary>One window of the address space as the board maps it.</summary>
public sealed record MemoryRegion(string Name, uint Base, uint Size, RegionKind Kind, IMmioDevice? Device = null)
{
    public uint End => Base + (Size - 1);

    public bool Contains(uint address) => address >= Base && address <= End;
}
