namespace EdgeVisor.Emulation.Peripherals.Stm32.Rcc;

/// <summary>RCC register offsets and bits (RM0090 §7.3) and the table of reset values and writable bits.</summary>
internal static class RccRegisters
{
    public const uint Cr = 0x00;
    public const uint PllCfgr = 0x04;
    public const uint Cfgr = 0x08;
    public const uint Cir = 0x0C;
    public const uint Bdcr = 0x70;
    public const uint Csr = 0x74;
    public const uint PllI2sCfgr = 0x84;

    /// <summary>Registers are 32-bit words 0x00-0x84.</summary>
    public const int Count = 0x88 / 4;

    // CR
    public const uint HsiOn = 1u << 0;
    public const uint HsiRdy = 1u << 1;
    public const uint HseOn = 1u << 16;
    public const uint HseRdy = 1u << 17;
    public const uint HseBypass = 1u << 18;
    public const uint PllOn = 1u << 24;
    public const uint PllRdy = 1u << 25;
    public const uint PllI2sOn = 1u << 26;
    public const uint PllI2sRdy = 1u << 27;

    // PLLCFGR
    public const uint PllSrcHse = 1u << 22;

    // CFGR
    public const uint SwMask = 0x3;
    public const int SwsShift = 2;

    // CSR
    public const uint RemoveResetFlags = 1u << 24;
    public const uint ResetFlags = 0xFE000000;

    /// <summary>CSR at power-on: BOR, PIN and POR reset flags set.</summary>
    public const uint CsrPowerOn = 0x0E000000;

    /// <summary>CIR: interrupt enables (bits 8-13) and clear bits (16-21 ready flags, 23 CSS).</summary>
    public const uint CirEnables = 0x3F00;
    public const int CirClearShift = 16;
    public const uint CssClear = 1u << 23;
    public const uint CssFlag = 1u << 7;

    /// <summary>Reset value and bits firmware may write, per register (ready flags and status bits are the model's).</summary>
    public static readonly (uint Offset, uint Reset, uint Writable)[] Table =
    [
        (Cr, 0x00000083, 0x050D00F9), // HSION, HSIRDY, HSITRIM = 16; HSICAL reads 0
        (PllCfgr, 0x24003010, 0x0F437FFF),
        (Cfgr, 0x00000000, 0xFFFFFCF3),
        (Cir, 0x00000000, CirEnables),
        (0x10, 0x00000000, 0x22E017FF), // AHB1RSTR
        (0x14, 0x00000000, 0x000000F1), // AHB2RSTR
        (0x18, 0x00000000, 0x00000001), // AHB3RSTR
        (0x20, 0x00000000, 0x36FEC9FF), // APB1RSTR
        (0x24, 0x00000000, 0x00075933), // APB2RSTR
        (0x30, 0x00100000, 0x7E7411FF), // AHB1ENR (CCM data RAM clock on at reset)
        (0x34, 0x00000000, 0x000000F1), // AHB2ENR
        (0x38, 0x00000000, 0x00000001), // AHB3ENR
        (0x40, 0x00000000, 0x36FEC9FF), // APB1ENR
        (0x44, 0x00000000, 0x00075F33), // APB2ENR
        (0x50, 0x7E6791FF, 0x7E6791FF), // AHB1LPENR
        (0x54, 0x000000F1, 0x000000F1), // AHB2LPENR
        (0x58, 0x00000001, 0x00000001), // AHB3LPENR
        (0x60, 0x36FEC9FF, 0x36FEC9FF), // APB1LPENR
        (0x64, 0x00075F33, 0x00075F33), // APB2LPENR
        (Bdcr, 0x00000000, 0x00018305), // LSEON, LSEBYP, RTCSEL, RTCEN, BDRST
        (Csr, CsrPowerOn, 0x00000001), // LSION (RMVF acts, it is not stored)
        (0x80, 0x00000000, 0xCFFFFFFF), // SSCGR
        (PllI2sCfgr, 0x20003000, 0x70007FC0),
    ];
}
