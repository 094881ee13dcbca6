namespace EdgeVisor.Emulation.Memory;

/// <summary>What a mapped window of the address space is backed by.</summary>
public enum RegionKind
{
    /// <summary>Readable and writable memory.</summary>
    Ram,

    /// <summary>Memory the guest can read and execute but not write; loaders write it through <see cref="AddressSpace.Load"/>.</summary>
    Rom,

    /// <summary>Registers of a device, dispatched through <see cref="IMmioDevice"/>.</summary>
    Mmio,
}
