namespace EdgeVisor.Emulation.Peripherals.Stm32.Usart;

/// <summary>The writable bits of CR2, CR3 and GTPR, which differ between the USARTs and UART4/5 (RM0090 §30.6).</summary>
internal sealed record UsartRegisterMasks(uint Cr2, uint Cr3, uint Gtpr)
{
    /// <summary>USART1/2/3/6: synchronous clock, LIN, smartcard and IrDA.</summary>
    public static readonly UsartRegisterMasks Usart = new(Cr2: 0x7F6F, Cr3: 0x0FFF, Gtpr: 0xFFFF);

    /// <summary>UART4/5: no CK pin (CR2 bits 8-11), no smartcard (CR3 NACK, SCEN) or flow control (RTSE, CTSE, CTSIE) and no guard time/prescaler.</summary>
    public static readonly UsartRegisterMasks Uart = new(Cr2: 0x706F, Cr3: 0x08CF, Gtpr: 0);
}
