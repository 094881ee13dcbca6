namespace EdgeVisor.Emulation.Peripherals.Stm32.Rcc;

/// <summary>
/// Which instance each bit of RCC_AHB1RSTR, RCC_APB1RSTR and RCC_APB2RSTR resets (RM0090 §7.3.5-7.3.9), by the
/// instance names the stm32f4-discovery board file uses. Blocks no board models (CRC, DMA, SPI, …) are listed
/// too: a board that lacks the instance simply has nothing to reset.
/// </summary>
internal static class PeripheralResetBits
{
    public static readonly IReadOnlyDictionary<uint, string[]> ByRegister = new Dictionary<uint, string[]>
    {
        [0x10] = Bits((0, "gpioa"), (1, "gpiob"), (2, "gpioc"), (3, "gpiod"), (4, "gpioe"), (5, "gpiof"), (6, "gpiog"), (7, "gpioh"), (8, "gpioi"),
            (12, "crc"), (21, "dma1"), (22, "dma2"), (25, "ethmac"), (29, "otghs")),
        [0x20] = Bits((0, "tim2"), (1, "tim3"), (2, "tim4"), (3, "tim5"), (4, "tim6"), (5, "tim7"), (6, "tim12"), (7, "tim13"), (8, "tim14"),
            (11, "wwdg"), (14, "spi2"), (15, "spi3"), (17, "usart2"), (18, "usart3"), (19, "uart4"), (20, "uart5"),
            (21, "i2c1"), (22, "i2c2"), (23, "i2c3"), (25, "can1"), (26, "can2"), (28, "pwr"), (29, "dac")),
        [0x24] = Bits((0, "tim1"), (1, "tim8"), (4, "usart1"), (5, "usart6"), (8, "adc"), (11, "sdio"), (12, "spi1"), (14, "syscfg"),
            (16, "tim9"), (17, "tim10"), (18, "tim11")),
    };

    private static string[] Bits(params (int Bit, string Name)[] bits)
    {
        var names = new string[32];
        foreach (var (bit, name) in bits)
        {
            names[bit] = name;
        }

        return names;
    }
}
