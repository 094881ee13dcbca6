using System.Globalization;
using System.Text.RegularExpressions;
using EdgeVisor.Emulation.Machines.Testing;

namespace EdgeVisor.Emulation.Machines.Tests.Stm32Samples;

/// <summary>
/// hal-init: a HAL-style clock init (HSE, PLL, flash latency, regulator scale, bus prescalers, each ready flag
/// polled) completes on the RCC model, and the clocks read back from RCC are those of a real STM32F407 at 168 MHz.
/// </summary>
public partial class HalInitSampleTests
{
    [Fact]
    public void The_clock_init_reaches_168_mhz_and_the_rcc_reports_168_168_42_84()
    {
        using var session = FirmwareSession.Start(Stm32Images.Board, Stm32Images.Path("hal-init"));

        int exit = session.WaitForExit(TimeSpan.FromMilliseconds(50));

        string console = session.ConsoleText;
        Assert.True(exit == 0, console);
        Assert.Contains("hal-init: clock init ok", console, StringComparison.Ordinal);
        Assert.Contains("SYSCLK source PLL", console, StringComparison.Ordinal);
        Assert.Contains("SYSCLK 168.000000 MHz", console, StringComparison.Ordinal);
        Assert.Contains("HCLK 168.000000 MHz", console, StringComparison.Ordinal);
        Assert.Contains("PCLK1 42.000000 MHz", console, StringComparison.Ordinal);
        Assert.Contains("PCLK2 84.000000 MHz", console, StringComparison.Ordinal);
        Assert.EndsWith("done: clocks as configured\r\n", console, StringComparison.Ordinal); // flushed before the exit
    }

    [Fact]
    public void After_the_init_the_rcc_and_flash_registers_hold_what_the_firmware_configured()
    {
        using var session = FirmwareSession.Start(Stm32Images.Board, Stm32Images.Path("hal-init"));
        session.WaitForExit(TimeSpan.FromMilliseconds(50));

        // The firmware's own reads of RCC_CR, RCC_PLLCFGR, RCC_CFGR and FLASH_ACR after the init.
        var line = session.UartLines.Single(l => l.Text.StartsWith("RCC_CR ", StringComparison.Ordinal));
        var match = RegisterLine().Match(line.Text);
        Assert.True(match.Success, line.Text);
        uint cr = Hex(match, "cr");
        uint pllcfgr = Hex(match, "pllcfgr");
        uint cfgr = Hex(match, "cfgr");
        uint acr = Hex(match, "acr");

        Assert.Equal(0x3u, (cr >> 16) & 0x3);                 // HSEON, HSERDY
        Assert.Equal(0x3u, (cr >> 24) & 0x3);                 // PLLON, PLLRDY
        Assert.Equal(8u, pllcfgr & 0x3F);                     // PLLM
        Assert.Equal(336u, (pllcfgr >> 6) & 0x1FF);           // PLLN
        Assert.Equal(0u, (pllcfgr >> 16) & 0x3);              // PLLP = /2
        Assert.Equal(1u, (pllcfgr >> 22) & 1);                // PLLSRC = HSE
        Assert.Equal(7u, (pllcfgr >> 24) & 0xF);              // PLLQ
        Assert.Equal(0x2u, cfgr & 0x3);                       // SW = PLL
        Assert.Equal(0x2u, (cfgr >> 2) & 0x3);                // SWS = PLL
        Assert.Equal(0x5u, (cfgr >> 10) & 0x7);               // PPRE1 = /4
        Assert.Equal(0x4u, (cfgr >> 13) & 0x7);               // PPRE2 = /2
        Assert.Equal(5u, acr & 0x7);                          // LATENCY = 5 wait states
        Assert.Equal(0x7u, (acr >> 8) & 0x7);                 // PRFTEN, ICEN, DCEN
    }

    [GeneratedRegex("^RCC_CR 0x(?<cr>[0-9a-f]{8}) PLLCFGR 0x(?<pllcfgr>[0-9a-f]{8}) CFGR 0x(?<cfgr>[0-9a-f]{8}) FLASH_ACR 0x(?<acr>[0-9a-f]{8})$")]
    private static partial Regex RegisterLine();

    private static uint Hex(Match match, string group) => uint.Parse(match.Groups[group].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
}
