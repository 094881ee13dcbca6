namespace EdgeVisor.Emulation.Peripherals.Stm32;

/// <summary>
/// The STM32F4 clock tree as RCC configures it, for the models whose timing depends on it (timers count at their
/// APB timer clock, USART and I2C time bytes from PCLK). RCC registers itself as this in the board's services;
/// models fall back to the core clock when a board has no RCC.
/// </summary>
public interface IStm32Clocks
{
    /// <summary>SYSCLK (HSI, HSE or PLL output).</summary>
    ulong SysclkHz { get; }

    /// <summary>HCLK, the AHB and core clock (SYSCLK / AHB prescaler).</summary>
    ulong HclkHz { get; }

    /// <summary>PCLK1 (APB1) or PCLK2 (APB2) for <paramref name="apb"/> 1 or 2.</summary>
    ulong PclkHz(int apb);

    /// <summary>The timer kernel clock on <paramref name="apb"/>: PCLK if the APB prescaler is 1, else twice PCLK.</summary>
    ulong TimerClockHz(int apb);

    /// <summary>Raised after any of these frequencies changed (firmware reprogrammed RCC).</summary>
    event Action? Changed;
}
