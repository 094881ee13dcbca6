using EdgeVisor.Cli.Tests.Firmware;
using EdgeVisor.Testing.Processes;

namespace EdgeVisor.Cli.Tests;

/// <summary>
/// <c>edgevisor run</c> as a user meets it: the process, its output and its exit code. Each way a run can
/// end has its own exit code and a one-line message on stderr; bad input never produces a stack trace.
/// Small raw images are written here as bytes (vector table plus a few Thumb halfwords) so each case is explicit.
/// </summary>
public sealed class RunCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("edgevisor-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Hello_image_prints_its_banner_and_exits_zero()
    {
        var result = await Cli("run", Sample("mps2-an385", "hello"));

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Hello from mps2-an385", ProcessRunner.AsText(result.Stdout), StringComparison.Ordinal);
        Assert.Equal("", result.Stderr);
    }

    [Fact]
    public async Task A_file_that_is_no_image_is_a_one_line_error_with_its_own_exit_code()
    {
        string path = Write("notes.elf", "just some text, not firmware\n"u8.ToArray());

        var result = await Cli("run", path);

        Assert.Equal(ExitCodes.BadImage, result.ExitCode);
        AssertOneLineError(result, "notes.elf");
    }

    [Fact]
    public async Task An_elf_for_another_architecture_is_refused()
    {
        var result = await Cli("run", "/bin/true");

        Assert.Equal(ExitCodes.BadImage, result.ExitCode);
        AssertOneLineError(result, "true");
        Assert.Contains("ARM", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_binary_loaded_outside_the_boards_memory_is_refused()
    {
        string path = Write("far.bin", LoopForever());

        var result = await Cli("run", "--load-address", "0x90000000", path);

        Assert.Equal(ExitCodes.BadImage, result.ExitCode);
        AssertOneLineError(result, "0x90000000");
    }

    [Fact]
    public async Task A_raw_binary_without_a_load_address_says_what_is_missing()
    {
        var result = await Cli("run", Write("plain.bin", LoopForever()));

        Assert.Equal(ExitCodes.BadImage, result.ExitCode);
        AssertOneLineError(result, "--load-address");
    }

    [Fact]
    public async Task A_missing_file_has_its_own_exit_code()
    {
        var result = await Cli("run", Path.Combine(_dir, "absent.elf"));

        Assert.Equal(ExitCodes.NoInput, result.ExitCode);
        AssertOneLineError(result, "absent.elf");
    }

    [Fact]
    public async Task An_unknown_board_lists_the_known_ones()
    {
        var result = await Cli("run", "--board", "no-such-board", Sample("mps2-an385", "hello"));

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        AssertOneLineError(result, "no-such-board");
        Assert.Contains("mps2-an385", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_timeout_is_a_usage_error()
    {
        var result = await Cli("run", "--timeout", "soon", Sample("mps2-an385", "hello"));

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        AssertOneLineError(result, "soon");
    }

    [Fact]
    public async Task A_firmware_that_never_ends_stops_at_the_wall_clock_timeout()
    {
        var result = await Cli("run", "--timeout", "300ms", "--load-address", "0", Write("spin.bin", LoopForever()));

        Assert.Equal(ExitCodes.Timeout, result.ExitCode);
        AssertOneLineError(result, "timeout");
    }

    [Fact]
    public async Task The_instruction_limit_stops_the_run_after_exactly_that_many_instructions()
    {
        var result = await Cli("run", "--max-instructions", "12345", "--load-address", "0", Write("spin.bin", LoopForever()));

        Assert.Equal(ExitCodes.InstructionLimit, result.ExitCode);
        AssertOneLineError(result, "12,345 instructions");
    }

    [Fact]
    public async Task A_fault_inside_the_hardfault_handler_is_a_lockup_reported_with_registers()
    {
        // Reset and HardFault both point at UDF: the first fault escalates to HardFault, the second locks up.
        var image = VectorTable(resetHandler: 0x11, hardFault: 0x11, code: [0xDE00]);

        var result = await Cli("run", "--load-address", "0", Write("lockup.bin", image));

        Assert.Equal(ExitCodes.Lockup, result.ExitCode);
        Assert.StartsWith("edgevisor: lockup", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("pc", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("hfsr", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sleeping_with_nothing_that_can_wake_the_core_is_reported_not_hung()
    {
        // WFI in a loop with no interrupt enabled and no timer armed.
        var image = VectorTable(resetHandler: 0x11, hardFault: 0x11, code: [0xBF30, 0xE7FD]);

        var result = await Cli("run", "--timeout", "20s", "--load-address", "0", Write("sleep.bin", image));

        Assert.Equal(ExitCodes.Asleep, result.ExitCode);
        AssertOneLineError(result, "asleep");
    }

    [Fact]
    public async Task A_gdb_port_another_process_holds_is_a_one_line_error()
    {
        using var holder = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        holder.Start();
        int port = ((System.Net.IPEndPoint)holder.LocalEndpoint).Port;

        var result = await Cli("run", "--gdb", port.ToString(System.Globalization.CultureInfo.InvariantCulture), Sample("mps2-an385", "hello"));

        Assert.Equal(ExitCodes.Unavailable, result.ExitCode);
        AssertOneLineError(result, port.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Boards_lists_both_mps2_boards_with_their_cores()
    {
        var result = await Cli("boards");

        string text = ProcessRunner.AsText(result.Stdout);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("mps2-an385", text, StringComparison.Ordinal);
        Assert.Contains("cortex-m3", text, StringComparison.Ordinal);
        Assert.Contains("mps2-an386", text, StringComparison.Ordinal);
        Assert.Contains("cortex-m4", text, StringComparison.Ordinal);
        Assert.Contains("uart0", text, StringComparison.Ordinal);
    }

    private static void AssertOneLineError(ProcessResult result, string mustMention)
    {
        string stderr = result.Stderr.TrimEnd('\n');
        Assert.DoesNotContain('\n', stderr);
        Assert.StartsWith("edgevisor: ", stderr, StringComparison.Ordinal);
        Assert.Contains(mustMention, stderr, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    private static string Sample(string board, string name) => Path.Combine(FirmwareTree.SourceDirectory, board, name + ".elf");

    private static Task<ProcessResult> Cli(params string[] arguments) =>
        EdgeVisorCommand.RunRawAsync(arguments);

    private string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>Reset handler at 0x10 that branches to itself forever.</summary>
    private static byte[] LoopForever() => VectorTable(resetHandler: 0x11, hardFault: 0x11, code: [0xE7FE]);

    /// <summary>SP, reset, NMI and HardFault vectors, then Thumb halfwords from 0x10.</summary>
    private static byte[] VectorTable(uint resetHandler, uint hardFault, ushort[] code)
    {
        var bytes = new List<byte>();
        foreach (uint word in new[] { 0x20001000u, resetHandler, hardFault, hardFault })
        {
            bytes.AddRange(BitConverter.GetBytes(word));
        }

        foreach (ushort halfword in code)
        {
            bytes.AddRange(BitConverter.GetBytes(halfword));
        }

        return [.. bytes];
    }
}
