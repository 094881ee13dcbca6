using System.Globalization;
using EdgeVisor.Cli.Tests.Firmware;
using EdgeVisor.Testing.Processes;

namespace EdgeVisor.Cli.Tests.Run;

/// <summary>
/// <c>edgevisor run --wiring/--stimulus/--trace-gpio</c> as a user meets them: a mistake in a wiring file or a
/// stimulus script is one line on stderr naming file:line and its own exit code (78), host hardware that is not
/// there is another (75), and the traces are files a viewer can read, stamped with virtual time.
/// </summary>
public sealed class WiringRunTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("edgevisor-wiring-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task A_wiring_file_naming_a_port_the_board_lacks_is_refused_with_file_line_and_path()
    {
        string wiring = WriteText("bad.json", """
            {
              "devices": [
                { "name": "led1", "type": "led", "pin": "gpioz.3" }
              ]
            }
            """);

        var result = await Cli("run", "--wiring", wiring, "--load-address", "0", WriteBytes("spin.bin", Toggler()));

        Assert.Equal(ExitCodes.BadConfiguration, result.ExitCode);
        AssertOneLineError(result, "bad.json:3: devices[0].pin: board mps2-an385 has no port gpioz (ports: gpio0…gpio3, fpgaio, scc)");
    }

    [Fact]
    public async Task A_stimulus_script_with_a_bad_line_is_refused_with_file_and_line()
    {
        string stimulus = WriteText("stim.txt", "# presses\n1ms press b1\nsoon release b1\n");

        var result = await Cli("run", "--stimulus", stimulus, "--load-address", "0", WriteBytes("spin.bin", Toggler()));

        Assert.Equal(ExitCodes.BadConfiguration, result.ExitCode);
        AssertOneLineError(result, "stim.txt:3: 'soon' is not a time");
    }

    [Fact]
    public async Task A_stimulus_for_a_device_that_is_not_wired_is_refused_listing_the_devices()
    {
        string wiring = WriteText("w.json", """{ "devices": [ { "name": "b2", "type": "button", "pin": "gpio0.3" } ] }""");
        string stimulus = WriteText("stim.txt", "1ms press b1\n");

        var result = await Cli("run", "--wiring", wiring, "--stimulus", stimulus, "--load-address", "0", WriteBytes("spin.bin", Toggler()));

        Assert.Equal(ExitCodes.BadConfiguration, result.ExitCode);
        AssertOneLineError(result, "stim.txt:1: no device or pin 'b1' (devices: b2;");
    }

    [Fact]
    public async Task A_missing_wiring_file_is_a_missing_input()
    {
        var result = await Cli("run", "--wiring", Path.Combine(_dir, "absent.json"), "--load-address", "0", WriteBytes("spin.bin", Toggler()));

        Assert.Equal(ExitCodes.NoInput, result.ExitCode);
        AssertOneLineError(result, "absent.json");
    }

    [Fact]
    public async Task A_host_line_the_access_policy_does_not_allow_is_a_wiring_error()
    {
        string wiring = WriteText("host.json", """
            { "host": { "backend": "simulated",
                        "gpio": [ { "pin": "gpio0.0", "chip": 0, "line": 40 } ] } }
            """);

        var result = await Cli("run", "--wiring", wiring, "--host-allow", "gpiochip0:2-27", "--load-address", "0", WriteBytes("spin.bin", Toggler()));

        Assert.Equal(ExitCodes.BadConfiguration, result.ExitCode);
        AssertOneLineError(result, "host.json:2: host.gpio[0]: gpiochip0 line 40 is not allowed by the host access policy");
    }

    [Fact]
    public async Task A_host_line_the_host_does_not_have_is_host_hardware_unavailable()
    {
        string wiring = WriteText("host.json", """{ "host": { "backend": "simulated", "gpio": [ { "pin": "gpio0.0", "chip": 7, "line": 1 } ] } }""");

        var result = await Cli("run", "--wiring", wiring, "--load-address", "0", WriteBytes("spin.bin", Toggler()));

        Assert.Equal(ExitCodes.HostHardwareUnavailable, result.ExitCode);
        AssertOneLineError(result, "no gpiochip7");
    }

    [Fact]
    public async Task Trace_gpio_writes_a_vcd_of_the_toggling_pin_in_virtual_nanoseconds()
    {
        string vcd = Path.Combine(_dir, "pins.vcd");

        var result = await Cli("run", "--trace-gpio", vcd, "--max-instructions", "3004", "--load-address", "0", WriteBytes("toggle.bin", Toggler()));

        Assert.Equal(ExitCodes.InstructionLimit, result.ExitCode);
        var changes = SignalChanges(File.ReadAllText(vcd), "gpio0", "pin0");
        // Three instructions per toggle at 25 MHz: 120 ns apart, from the first store on.
        Assert.Equal(1000, changes.Count);
        Assert.All(changes.Zip(changes.Skip(1)), pair => Assert.Equal(120UL, pair.Second.Time - pair.First.Time));
        Assert.Equal(changes.Select((_, i) => i % 2 == 0), changes.Select(c => c.Value));
    }

    [Fact]
    public async Task A_stimulus_presses_the_boards_own_button_at_its_virtual_time()
    {
        string stimulus = WriteText("press.txt", "1ms press b1\n+250us release b1\n");
        string vcd = Path.Combine(_dir, "b1.vcd");

        var result = await Cli(
            "run", "--board", "stm32f4-discovery", "--stimulus", stimulus, "--trace-gpio", vcd,
            "--max-instructions", "336000", "--load-address", "0x08000000", WriteBytes("spin.bin", Toggler()));

        Assert.Equal(ExitCodes.InstructionLimit, result.ExitCode);
        string text = File.ReadAllText(vcd);
        Assert.Equal([(1_000_000UL, true), (1_250_000UL, false)], SignalChanges(text, "b1", "pressed"));
        Assert.Equal([(1_000_000UL, true), (1_250_000UL, false)], SignalChanges(text, "gpioa", "pin0")); // PA0 follows B1
    }

    [Fact]
    public async Task Trace_i2c_to_stderr_logs_each_step_of_the_sensor_reads_in_virtual_time()
    {
        string samples = Path.Combine(FirmwareTree.SourceDirectory, "stm32f4-discovery");

        var result = await EdgeVisorCommand.RunInAsync(
            ["run", "--board", "stm32f4-discovery", "--timeout", "20s", "--wiring", "i2c-sensors.wiring.json", "--trace-i2c", "-", "i2c-sensors.elf"],
            samples);

        Assert.Equal(0, result.ExitCode);
        var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.All(lines, l => Assert.Matches(@"^\d+\.\d{6} ms i2c1: (S|Sr|W|R|P)\b", l));
        var times = lines.Select(l => double.Parse(l[..l.IndexOf(' ', StringComparison.Ordinal)], CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(times.Order(), times); // virtual time only moves forward
        int start = Array.FindIndex(lines, l => l.EndsWith("i2c1: S 0x48 W ACK", StringComparison.Ordinal)); // the TMP102 answers its address
        Assert.True(start >= 0, result.Stderr);
        Assert.EndsWith("i2c1: W 0x00 ACK", lines[start + 1], StringComparison.Ordinal); // temperature register pointer
    }

    [Fact]
    public async Task Sigterm_stops_the_run_and_completes_the_trace()
    {
        string vcd = Path.Combine(_dir, "term.vcd");
        string host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } h && File.Exists(h) ? h : "dotnet";
        var start = new System.Diagnostics.ProcessStartInfo(host) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string argument in new[] { Path.Combine(AppContext.BaseDirectory, "edgevisor.dll"), "run", "--timeout", "30s", "--trace-gpio", vcd, "--load-address", "0", WriteBytes("toggle.bin", Toggler()) })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        while (!File.Exists(vcd) || new FileInfo(vcd).Length < 100_000)
        {
            Assert.False(process.HasExited, "edgevisor ended before it was signalled");
            await Task.Delay(50);
        }

        using (var kill = System.Diagnostics.Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(ExitCodes.Terminated, process.ExitCode);
        Assert.StartsWith("edgevisor: terminated by SIGTERM", await stderr, StringComparison.Ordinal);
        string[] lines = File.ReadAllText(vcd).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("#", lines[^1], StringComparison.Ordinal); // the closing time stamp: the file was finished, not cut off
        Assert.NotEmpty(SignalChanges(string.Join('\n', lines), "gpio0", "pin0"));
    }

    private static void AssertOneLineError(ProcessResult result, string mustContain)
    {
        string stderr = result.Stderr.TrimEnd('\n');
        Assert.DoesNotContain('\n', stderr);
        Assert.StartsWith("edgevisor: ", stderr, StringComparison.Ordinal);
        Assert.Contains(mustContain, stderr, StringComparison.Ordinal);
    }

    /// <summary>The (time, value) changes after $dumpvars of signal <paramref name="name"/> declared in scope <paramref name="scope"/>.</summary>
    private static List<(ulong Time, bool Value)> SignalChanges(string vcd, string scope, string name)
    {
        var lines = vcd.Split('\n');
        string? currentScope = null;
        string? code = null;
        foreach (string line in lines)
        {
            string[] words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words is ["$scope", "module", var s, "$end"])
            {
                currentScope = s;
            }
            else if (words is ["$var", "wire", "1", var c, var n, "$end"] && n == name && currentScope == scope)
            {
                code = c;
            }
        }

        Assert.NotNull(code);
        var changes = new List<(ulong, bool)>();
        ulong time = 0;
        bool inDump = false;
        bool pastDump = false;
        foreach (string line in lines)
        {
            if (line == "$dumpvars")
            {
                inDump = true;
            }
            else if (inDump && line == "$end")
            {
                inDump = false;
                pastDump = true;
            }
            else if (pastDump && line.StartsWith('#'))
            {
                time = ulong.Parse(line.AsSpan(1), CultureInfo.InvariantCulture);
            }
            else if (pastDump && line.Length > 1 && line[1..] == code)
            {
                changes.Add((time, line[0] == '1'));
            }
        }

        return changes;
    }

    /// <summary>
    /// Vector table (SP, reset at 0x10), then: r0 = GPIO0 base, OUTENSET pin 0, and a three-instruction loop that
    /// stores DATAOUT and flips bit 0 (str, eors, b). On boards without GPIO0 at 0x40010000 the stores go nowhere harmful.
    /// </summary>
    private static byte[] Toggler()
    {
        var bytes = new List<byte>();
        foreach (uint word in new uint[] { 0x20001000, 0x11, 0x11, 0x11 })
        {
            bytes.AddRange(BitConverter.GetBytes(word));
        }

        ushort[] code =
        [
            0x4803, // 0x10 ldr r0, [pc, #12] (0x20)
            0x2101, // 0x12 movs r1, #1
            0x6101, // 0x14 str r1, [r0, #0x10]  OUTENSET
            0x2201, // 0x16 movs r2, #1
            0x6041, // 0x18 loop: str r1, [r0, #4]  DATAOUT
            0x4051, // 0x1A eors r1, r2
            0xE7FC, // 0x1C b loop
            0xBF00, // 0x1E nop
            0x0000, 0x4001, // 0x20 .word 0x40010000
        ];
        foreach (ushort halfword in code)
        {
            bytes.AddRange(BitConverter.GetBytes(halfword));
        }

        return [.. bytes];
    }

    private static Task<ProcessResult> Cli(params string[] arguments) => EdgeVisorCommand.RunRawAsync(arguments);

    private string WriteText(string name, string text)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private string WriteBytes(string name, byte[] bytes)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
