namespace EdgeVisor.Emulation.Peripherals.Stm32.I2c;

/// <summary>Register offsets and bit fields of the STM32F4 I2C (v1) block, as RM0090 §27.6 names them.</summary>
public static class Stm32I2cRegisters
{
    /// <summary>Register offsets.</summary>
    public const uint Cr1 = 0x00, Cr2 = 0x04, Oar1 = 0x08, Oar2 = 0x0C, Dr = 0x10, Sr1 = 0x14, Sr2 = 0x18, Ccr = 0x1C, Trise = 0x20, Fltr = 0x24;

    /// <summary>CR1 bits.</summary>
    public const uint Pe = 1 << 0, Smbus = 1 << 1, SmbType = 1 << 3, EnArp = 1 << 4, EnPec = 1 << 5, EnGc = 1 << 6,
        NoStretch = 1 << 7, Start = 1 << 8, Stop = 1 << 9, Ack = 1 << 10, Pos = 1 << 11, Pec = 1 << 12, Alert = 1 << 13,
        Swrst = 1 << 15;

    /// <summary>CR2 bits: FREQ (APB clock in MHz, bits 5:0) and the interrupt/DMA enables.</summary>
    public const uint FreqMask = 0x3F, ItErrEn = 1 << 8, ItEvtEn = 1 << 9, ItBufEn = 1 << 10, DmaEn = 1 << 11, Last = 1 << 12;

    /// <summary>SR1 bits.</summary>
    public const uint Sb = 1 << 0, Addr = 1 << 1, Btf = 1 << 2, Add10 = 1 << 3, StopF = 1 << 4, RxNE = 1 << 6, TxE = 1 << 7,
        Berr = 1 << 8, Arlo = 1 << 9, Af = 1 << 10, Ovr = 1 << 11, PecErr = 1 << 12, Timeout = 1 << 14, SmbAlert = 1 << 15;

    /// <summary>SR2 bits.</summary>
    public const uint Msl = 1 << 0, Busy = 1 << 1, Tra = 1 << 2, GenCall = 1 << 4, DualF = 1 << 7;

    /// <summary>CCR fields: the clock control value (11:0), DUTY (fast-mode 16/9 duty cycle) and F/S (fast mode).</summary>
    public const uint CcrValueMask = 0xFFF, Duty = 1 << 14, FastMode = 1 << 15;

    /// <summary>SR1 error flags: read/clear-by-writing-zero (rc_w0); they drive the error interrupt.</summary>
    public const uint ErrorFlags = Berr | Arlo | Af | Ovr | PecErr | Timeout | SmbAlert;

    /// <summary>SR1 flags that raise the event interrupt (ITEVTEN).</summary>
    public const uint EventFlags = Sb | Addr | Add10 | StopF | Btf;

    /// <summary>SR1 flags that raise the event interrupt only with ITBUFEN too.</summary>
    public const uint BufferFlags = TxE | RxNE;

    // Writable bits of each register (the reserved ones read as zero).
    internal const uint Cr1Writable = 0xBFFB, Cr2Writable = 0x1F3F, Oar1Writable = 0xC3FF, Oar2Writable = 0xFF,
        CcrWritable = 0xCFFF, TriseWritable = 0x3F, FltrWritable = 0x1F;

    /// <summary>TRISE after reset (RM0090: 0x0002).</summary>
    internal const uint TriseReset = 0x0002;
}
