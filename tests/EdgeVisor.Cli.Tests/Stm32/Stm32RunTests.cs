using System.Globalization;
using EdgeVisor.Cli.Tests.Firmware;
using EdgeVisor.Testing.Processes;

namespace EdgeVisor.Cli.Tests.Stm32;

/// <summary>
/// <c>edgevisor run --board stm32f4-discovery</c> with the sample images as a user runs them: the USART2 console on
/// stdout, the wiring file that puts sensors on I2C1, a stimulus script that presses the button, and a VCD trace
/// of the pins in virtual time.
/// </summary>
public sealed class Stm32RunTests : IDisposable
{
    private const string Board = "stm32f4-discovery";

    /// <summary>About 700 ms of blink in virtual time (most of it printing at 115200 baud): a deterministic end, unlike a wall-clock timeout.</summary>
    private const string BlinkInstructions = "4000000";
    private readonly string _dir = Directory.CreateTempSubdirectory("edgevisor-stm32-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Hal_init_prints_the_clocks_the_rcc_reports_and_exits_zero()
    {
        var result = await Run("--timeout", EdgeVisorCommand.FirmwareTimeout, Image("hal-init"));

        string stdout = ProcessRunner.AsText(result.Stdout);
        Assert.True(result.ExitCode == 0, stdout + result.Stderr);
        Assert.Contains("SYSCLK 168.000000 MHz", stdout, StringComparison.Ordinal);
        Assert.Contains("PCLK1 42.000000 MHz", stdout, StringComparison.Ordinal);
        Assert.Contains("PCLK2 84.000000 MHz", stdout, StringComparison.Ordinal);
        Assert.Contains("done: clocks as configured", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Blink_prints_a_line_per_toggle_until_the_instruction_limit()
    {
        var result = await Run("--max-instructions", BlinkInstructions, Image("blink"));

        string stdout = ProcessRunner.AsText(result.Stdout);
        Assert.Equal(ExitCodes.InstructionLimit, result.ExitCode);
        Assert.StartsWith("blink: SYSCLK 168000000 Hz", stdout, StringComparison.Ordinal);
        Assert.Contains("LD4 green on at 100 ms\r\nLD4 green off at 200 ms\r\nLD3 orange on at 250 ms\r\n", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task I2c_sensors_with_the_sample_wiring_reads_every_device_and_exits_zero()
    {
        var result = await Run("--timeout", EdgeVisorCommand.FirmwareTimeout, "--wiring", Sample("i2c-sensors.wiring.json"), Image("i2c-sensors"));

        string stdout = ProcessRunner.AsText(result.Stdout);
        Assert.True(result.ExitCode == 0, stdout + result.Stderr);
        Assert.Contains("tmp102: 21.50 C", stdout, StringComparison.Ordinal);
        Assert.Contains("bme280: chip id 0x60", stdout, StringComparison.Ordinal);
        // The wiring file's 23.25 degC, 1013.25 hPa, 45.5 %RH within the BME280's resolution at x1 oversampling.
        Assert.Matches(@"bme280: T=23\.2[3-7] C P=1013\.2[0-9] hPa H=45\.[45]\d %RH", stdout);
        Assert.Contains("read back EdgeVisr: match", stdout, StringComparison.Ordinal);
        Assert.Contains("ssd1306: drew a border and both diagonals", stdout, StringComparison.Ordinal);
        Assert.Contains("done: 0 failed", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task I2c_sensors_without_a_wiring_finds_nobody_on_the_bus()
    {
        var result = await Run("--timeout", EdgeVisorCommand.FirmwareTimeout, Image("i2c-sensors"));

        string stdout = ProcessRunner.AsText(result.Stdout);
        Assert.True(result.ExitCode == 0, stdout + result.Stderr);
        Assert.Contains("tmp102: not present at 0x48", stdout, StringComparison.Ordinal);
        Assert.Contains("bme280: not present at 0x76", stdout, StringComparison.Ordinal);
        Assert.Contains("24c02: not present at 0x50", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Button_presses_from_a_stimulus_script_print_press_lines()
    {
        var result = await Run("--max-instructions", "1000000", "--stimulus", Sample("button.stimulus"), Image("button"));

        string stdout = ProcessRunner.AsText(result.Stdout);
        Assert.Equal(ExitCodes.InstructionLimit, result.ExitCode); // a sleeping core skips ahead: far past the presses at 2 and 40 ms
        Assert.Contains("press 1\r\npress 2\r\n", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("press 3", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Trace_gpio_writes_a_vcd_with_the_ld4_edges_at_100_ms_steps()
    {
        string vcd = Path.Combine(_dir, "blink.vcd");

        var result = await Run("--max-instructions", BlinkInstructions, "--trace-gpio", vcd, Image("blink"));

        Assert.Equal(ExitCodes.InstructionLimit, result.ExitCode);
        string[] lines = await File.ReadAllLinesAsync(vcd);
        Assert.Contains("$timescale 1 ns $end", lines);
        foreach (string signal in new[] { "stm32f4-discovery.gpiod.pin12", "stm32f4-discovery.devices.ld4.on" })
        {
            var changes = VcdChanges(lines, signal);
            Assert.True(changes.Count >= 3, $"only {changes.Count} changes of {signal} in the VCD");
            Assert.Equal(['1', '0', '1'], changes.Take(3).Select(c => c.Value));
            Assert.InRange(changes[0].Nanoseconds, 100_000_000, 101_000_000);
            for (int i = 1; i < 3; i++)
            {
                Assert.Equal(100_000_000, changes[i].Nanoseconds - changes[i - 1].Nanoseconds); // LD4's period is exact to the cycle
            }
        }
    }

    /// <summary>
    /// The value changes of one 1-bit signal, named by its scopes and reference joined with dots: its identifier from
    /// the $var line, then every "#time" and "0ID"/"1ID" line after $enddefinitions (the $dumpvars values at 0 excluded).
    /// </summary>
    private static List<(long Nanoseconds, char Value)> VcdChanges(string[] lines, string signal)
    {
        string? id = null;
        var scopes = new List<string>();
        foreach (string line in lines)
        {
            string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            switch (parts)
            {
                case ["$scope", _, var scope, "$end"]:
                    scopes.Add(scope);
                    break;
                case ["$upscope", "$end"]:
                    scopes.RemoveAt(scopes.Count - 1);
                    break;
                case ["$var", _, "1", var code, var reference, "$end"] when string.Join('.', [.. scopes, reference]) == signal:
                    id = code;
                    break;
            }
        }

        Assert.True(id is not null, $"no 1-bit $var {signal} in the VCD");
        var changes = new List<(long, char)>();
        long now = 0;
        bool body = false;
        foreach (string raw in lines)
        {
            string line = raw.Trim();
            if (line.StartsWith("$enddefinitions", StringComparison.Ordinal))
            {
                body = true;
            }
            else if (body && line.StartsWith('#'))
            {
                now = long.Parse(line.AsSpan(1), CultureInfo.InvariantCulture);
            }
            else if (body && now > 0 && line.Length == id!.Length + 1 && line[0] is '0' or '1' && line.EndsWith(id, StringComparison.Ordinal))
            {
                changes.Add((now, line[0]));
            }
        }

        return changes;
    }

    private static string Image(string name) => FirmwareTree.SampleImage(Board, name);

    private static string Sample(string file) => Path.Combine(FirmwareTree.SourceDirectory, Board, file);

    private Task<ProcessResult> Run(params string[] arguments) =>
        EdgeVisorCommand.RunInAsync(["run", "--board", Board, .. arguments], _dir);
}
