namespace EdgeVisor.Emulation.Peripherals.Stm32.Rcc;

/// <summary>
/// One RCC clock source that firmware turns on and then waits for: where its ON and RDY bits live, which CIR flag
/// reports it ready, and how long it takes to become ready in virtual time (the silicon's start-up times,
/// shortened: firmware polls these bits, so a shorter wait changes nothing but the run time).
/// </summary>
internal sealed record Oscillator(string Name, uint Register, uint OnBit, uint ReadyBit, int CirFlag, TimeSpan StartUp)
{
    public static readonly Oscillator Lsi = new("LSI", RccRegisters.Csr, 1u << 0, 1u << 1, 0, TimeSpan.FromMicroseconds(40));
    public static readonly Oscillator Lse = new("LSE", RccRegisters.Bdcr, 1u << 0, 1u << 1, 1, TimeSpan.FromMilliseconds(1));
    public static readonly Oscillator Hsi = new("HSI", RccRegisters.Cr, RccRegisters.HsiOn, RccRegisters.HsiRdy, 2, TimeSpan.FromMicroseconds(2));
    public static readonly Oscillator Hse = new("HSE", RccRegisters.Cr, RccRegisters.HseOn, RccRegisters.HseRdy, 3, TimeSpan.FromMicroseconds(100));
    public static readonly Oscillator Pll = new("PLL", RccRegisters.Cr, RccRegisters.PllOn, RccRegisters.PllRdy, 4, TimeSpan.FromMicroseconds(100));
    public static readonly Oscillator PllI2s = new("PLLI2S", RccRegisters.Cr, RccRegisters.PllI2sOn, RccRegisters.PllI2sRdy, 5, TimeSpan.FromMicroseconds(100));

    /// <summary>Every source, in CIR flag order.</summary>
    public static readonly Oscillator[] All = [Lsi, Lse, Hsi, Hse, Pll, PllI2s];
}
