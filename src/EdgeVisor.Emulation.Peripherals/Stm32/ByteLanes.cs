namespace EdgeVisor.Emulation.Peripherals.Stm32;

/// <summary>
/// Byte and half-word access to 32-bit STM32 registers, as the AHB/APB bridges of the F4 allow: a narrow read
/// returns the addressed lanes; a narrow write changes only its lanes. ST's own code relies on it (HAL writes
/// RCC_CR byte 2 to switch HSE, RCC_CIR bytes 1 and 2 for ready interrupts; the standard peripheral library
/// writes GPIO BSRRL/BSRRH as half-words at 0x18 and 0x1A).
/// </summary>
internal static class ByteLanes
{
    /// <summary>The addressed lanes of <paramref name="register"/> for an access of <paramref name="size"/> bytes at <paramref name="offset"/>.</summary>
    public static uint Read(uint register, uint offset, int size)
    {
        uint value = register >> (int)(8 * (offset & 3));
        return size >= 4 ? value : value & ((1u << (8 * size)) - 1);
    }

    /// <summary>The bits a write of <paramref name="size"/> bytes at <paramref name="offset"/> reaches.</summary>
    public static uint Mask(uint offset, int size) =>
        (size >= 4 ? 0xFFFFFFFFu : (1u << (8 * size)) - 1) << (int)(8 * (offset & 3));

    /// <summary>The written value moved to its lanes, zero elsewhere (for write-1-to-clear and action registers).</summary>
    public static uint Place(uint value, uint offset, int size) => (value << (int)(8 * (offset & 3))) & Mask(offset, size);

    /// <summary>The register's new value: the written lanes from <paramref name="value"/>, the rest as it reads now.</summary>
    public static uint Merge(uint current, uint value, uint offset, int size)
    {
        uint mask = Mask(offset, size);
        return (current & ~mask) | (Place(value, offset, size) & mask);
    }
}
