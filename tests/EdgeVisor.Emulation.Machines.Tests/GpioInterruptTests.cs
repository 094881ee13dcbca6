using EdgeVisor.Emulation.Machines.Testing;

namespace EdgeVisor.Emulation.Machines.Tests;

/// <summary>GPIO interrupts end to end: a pin driven from the test reaches the firmware through the board's NVIC lines.</summary>
public class GpioInterruptTests
{
    /// <summary>
    /// GPIO0 pin 3: rising-edge interrupt. The combined port interrupt (IRQ 6) counts at 0x20000004 and clears the
    /// status; the pin's own interrupt (IRQ 24 + 3 = 27) counts at 0x20000000. The core sleeps in between.
    /// </summary>
    private const string CountPin3Edges = """
        reset:
            ldr r0, =0x40010000
            movs r1, #(1 << 3)
            str r1, [r0, #0x28]     @ INTTYPESET: edge
            str r1, [r0, #0x30]     @ INTPOLSET: rising
            str r1, [r0, #0x20]     @ INTENSET
            ldr r0, =0xE000E100     @ NVIC ISER0
            ldr r1, =(1 << 27) | (1 << 6)
            str r1, [r0]
            cpsie i
        idle:
            wfi
            b idle
        .type combined, %function
        combined:
            ldr r0, =0x20000004
            ldr r1, [r0]
            adds r1, #1
            str r1, [r0]
            ldr r0, =0x40010000
            movs r1, #(1 << 3)
            str r1, [r0, #0x38]     @ INTCLEAR
            bx lr
        .type pin3, %function
        pin3:
            ldr r0, =0x20000000
            ldr r1, [r0]
            adds r1, #1
            str r1, [r0]
            bx lr
        """;

    [Theory]
    [InlineData("mps2-an385", "cortex-m3")]
    [InlineData("mps2-an386", "cortex-m4")]
    public void Rising_edges_driven_from_the_test_run_the_pin_and_port_handlers(string board, string cpu)
    {
        string elf = TinyFirmware.Build("gpio-irq-" + board, CountPin3Edges, cpu, new Dictionary<int, string> { [16 + 6] = "combined", [16 + 27] = "pin3" });
        using var session = FirmwareSession.Start(board, elf);
        var pin = session.Machine.Pin("gpio0", 3);
        session.RunFor(TimeSpan.FromMilliseconds(1));
        Assert.Equal(0u, session.ReadWord(0x20000000));

        pin.Drive(true);
        session.RunFor(TimeSpan.FromMilliseconds(1));
        Assert.Equal((1u, 1u), (session.ReadWord(0x20000000), session.ReadWord(0x20000004)));

        pin.Drive(false); // a falling edge: not selected
        session.RunFor(TimeSpan.FromMilliseconds(1));
        Assert.Equal((1u, 1u), (session.ReadWord(0x20000000), session.ReadWord(0x20000004)));

        pin.Drive(true);
        session.RunFor(TimeSpan.FromMilliseconds(1));
        Assert.Equal((2u, 2u), (session.ReadWord(0x20000000), session.ReadWord(0x20000004)));
        Assert.Equal(0u, session.ReadWord(0x40010038)); // status cleared by the port handler
    }
}
