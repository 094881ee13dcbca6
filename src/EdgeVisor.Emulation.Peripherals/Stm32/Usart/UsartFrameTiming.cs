namespace EdgeVisor.Emulation.Peripherals.Stm32.Usart;

/// <summary>
/// How long one USART character takes on the wire (RM0090 §30.3): a start bit, 8 or 9 data bits (CR1.M, the
/// parity bit included), 0.5 to 2 stop bits (CR2.STOP), each bit lasting USARTDIV x 16 (OVER8 = 0) or x 8
/// (OVER8 = 1) PCLK cycles, with USARTDIV taken from BRR.
/// </summary>
internal static class UsartFrameTiming
{
    /// <summary>PCLK cycles of one bit: BRR itself with 16x oversampling; 8 x mantissa + the 3-bit fraction with 8x.</summary>
    public static ulong PclkCyclesPerBit(uint brr, bool over8) =>
        over8 ? (8UL * (brr >> 4)) + (brr & 0x7) : brr;

    /// <summary>Half-bit periods of one frame: start bit, data bits and the stop bits CR2.STOP selects (1, 0.5, 2, 1.5).</summary>
    public static ulong HalfBitsPerFrame(bool nineDataBits, uint stopField)
    {
        ulong stopHalfBits = stopField switch
        {
            0 => 2,
            1 => 1,
            2 => 4,
            _ => 3,
        };
        return (2UL * (1 + (nineDataBits ? 9UL : 8UL))) + stopHalfBits;
    }

    /// <summary>
    /// Core cycles one frame takes at <paramref name="pclkHz"/>, with the core at <paramref name="coreHz"/>, rounded
    /// up so a frame never ends early; 0 when BRR is 0 (no baud rate programmed: the byte goes out at once, as in QEMU).
    /// </summary>
    public static ulong CoreCyclesPerFrame(uint brr, bool over8, bool nineDataBits, uint stopField, ulong pclkHz, ulong coreHz)
    {
        ulong bit = PclkCyclesPerBit(brr, over8);
        if (bit == 0 || pclkHz == 0)
        {
            return 0;
        }

        UInt128 pclkHalfBits = (UInt128)bit * HalfBitsPerFrame(nineDataBits, stopField);
        UInt128 numerator = pclkHalfBits * coreHz;
        UInt128 denominator = (UInt128)pclkHz * 2;
        return (ulong)((numerator + denominator - 1) / denominator);
    }
}
