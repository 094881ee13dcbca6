namespace EdgeVisor.Emulation.Loading;

/// <summary>
/// Bytes that go to one place in the guest's physical address space. For ELF the part of a
/// segment beyond its file size is already zero-filled here.
/// </summary>
/// <param name="Address">Physical (load) address of the first byte.</param>
/// <param name="Data">The bytes to place.</param>
public sealed record ImageSegment(uint Address, byte[] Data)
{
    /// <summary>Number of bytes.</summary>
    public uint Length => (uint)Data.Length;

    /// <summary>Address of the last byte (equal to <see cref="Address"/> minus one for an empty segment).</summary>
    public uint LastAddress => Address + Length - 1;

    /// <summary>"0x00000000..0x00000FFF (4096 bytes)", for messages.</summary>
    public string DescribeRange() => $"0x{Address:X8}..0x{LastAddress:X8} ({Length} bytes)";
}
