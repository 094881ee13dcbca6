namespace EdgeVisor.Emulation.Peripherals.Stm32.Flash;

/// <summary>The STM32F405/407 flash array: 1 MiB in 12 sectors of 16, 16, 16, 16, 64 and 7 × 128 KiB (RM0090 §3.3, table 5).</summary>
internal static class FlashSectors
{
    public const uint Size = 1024 * 1024;

    private static readonly uint[] Sizes = [16 * 1024, 16 * 1024, 16 * 1024, 16 * 1024, 64 * 1024, .. Enumerable.Repeat(128u * 1024, 7)];

    public static int Count => Sizes.Length;

    /// <summary>Offset in the array and size of sector <paramref name="sector"/>; null for a number the device does not have.</summary>
    public static (uint Offset, uint Size)? Of(int sector)
    {
        if (sector < 0 || sector >= Sizes.Length)
        {
            return null;
        }

        uint offset = 0;
        for (int i = 0; i < sector; i++)
        {
            offset += Sizes[i];
        }

        return (offset, Sizes[sector]);
    }
}
