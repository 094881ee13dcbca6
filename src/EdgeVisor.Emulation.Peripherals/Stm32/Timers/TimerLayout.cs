namespace EdgeVisor.Emulation.Peripherals.Stm32.Timers;

/// <summary>
/// What one family of STM32F4 timers has (RM0090 §14-§18): capture/compare channels, repetition counter and break
/// (advanced timers only), and the writable bits of each control register. Bits a family lacks read as zero.
/// </summary>
internal sealed record TimerLayout(
    string Kind,
    int Channels,
    bool Advanced,
    uint Cr1,
    uint Cr2,
    uint Smcr,
    uint Dier,
    uint Sr,
    uint Egr,
    uint Ccmr1,
    uint Ccmr2,
    uint Ccer,
    uint Dcr)
{
    /// <summary>TIM6/7: up-counting time base only (RM0090 §17).</summary>
    public static readonly TimerLayout Basic = new("basic", 0, false,
        Cr1: 0x008F, Cr2: 0x0070, Smcr: 0, Dier: 0x0101, Sr: 0x0001, Egr: 0x01, Ccmr1: 0, Ccmr2: 0, Ccer: 0, Dcr: 0);

    /// <summary>TIM2-5: four channels, up/down/center-aligned counting, slave mode (RM0090 §15).</summary>
    public static readonly TimerLayout General = new("general", 4, false,
        Cr1: 0x03FF, Cr2: 0x00F8, Smcr: 0xFFF7, Dier: 0x5F5F, Sr: 0x1E5F, Egr: 0x5F, Ccmr1: 0xFFFF, Ccmr2: 0xFFFF, Ccer: 0xBBBB, Dcr: 0x1F1F);

    /// <summary>TIM9/12: two channels, up-counting only (RM0090 §16).</summary>
    public static readonly TimerLayout GeneralTwoChannel = new("general-2ch", 2, false,
        Cr1: 0x038F, Cr2: 0, Smcr: 0x00F7, Dier: 0x0047, Sr: 0x0647, Egr: 0x47, Ccmr1: 0xFFFF, Ccmr2: 0, Ccer: 0x00BB, Dcr: 0);

    /// <summary>TIM10/11/13/14: one channel, up-counting only (RM0090 §16).</summary>
    public static readonly TimerLayout GeneralOneChannel = new("general-1ch", 1, false,
        Cr1: 0x038F, Cr2: 0, Smcr: 0, Dier: 0x0003, Sr: 0x0203, Egr: 0x03, Ccmr1: 0x00FF, Ccmr2: 0, Ccer: 0x000B, Dcr: 0);

    /// <summary>TIM1/8: general purpose plus complementary outputs, repetition counter, break and COM events (RM0090 §14).</summary>
    public static readonly TimerLayout AdvancedControl = new("advanced", 4, true,
        Cr1: 0x03FF, Cr2: 0x7FFD, Smcr: 0xFFF7, Dier: 0x7FFF, Sr: 0x1EFF, Egr: 0xFF, Ccmr1: 0xFFFF, Ccmr2: 0xFFFF, Ccer: 0x3FFF, Dcr: 0x1F1F);

    /// <summary>Every layout, by the "kind" a board file names.</summary>
    public static readonly IReadOnlyList<TimerLayout> All = [Basic, General, GeneralTwoChannel, GeneralOneChannel, AdvancedControl];

    /// <summary>True if the counter can count down and center-aligned (DIR and CMS exist).</summary>
    public bool Bidirectional => (Cr1 & 0x70) != 0;
}
