using System.Text.RegularExpressions;
using EdgeVisor.Tests.Http;

namespace EdgeVisor.Cli.Tests;

/// <summary>
/// gdb-multiarch in batch mode against <c>edgevisor run --gdb</c>, and the same session against
/// qemu-system-arm's gdb stub as the reference: breakpoints, registers, stepping, memory, watchpoints (through
/// interrupts and WFI), reset, exit, detach, kill, and attaching to a running machine.
/// </summary>
public sealed partial class GdbEndToEndTests
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(20);

    public static TheoryData<string> Boards => new() { "mps2-an385", "mps2-an386" };

    [Theory]
    [MemberData(nameof(Boards))]
    public void A_debugging_session_reads_exactly_what_it_reads_under_qemu(string board)
    {
        string elf = GdbTestFirmware.Elf(board);
        string[] script =
        [
            "break main", "continue",
            "info registers r0 r1 r2 r3 r4 r5 r6 r7 r8 r9 r10 r11 r12 sp lr pc xpsr",
            "stepi", "p/x $pc", "x/4wx $sp", "p/x table",
            "set var spin = 0",
            "watch counter", "continue", "continue",
            "delete", "continue",
        ];

        string reference;
        int qemuPort = LoopbackPorts.Free();
        using (GdbProcesses.StartQemu(board, elf, qemuPort))
        {
            reference = GdbProcesses.RunGdb(elf, qemuPort, script);
        }

        int port = LoopbackPorts.Free();
        using var edgevisor = GdbProcesses.StartEdgeVisor(board, elf, port, wait: true);
        string ours = GdbProcesses.RunGdb(elf, port, script);

        // The session itself, line by line, so a failure names what differs.
        Assert.Contains($"Breakpoint 1, main () at gdbtest.c:{GdbTestFirmware.Line("main")}", ours, StringComparison.Ordinal);
        Assert.Matches(@"pc\s+0x[0-9a-f]+\s+0x[0-9a-f]+ <main\+\d+>", ours);
        Assert.Matches(@"sp\s+0x203f[0-9a-f]{4}", ours);
        Assert.Contains($"Old value = 5\nNew value = 6\nmain () at gdbtest.c:{GdbTestFirmware.Line("after-first-write")}", ours, StringComparison.Ordinal);
        Assert.Contains($"Old value = 6\nNew value = 9\nmain () at gdbtest.c:{GdbTestFirmware.Line("after-second-write")}", ours, StringComparison.Ordinal);
        Assert.Contains("exited with code 011]", ours, StringComparison.Ordinal);

        // And everything gdb printed is what it printed against QEMU.
        Assert.Equal(Normalize(reference), Normalize(ours));
        Assert.Equal(GdbTestFirmware.ExitCode, edgevisor.WaitForExit(ExitTimeout));
    }

    [Fact]
    public void Stepping_advances_the_pc_one_instruction_at_a_time()
    {
        string elf = GdbTestFirmware.Elf("mps2-an385");
        int port = LoopbackPorts.Free();
        using var edgevisor = GdbProcesses.StartEdgeVisor("mps2-an385", elf, port, wait: true);

        string output = GdbProcesses.RunGdb(elf, port, "break main", "continue", "p/x $pc", "stepi", "p/x $pc", "stepi", "p/x $pc", "kill");

        var pcs = PcValues().Matches(output).Select(m => Convert.ToUInt32(m.Groups[1].Value, 16)).ToArray();
        Assert.Equal(3, pcs.Length);
        Assert.True(pcs[0] < pcs[1] && pcs[1] < pcs[2], output);
        Assert.True(pcs[1] - pcs[0] is 2 or 4 && pcs[2] - pcs[1] is 2 or 4, $"each stepi moves one Thumb instruction:\n{output}");
    }

    [Fact]
    public void Monitor_reset_halt_goes_back_to_the_reset_handler_and_kill_ends_edgevisor()
    {
        string elf = GdbTestFirmware.Elf("mps2-an385");
        int port = LoopbackPorts.Free();
        using var edgevisor = GdbProcesses.StartEdgeVisor("mps2-an385", elf, port, wait: true);

        string output = GdbProcesses.RunGdb(elf, port,
            "break main", "continue", "monitor help", "monitor reset halt",
            "maint flush register-cache", // gdb caches registers across monitor commands
            "info symbol $pc", "continue", "kill");

        Assert.Contains("monitor reset [halt]", output, StringComparison.Ordinal);
        Assert.Contains("Reset_Handler in section .text", output, StringComparison.Ordinal);
        Assert.Equal(2, Regex.Count(output, @"Breakpoint 1, main \(\)"));
        Assert.Contains("[Inferior 1 (Remote target) killed]", output, StringComparison.Ordinal);
        Assert.NotEqual(0, edgevisor.WaitForExit(ExitTimeout));
        Assert.Contains("killed by the debugger", edgevisor.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Device_registers_read_as_words_and_a_system_reset_through_AIRCR_keeps_the_session_working()
    {
        string elf = GdbTestFirmware.Elf("mps2-an385");
        int port = LoopbackPorts.Free();
        using var edgevisor = GdbProcesses.StartEdgeVisor("mps2-an385", elf, port, wait: true);

        string output = GdbProcesses.RunGdb(elf, port,
            "x/wx 0xE000ED00", // SCB CPUID
            "break main", "continue", "set var counter = 42",
            "set var *(unsigned int *)0xE000ED0C = 0x05FA0004", // AIRCR: VECTKEY | SYSRESETREQ
            "continue", "p counter", "kill");

        Assert.Contains("0xe000ed00:\t0x412fc231", output, StringComparison.Ordinal);
        Assert.Equal(2, Regex.Count(output, @"Breakpoint 1, main \(\)"));
        Assert.Contains("$1 = 5", output, StringComparison.Ordinal); // the reset handler initialised .data again
    }

    [Fact]
    public void Detaching_lets_the_firmware_run_to_its_exit_code()
    {
        string elf = GdbTestFirmware.Elf("mps2-an385");
        int port = LoopbackPorts.Free();
        using var edgevisor = GdbProcesses.StartEdgeVisor("mps2-an385", elf, port, wait: true);

        string output = GdbProcesses.RunGdb(elf, port, "break main", "continue", "set var spin = 0", "detach");

        Assert.Contains("[Inferior 1 (Remote target) detached]", output, StringComparison.Ordinal);
        Assert.Equal(GdbTestFirmware.ExitCode, edgevisor.WaitForExit(ExitTimeout));
    }

    [Fact]
    public void Without_wait_the_machine_runs_and_gdb_attaching_halts_it_where_it_is()
    {
        string elf = GdbTestFirmware.Elf("mps2-an385");
        int port = LoopbackPorts.Free();
        using var edgevisor = GdbProcesses.StartEdgeVisor("mps2-an385", elf, port, wait: false);
        Thread.Sleep(1000); // it reaches the spin loop within microseconds of virtual time

        string output = GdbProcesses.RunGdb(elf, port, "bt", "p ticks", "set var spin = 0", "continue");

        Assert.Contains($"main () at gdbtest.c:{GdbTestFirmware.Line("spin")}", output, StringComparison.Ordinal);
        Assert.Contains("$1 = 0", output, StringComparison.Ordinal);
        Assert.Contains("exited with code 011]", output, StringComparison.Ordinal);
        Assert.Equal(GdbTestFirmware.ExitCode, edgevisor.WaitForExit(ExitTimeout));
    }

    [Fact]
    public void Ctrl_c_in_gdb_interrupts_the_running_firmware_where_it_is()
    {
        string elf = GdbTestFirmware.Elf("mps2-an385");
        int port = LoopbackPorts.Free();
        using var edgevisor = GdbProcesses.StartEdgeVisor("mps2-an385", elf, port, wait: true);
        using var gdb = GdbProcesses.StartGdb(elf, port, "continue", "bt", "p spin", "kill");
        gdb.WaitForStdout("Reset_Handler () at", GdbProcesses.Timeout); // attached; "continue" goes out next
        Thread.Sleep(500); // main spins

        gdb.Interrupt();

        gdb.WaitForExit(GdbProcesses.Timeout);
        string output = gdb.Stdout + gdb.Stderr;
        Assert.Contains("Program received signal SIGINT, Interrupt.", output, StringComparison.Ordinal);
        Assert.Contains($"in main () at gdbtest.c:{GdbTestFirmware.Line("spin")}", output, StringComparison.Ordinal);
        Assert.Contains("$1 = 1", output, StringComparison.Ordinal);
        Assert.Contains("[Inferior 1 (Remote target) killed]", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Fp_and_system_registers_are_visible_and_writable_on_the_m4f_board()
    {
        string elf = GdbTestFirmware.Elf("mps2-an386");
        int port = LoopbackPorts.Free();
        using var edgevisor = GdbProcesses.StartEdgeVisor("mps2-an386", elf, port, wait: true);

        string output = GdbProcesses.RunGdb(elf, port,
            "set $s3 = 1.5", "set $fpscr = 0x03000000", "set $primask = 1", "set $basepri = 0x40",
            "maint flush register-cache",
            "p $s3", "p/x $d1", "p/x $fpscr", "p/x $msp", "p/x $primask", "p/x $basepri", "p/x $control", "kill");

        Assert.Contains("= 1.5", output, StringComparison.Ordinal);
        Assert.Contains("= 0x3fc0000000000000", output, StringComparison.Ordinal); // d1 = s3:s2
        Assert.Contains("= 0x3000000", output, StringComparison.Ordinal);
        Assert.Contains("= 0x20400000", output, StringComparison.Ordinal); // MSP from the vector table at reset
        Assert.Contains("= 0x1\n", output, StringComparison.Ordinal);
        Assert.Contains("= 0x40\n", output, StringComparison.Ordinal);
    }

    // gdb names the inferior differently for the two stubs (QEMU announces multiprocess support).
    private static string Normalize(string gdbOutput) => InferiorName().Replace(gdbOutput, "(target)");

    [GeneratedRegex(@"\((process \d+|Remote target)\)")]
    private static partial Regex InferiorName();

    [GeneratedRegex(@"\$\d+ = 0x([0-9a-f]+)")]
    private static partial Regex PcValues();
}
