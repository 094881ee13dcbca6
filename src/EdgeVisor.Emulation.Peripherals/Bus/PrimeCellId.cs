namespace EdgeVisor.Emulation.Peripherals.Bus;

/// <summary>
/// The CoreSight/PrimeCell identification block at offsets 0xFD0-0xFFC that every CMSDK peripheral carries:
/// PID4-PID7, PID0-PID3, CID0-CID3, one byte per word.
/// </summary>
public static class PrimeCellId
{
    public const uint First = 0xFD0;
    public const uint Last = 0xFFC;

    /// <summary>The component ID every CMSDK part reports (CID0-CID3).</summary>
    private static readonly byte[] ComponentId = [0x0D, 0xF0, 0x05, 0xB1];

    /// <summary>
    /// Reads an ID register of a CMSDK part with the given part number (0x820 GPIO, 0x821 UART, 0x822 timer,
    /// 0x823 dual timer, 0x824 watchdog), JEP106 ARM, revision 0. Null if <paramref name="offset"/> is not an ID register.
    /// </summary>
    public static uint? Read(uint offset, uint partNumber)
    {
        if (offset < First || offset > Last || (offset & 3) != 0)
        {
            return null;
        }

        int index = (int)((offset - First) / 4);
        return index switch
        {
            0 => 0x04, // PID4: 4KB block, JEP106 continuation code 4
            >= 1 and <= 3 => 0x00, // PID5-PID7
            4 => partNumber & 0xFF, // PID0: part number [7:0]
            5 => 0xB0 | ((partNumber >> 8) & 0xF), // PID1: JEP106 id [3:0] = 0xB, part number [11:8]
            6 => 0x1B, // PID2: revision 0, JEDEC used, JEP106 id [6:4] = 3
            7 => 0x00, // PID3
            _ => ComponentId[index - 8],
        };
    }
}
