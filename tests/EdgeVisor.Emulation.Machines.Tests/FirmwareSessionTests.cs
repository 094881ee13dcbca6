using System.Text;
using EdgeVisor.Emulation.Machines.Testing;
using EdgeVisor.Emulation.Peripherals.Gpio;

namespace EdgeVisor.Emulation.Machines.Tests;

/// <summary>The headless test API on the sample images and on small programs assembled at test time.</summary>
public class FirmwareSessionTests
{
    /// <summary>Toggles GPIO0 pin 5 for ever: high for 2002 cycles, low for 2003 (one cycle per instruction).</summary>
    private const string TogglePin5 = """
        reset:
            ldr r0, =0x40010000
            movs r1, #(1 << 5)
            str r1, [r0, #0x10]     @ OUTENSET
            movs r4, #0
        loop:
            str r1, [r0, #4]        @ DATAOUT: pin 5 high
            ldr r2, =1000
        1:  subs r2, #1
            bne 1b
            str r4, [r0, #4]        @ pin 5 low
            ldr r2, =1000
        2:  subs r2, #1
            bne 2b
            b loop
        """;

    /// <summary>Echoes UART0 input, each letter shifted by one ("hal" -> "ibm"), newlines unchanged.</summary>
    private const string ShiftEcho = """
        reset:
            ldr r0, =0x40004000
            movs r1, #3
            str r1, [r0, #8]        @ CTRL: TX and RX enable
        poll:
            ldr r1, [r0, #4]        @ STATE
            tst r1, #2              @ RXFULL
            beq poll
            ldr r2, [r0]            @ DATA
            cmp r2, #10
            it ne
            addne r2, r2, #1
            str r2, [r0]
            b poll
        """;

    [Fact]
    public void Wait_for_a_line_then_read_memory_and_registers()
    {
        using var session = FirmwareSession.Start("mps2-an385", FirmwareImages.Path("mps2-an385", "timer-irq"));
        var line = session.WaitForUartLine("timer0 tick 2/5", TimeSpan.FromMilliseconds(50));
        Assert.Equal("uart0", line.Uart);
        Assert.Equal("timer0 tick 2/5", line.Text);
        Assert.InRange(line.At.TotalMilliseconds, 20.0, 20.5);
        Assert.Equal(2u, session.ReadWord(session.SymbolAddress("timer0_ticks")));
        Assert.InRange(session.ReadRegister("sp"), 0x20000000u, 0x20400000u);
        Assert.Equal(session.ReadRegister("r13"), session.ReadRegister("msp"));
        Assert.Equal(0u, session.ReadRegister("control"));
        Assert.Equal(0x21u, session.ReadMemory(0x40004FE0, 1)[0]);
        Assert.Throws<ArgumentException>(() => session.ReadRegister("r16"));
        Assert.Throws<ArgumentException>(() => session.ReadMemory(0x30000000, 4));
    }

    [Fact]
    public void Waits_consume_lines_in_order_and_a_missed_expectation_reports_the_console()
    {
        using var session = FirmwareSession.Start("mps2-an386", FirmwareImages.Path("mps2-an386", "timer-irq"));
        session.RunFor(TimeSpan.FromMilliseconds(35)); // three ticks printed before anyone waits
        Assert.Equal(TimeSpan.FromMilliseconds(35), session.VirtualTime);
        Assert.Equal("timer0 tick 1/5", session.WaitForUartLine("tick", TimeSpan.Zero).Text);
        Assert.Equal("timer0 tick 2/5", session.WaitForUartLine("tick", TimeSpan.Zero).Text);
        var e = Assert.Throws<FirmwareSessionException>(() => session.WaitForUartLine("no such line", TimeSpan.FromMilliseconds(3)));
        Assert.Contains("no a line on uart0 containing \"no such line\" within 00:00:00.0030000 of virtual time", e.Message);
        Assert.Contains("timer0 tick 3/5", e.Message);
        Assert.Equal(TimeSpan.FromMilliseconds(38), session.VirtualTime);
    }

    [Fact]
    public void A_wait_that_outlives_the_firmware_says_it_ended()
    {
        using var session = FirmwareSession.Start("mps2-an385", FirmwareImages.Path("mps2-an385", "hello"));
        var e = Assert.Throws<FirmwareSessionException>(() => session.WaitForUartLine("never printed", TimeSpan.FromSeconds(1)));
        Assert.Contains("firmware exited with code 0", e.Message);
        Assert.Equal(0, session.WaitForExit(TimeSpan.Zero));
        Assert.Equal(MachineOutcome.Exited, session.Ended?.Outcome);
    }

    [Fact]
    public void Wait_for_pin_edges_at_exact_cycles()
    {
        using var session = FirmwareSession.Start("mps2-an385", TinyFirmware.Build("toggle", TogglePin5));
        var rise1 = session.WaitForPinEdge("gpio0", 5, Edge.Rising, TimeSpan.FromMilliseconds(1));
        var fall1 = session.WaitForPinEdge("gpio0", 5, Edge.Falling, TimeSpan.FromMilliseconds(1));
        var rise2 = session.WaitForPinEdge("gpio0", 5, Edge.Rising, TimeSpan.FromMilliseconds(1));
        var any = session.WaitForPinEdge("gpio0", 5, Edge.Any, TimeSpan.FromMilliseconds(1));
        Assert.Equal("gpio0.5", rise1.Pin);
        Assert.Equal(2002UL, fall1.Cycle - rise1.Cycle); // ldr + 1000 x (subs, bne) + the store
        Assert.Equal(4005UL, rise2.Cycle - rise1.Cycle); // twice that + the branch back
        Assert.Equal(Edge.Falling, any.Edge);
        Assert.True(session.Machine.Pin("gpio0", 5).Direction == GpioDirection.Output);
        Assert.Throws<FirmwareSessionException>(() => session.WaitForPinEdge("gpio0", 6, Edge.Any, TimeSpan.FromMilliseconds(1)));
    }

    [Fact]
    public void Console_input_reaches_the_firmware_through_uart0()
    {
        var input = new MemoryStream(Encoding.ASCII.GetBytes("hal\nvms\n"));
        using var session = FirmwareSession.Start("mps2-an385", TinyFirmware.Build("echo", ShiftEcho), new MachineOptions { ConsoleInput = input });
        Assert.Equal("ibm", session.WaitForUartLine("", TimeSpan.FromMilliseconds(50)).Text);
        Assert.Equal("wnt", session.WaitForUartLine("", TimeSpan.FromMilliseconds(50)).Text);
    }

    [Fact]
    public void A_core_asleep_with_nothing_to_wake_it_ends_the_run()
    {
        using var machine = new Machine(BoardCatalog.Get("mps2-an385"));
        machine.Load(Loading.ImageLoader.Load(TinyFirmware.Build("sleep", "reset:\n    cpsid i\n    wfi\n    b reset\n"), null));
        var result = machine.Run(new RunLimits { WallTimeout = TimeSpan.FromSeconds(10) });
        Assert.Equal(MachineOutcome.Asleep, result.Outcome);
        Assert.Contains("no timer armed and no console input", result.Message);
        Assert.Contains("pc  0x", result.State);
    }

    [Fact]
    public void Console_input_the_firmware_cannot_receive_does_not_keep_a_sleeping_core_alive()
    {
        using var machine = new Machine(BoardCatalog.Get("mps2-an385"), new MachineOptions { ConsoleInput = new MemoryStream("typed ahead\n"u8.ToArray()) });
        machine.Load(Loading.ImageLoader.Load(TinyFirmware.Build("sleep-rx-off", "reset:\n    cpsid i\n    wfi\n    b reset\n"), null));
        var result = machine.Run(new RunLimits { WallTimeout = TimeSpan.FromSeconds(10) });
        Assert.Equal(MachineOutcome.Asleep, result.Outcome);
    }

    [Fact]
    public void Limits_stop_the_run_where_asked()
    {
        using var machine = new Machine(BoardCatalog.Get("mps2-an385"));
        machine.Load(Loading.ImageLoader.Load(TinyFirmware.Build("toggle-limits", TogglePin5), null));
        var byInstructions = machine.Run(new RunLimits { MaxInstructions = 12_345 });
        Assert.Equal(MachineOutcome.InstructionLimit, byInstructions.Outcome);
        Assert.Equal(12_345UL, byInstructions.Instructions);

        var byTime = machine.Run(new RunLimits { VirtualTime = TimeSpan.FromMilliseconds(2) });
        Assert.Equal(MachineOutcome.VirtualTimeLimit, byTime.Outcome);
        Assert.Equal(12_345UL + 50_000, machine.Clock.Now);

        var byWall = machine.Run(new RunLimits { WallTimeout = TimeSpan.FromMilliseconds(50) });
        Assert.Equal(MachineOutcome.Timeout, byWall.Outcome);

        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        Assert.Equal(MachineOutcome.Stopped, machine.Run(RunLimits.None, cancel.Token).Outcome);
    }

    [Fact]
    public void Trace_writes_one_line_per_instruction_with_cycle_pc_symbol_and_opcode()
    {
        var trace = new StringWriter();
        string elf = TinyFirmware.Build("toggle-trace", TogglePin5);
        using var machine = new Machine(BoardCatalog.Get("mps2-an385"), new MachineOptions { Trace = trace });
        var image = Loading.ImageLoader.Load(elf, null);
        machine.Load(image);
        var result = machine.Run(new RunLimits { MaxInstructions = 8 });
        Assert.Equal(8UL, result.Instructions);
        string[] lines = trace.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(8, lines.Length);
        uint reset = image.Symbols.Find("reset")!.Address;
        string[] first = lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["0", reset.ToString("X8", System.Globalization.CultureInfo.InvariantCulture), "reset"], first[..3]);
        Assert.Matches(@"^\s+7\s+[0-9A-F]{8}\s+loop\+0x[0-9a-f]+\s+[0-9A-F]{4}( [0-9A-F]{4})?$", lines[7]);
    }
}
