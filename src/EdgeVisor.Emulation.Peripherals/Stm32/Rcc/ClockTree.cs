namespace EdgeVisor.Emulation.Peripherals.Stm32.Rcc;

/// <summary>
/// The frequencies RCC's registers produce (RM0090 §7.2): SYSCLK from the source SWS reports (HSI, HSE or the
/// main PLL: input / M × N / P), HCLK after the AHB prescaler, PCLK1/PCLK2 after the APB prescalers.
/// </summary>
internal readonly record struct ClockTree(ulong Sysclk, ulong Hclk, ulong Pclk1, ulong Pclk2)
{
    /// <summary>The internal 16 MHz RC oscillator.</summary>
    public const ulong HsiHz = 16_000_000;

    public static ClockTree From(uint cfgr, uint pllcfgr, ulong hseHz)
    {
        ulong sysclk = ((cfgr >> RccRegisters.SwsShift) & 0x3) switch
        {
            1 => hseHz,
            2 => PllOutput(pllcfgr, hseHz),
            _ => HsiHz,
        };
        ulong hclk = sysclk >> AhbShift((cfgr >> 4) & 0xF);
        return new ClockTree(sysclk, hclk, hclk >> ApbShift((cfgr >> 10) & 0x7), hclk >> ApbShift((cfgr >> 13) & 0x7));
    }

    /// <summary>Main PLL output (the "P" output that can clock the system).</summary>
    public static ulong PllOutput(uint pllcfgr, ulong hseHz)
    {
        ulong input = (pllcfgr & RccRegisters.PllSrcHse) != 0 ? hseHz : HsiHz;
        uint m = pllcfgr & 0x3F;
        uint n = (pllcfgr >> 6) & 0x1FF;
        uint p = (((pllcfgr >> 16) & 0x3) + 1) * 2;
        // M = 0 or 1 is a configuration the manual forbids; treat it as 2 rather than divide by zero.
        return input * n / Math.Max(m, 2) / p;
    }

    /// <summary>HPRE: 0xxx = /1, 1000 = /2 … 1011 = /16, 1100 = /64 … 1111 = /512 (there is no /32).</summary>
    private static int AhbShift(uint hpre) => hpre < 8 ? 0 : hpre < 12 ? (int)hpre - 7 : (int)hpre - 6;

    /// <summary>PPRE: 0xx = /1, 100 = /2, 101 = /4, 110 = /8, 111 = /16.</summary>
    private static int ApbShift(uint ppre) => ppre < 4 ? 0 : (int)ppre - 3;
}
