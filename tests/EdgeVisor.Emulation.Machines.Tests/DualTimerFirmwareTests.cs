using EdgeVisor.Emulation.Machines.Testing;

namespace EdgeVisor.Emulation.Machines.Tests;

/// <summary>The dual timer end to end: periodic interrupts on IRQ 10, against qemu-system-arm and in exact virtual time.</summary>
public class DualTimerFirmwareTests
{
    /// <summary>
    /// Dual timer 1, periodic 32-bit, LOAD 2500 (100 us): the IRQ 10 handler clears and counts, stopping the timer at
    /// the fifth interrupt; main sleeps until then and exits (SYS_EXIT_EXTENDED) with 10 * count + RIS + MIS.
    /// </summary>
    private const string FivePeriodicInterrupts = """
        reset:
            ldr r0, =0x40002000
            ldr r1, =2500
            str r1, [r0, #0x00]     @ TIMER1LOAD
            movs r1, #0xE2          @ ENABLE | PERIODIC | INTEN | SIZE32
            str r1, [r0, #0x08]
            ldr r0, =0xE000E100
            movs r1, #(1 << 10)
            str r1, [r0]
            cpsie i
        wait:
            wfi
            ldr r2, =0x20000000
            ldr r3, [r2]
            cmp r3, #5
            blt wait
            movs r4, #10
            muls r3, r4, r3
            ldr r0, =0x40002000
            ldr r1, [r0, #0x10]     @ RIS
            adds r3, r1
            ldr r1, [r0, #0x14]     @ MIS
            adds r3, r1
            ldr r2, =0x20000100
            ldr r1, =0x20026        @ ADP_Stopped_ApplicationExit
            str r1, [r2]
            str r3, [r2, #4]
            movs r0, #0x20          @ SYS_EXIT_EXTENDED
            mov r1, r2
            bkpt 0xab
        1:  b 1b
        .type tick, %function
        tick:
            ldr r0, =0x40002000
            str r0, [r0, #0x0C]     @ TIMER1INTCLR
            ldr r2, =0x20000000
            ldr r3, [r2]
            adds r3, #1
            str r3, [r2]
            cmp r3, #5
            bne 2f
            movs r1, #0
            str r1, [r0, #0x08]     @ stop
        2:  bx lr
        """;

    [Theory]
    [InlineData("mps2-an385", "cortex-m3")]
    [InlineData("mps2-an386", "cortex-m4")]
    public void Periodic_interrupts_on_irq_10_match_qemu_and_come_every_load_plus_one_cycles(string board, string cpu)
    {
        string elf = TinyFirmware.Build("dualtimer-" + board, FivePeriodicInterrupts, cpu, new Dictionary<int, string> { [16 + 10] = "tick" });
        var (_, qemuExit) = QemuReference.Run(board, elf, ["dualtimer"]);
        using var session = FirmwareSession.Start(board, elf);
        Assert.Equal(qemuExit, session.WaitForExit(TimeSpan.FromMilliseconds(5)));
        Assert.Equal(50, qemuExit);

        // The fifth interrupt comes 2500 + 4 * 2501 cycles after the timer started, a few instructions into the run.
        ulong fifth = 2500 + (4 * 2501);
        Assert.InRange(session.Machine.Clock.Now, fifth, fifth + 100);
    }
}
