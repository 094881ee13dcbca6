using EdgeVisor.Emulation.Machines.Testing;
using EdgeVisor.Emulation.Peripherals.Gpio;
using EdgeVisor.Emulation.Peripherals.Stm32;
using EdgeVisor.Testing.Processes;

namespace EdgeVisor.Emulation.Machines.Tests.Stm32Board;

/// <summary>
/// Firmware built from firmware/*.c (make -C firmware-images stm32-sys-tests) on the stm32f4-discovery board:
/// the RCC, FLASH, PWR, GPIO, SYSCFG and EXTI models as firmware drives them, and EXTI/SYSCFG against QEMU.
/// </summary>
public class Stm32SystemFirmwareTests
{
    private static string Elf(string name) =>
        Path.Combine(FirmwareImages.Root, "..", "tests", "EdgeVisor.Emulation.Machines.Tests", "Stm32Board", "firmware", name + ".elf");

    [Fact]
    public void Hal_style_clock_init_reaches_168_MHz_and_systick_times_a_1_ms_blink_from_its_hclk_8_reference()
    {
        using var session = FirmwareSession.Start("stm32f4-discovery", Elf("sys-check"));
        var edges = Enumerable.Range(0, 10).Select(_ => session.WaitForPinEdge("gpiod", 12, Edge.Any, TimeSpan.FromMilliseconds(50))).ToList();

        var clocks = session.Machine.Peripheral<Peripherals.Stm32.Rcc.Stm32Rcc>("rcc") as IStm32Clocks;
        Assert.Equal((168_000_000UL, 42_000_000UL, 84_000_000UL), (clocks.SysclkHz, clocks.PclkHz(1), clocks.PclkHz(2)));
        Assert.Equal(5u, session.Machine.Bus.Read32(0x40023C00) & 0x7); // FLASH_ACR.LATENCY
        Assert.Equal(2u, (session.Machine.Bus.Read32(0x40023808) >> 2) & 3); // RCC_CFGR.SWS = PLL
        Assert.Equal(edges.Select((_, i) => i % 2 == 0 ? Edge.Rising : Edge.Falling), edges.Select(e => e.Edge));
        for (int i = 1; i < edges.Count; i++)
        {
            // 21,000 reference ticks = 168,000 core cycles per millisecond, plus a few instructions of polling.
            ulong period = edges[i].Cycle - edges[i - 1].Cycle;
            Assert.InRange(period, 167_990UL, 168_010UL);
        }
    }

    [Fact]
    public void The_user_button_on_pa0_reaches_the_exti0_handler_and_flash_programming_works()
    {
        using var session = FirmwareSession.Start("stm32f4-discovery", Elf("sys-check"));
        session.WaitForPinEdge("gpiod", 14, Edge.Rising, TimeSpan.FromMilliseconds(50)); // SWIER handled
        session.RunFor(TimeSpan.FromMilliseconds(2));
        Assert.False(session.Machine.Pin("gpiod", 13).Level);

        session.Machine.Pin("gpioa", 0).Drive(true);
        session.WaitForPinEdge("gpiod", 13, Edge.Rising, TimeSpan.FromMilliseconds(5));

        Assert.Equal(0, session.WaitForExit(TimeSpan.FromMilliseconds(100)));
        Assert.Equal(0x12345678u, session.Machine.Bus.Read32(0x080E0000));
        Assert.Equal(0xFFFFFFFFu, session.Machine.Bus.Read32(0x080E0004));
    }

    [Fact]
    public void Without_a_button_press_the_firmware_reports_the_exti_step_failed()
    {
        using var session = FirmwareSession.Start("stm32f4-discovery", Elf("sys-check"));
        Assert.Equal(4, session.WaitForExit(TimeSpan.FromMilliseconds(200)));
    }

    [Fact]
    public void Exti_and_syscfg_registers_behave_as_on_qemus_netduinoplus2()
    {
        string elf = Elf("exti-syscfg-diff");
        var qemu = ProcessRunner.Run(
            "qemu-system-arm",
            ["-M", "netduinoplus2", "-nographic", "-monitor", "none", "-serial", "null", "-semihosting-config", "enable=on,target=native", "-kernel", elf],
            Environment.CurrentDirectory,
            TimeSpan.FromSeconds(30));
        // SYS_WRITE0 is the debug console, which both emulators send to stderr.
        using var debugConsole = new MemoryStream();
        using var session = FirmwareSession.Start("stm32f4-discovery", elf, new MachineOptions { ErrorOutput = debugConsole });
        int exit = session.WaitForExit(TimeSpan.FromMilliseconds(100));
        Assert.Equal((0, 0), (qemu.ExitCode, exit));
        string expected = (System.Text.Encoding.ASCII.GetString(qemu.Stdout) + qemu.Stderr).ReplaceLineEndings("\n");
        Assert.Contains("EXTICR 00008765", expected, StringComparison.Ordinal);
        Assert.Equal(expected, System.Text.Encoding.ASCII.GetString(debugConsole.ToArray()).ReplaceLineEndings("\n"));
    }
}
