using EdgeVisor.Emulation.Memory;

namespace EdgeVisor.Emulation.Tests.Memory;

/// <summary>A device that records every access and answers reads from a register file.</summary>
internal sealed class RecordingDevice : IMmioDevice
{
    private readonly Dictionary<uint, uint> _registers = [];

    public List<(bool IsWrite, uint Offset, uint Value, int Size)> Accesses { get; } = [];

    /// <summary>Offsets the device does not decode: accesses there fault.</summary>
    public HashSet<uint> Holes { get; } = [];

    public uint Read(uint offset, int size)
    {
        if (Holes.Contains(offset))
        {
            throw new BusFaultException(offset, false, "hole");
        }

        uint value = _registers.GetValueOrDefault(offset, 0xA5A50000 | offset);
        Accesses.Add((false, offset, value, size));
        return value;
    }

    public void Write(uint offset, uint value, int size)
    {
        if (Holes.Contains(offset))
        {
            throw new BusFaultException(offset, true, "hole");
        }

        Accesses.Add((true, offset, value, size));
        _registers[offset] = value;
    }
}
