using System.Diagnostics;
using EdgeVisor.Emulation.Loading;
using EdgeVisor.Emulation.Machines.Testing;

namespace EdgeVisor.Emulation.Machines.Tests;

public class MachineBehaviourTests
{
    /// <summary>Counts boots in SRAM (which a reset keeps) and asks for a system reset through AIRCR until the third boot.</summary>
    private const string ResetThreeTimes = """
        reset:
            ldr r0, =0x20000000
            ldr r1, [r0]
            adds r1, #1
            str r1, [r0]
            ldr r2, =0x40004000
            ldr r3, [r2, #8]        @ UART0 CTRL as this boot found it
            str r3, [r0, #4]
            movs r3, #1
            str r3, [r2, #8]        @ leave TX enabled for the next boot to see (it must not)
            cmp r1, #3
            bge done
            ldr r2, =0xE000ED0C     @ AIRCR
            ldr r3, =0x05FA0004     @ VECTKEY | SYSRESETREQ
            str r3, [r2]
            dsb
        1:  b 1b
        done:
            cpsid i
            wfi
            b done
        """;

    /// <summary>Writes 0xFF to the first NVIC priority byte and exits (semihosting SYS_EXIT_EXTENDED) with what reads back.</summary>
    private const string PriorityProbe = """
        reset:
            ldr r0, =0xE000E400
            movs r1, #0xFF
            strb r1, [r0]
            ldrb r2, [r0]
            ldr r3, =0x20000000
            ldr r1, =0x20026        @ ADP_Stopped_ApplicationExit
            str r1, [r3]
            str r2, [r3, #4]
            movs r0, #0x20          @ SYS_EXIT_EXTENDED
            mov r1, r3
            bkpt 0xab
        2:  b 2b
        """;

    [Fact]
    public void A_system_reset_request_resets_the_core_and_the_peripherals_and_keeps_ram()
    {
        using var machine = new Machine(BoardCatalog.Get("mps2-an385"));
        machine.Load(ImageLoader.Load(TinyFirmware.Build("reset3", ResetThreeTimes), null));
        var result = machine.Run(new RunLimits { WallTimeout = TimeSpan.FromSeconds(10) });
        Assert.Equal(MachineOutcome.Asleep, result.Outcome);
        Assert.Equal(3u, machine.Bus.Read32(0x20000000));
        Assert.Equal(0u, machine.Bus.Read32(0x20000004)); // UART0 CTRL was back at its reset value on the third boot
    }

    [Theory]
    [InlineData("mps2-an385", "cortex-m3")]
    [InlineData("mps2-an386", "cortex-m4")]
    public void Nvic_priority_bits_are_qemus(string board, string cpu)
    {
        string elf = TinyFirmware.Build("prio-" + board, PriorityProbe, cpu);
        var (_, qemuExit) = QemuReference.Run(board, elf, ["prio"]);
        using var session = FirmwareSession.Start(board, elf);
        Assert.Equal(qemuExit, session.WaitForExit(TimeSpan.FromMilliseconds(1)));
        Assert.Equal(0xFF, qemuExit);
    }

    [Fact]
    public void Realtime_mode_keeps_virtual_time_from_running_ahead_of_wall_time()
    {
        using var machine = new Machine(BoardCatalog.Get("mps2-an385"), new MachineOptions { Realtime = true });
        machine.Load(ImageLoader.Load(FirmwareImages.Path("mps2-an385", "timer-irq"), null));
        var wall = Stopwatch.StartNew();
        var result = machine.Run(new RunLimits { VirtualTime = TimeSpan.FromMilliseconds(60) });
        wall.Stop();
        Assert.Equal(MachineOutcome.VirtualTimeLimit, result.Outcome);
        Assert.True(wall.Elapsed >= TimeSpan.FromMilliseconds(55), $"60 ms of virtual time took only {wall.Elapsed.TotalMilliseconds:0} ms of wall time");
    }

    [Fact]
    public void Without_realtime_a_sleeping_core_fast_forwards_to_the_next_timer_event()
    {
        using var machine = new Machine(BoardCatalog.Get("mps2-an385"));
        machine.Load(ImageLoader.Load(FirmwareImages.Path("mps2-an385", "timer-irq"), null));
        var result = machine.Run(new RunLimits { VirtualTime = TimeSpan.FromSeconds(10) });
        Assert.Equal(MachineOutcome.Exited, result.Outcome);
        Assert.True(result.Instructions < 100_000, $"{result.Instructions} instructions: the core should sleep through the 100 ms");
        Assert.InRange(result.VirtualTime.TotalMilliseconds, 100.0, 101.0);
    }
}
