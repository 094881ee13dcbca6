namespace EdgeVisor.Emulation.Peripherals.Bus;

/// <summary>
/// How the APB/AHB models treat access widths, matching QEMU 7.2's models of these devices: a register
/// answers only at its own offset; a narrower read returns its low bytes, a narrower write is zero-extended,
/// and an offset that is not a register reads as zero and ignores writes.
/// </summary>
public static class RegisterAccess
{
    /// <summary>Truncates a 32-bit register value to an access of <paramref name="size"/> bytes.</summary>
    public static uint Narrow(uint value, int size) => size switch
    {
        1 => value & 0xFF,
        2 => value & 0xFFFF,
        _ => value,
    };
}
