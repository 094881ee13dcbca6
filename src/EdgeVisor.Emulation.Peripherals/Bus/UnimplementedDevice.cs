namespace EdgeVisor.Emulation.Peripherals.Bus;

/// <summary>
/// A window that reads as zero and ignores writes, like QEMU's "unimplemented device" that the MPS2 boards map
/// over reserved and unmodelled areas: firmware probing there sees what it sees under QEMU instead of a bus
/// fault. Optional fixed values make identification registers of unmodelled devices read right
/// (e.g. the Ethernet controller's ID_REV).
/// </summary>
public sealed class UnimplementedDevice : IPeripheral
{
    private readonly IReadOnlyDictionary<uint, uint> _fixedValues;

    public UnimplementedDevice(string name, IReadOnlyDictionary<uint, uint>? fixedValues = null)
    {
        Name = name;
        _fixedValues = fixedValues ?? new Dictionary<uint, uint>();
    }

    public string Name { get; }

    /// <summary>Number of accesses that landed here (a hint that firmware expects a device that is not modelled).</summary>
    public long AccessCount { get; private set; }

    public uint Read(uint offset, int size)
    {
        AccessCount++;
        return RegisterAccess.Narrow(_fixedValues.GetValueOrDefault(offset), size);
    }

    public void Write(uint offset, uint value, int size) => AccessCount++;

    public void Reset()
    {
    }
}
