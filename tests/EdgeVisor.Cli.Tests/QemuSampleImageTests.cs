using System.Text;
using EdgeVisor.Cli.Tests.Firmware;
using EdgeVisor.Testing.Processes;

namespace EdgeVisor.Cli.Tests;

/// <summary>
/// The committed sample images (firmware-images/&lt;board&gt;/*.elf) do what firmware-images/README.md
/// promises when run on the reference, qemu-system-arm (the console text, the verdict as exit code, the
/// timer ticks), which pins the images themselves; and <c>edgevisor run</c> gives exactly QEMU's output
/// and exit code for each of them.
/// </summary>
public sealed class QemuSampleImageTests
{
    public static TheoryData<string> Boards() => [.. FirmwareTree.Boards];

    /// <summary>Each sample image with the semihosting arguments that change what it does.</summary>
    public static TheoryData<string, string, string> SampleRuns()
    {
        (string Image, string Arguments)[] samples =
        [
            ("hello", ""),
            ("verdict", ""),
            ("verdict", "fail fail"),
            ("timer-irq", ""),
            ("fp", ""),
            ("bench-compute", "40"),
        ];
        var cases = new TheoryData<string, string, string>();
        foreach (string board in FirmwareTree.Boards)
        {
            foreach (var (image, arguments) in samples)
            {
                cases.Add(board, image, arguments);
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(SampleRuns))]
    public async Task Edgevisor_prints_the_same_bytes_and_exits_with_the_same_code_as_qemu(string board, string image, string arguments)
    {
        string[] argumentList = arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        await DifferentialRun.AssertSameAsQemuAsync(board, FirmwareTree.SampleImage(board, image), argumentList);
    }

    [Theory]
    [MemberData(nameof(Boards))]
    public async Task Hello_prints_a_banner_and_the_board_name_on_uart0_and_exits_0(string board)
    {
        ProcessResult run = await QemuReference.RunAsync(board, FirmwareTree.SampleImage(board, "hello"), []);

        Assert.Equal($"EdgeVisor sample firmware\nHello from {board}\n", Text(run));
        Assert.Equal(0, run.ExitCode);
    }

    [Theory]
    [InlineData("mps2-an385", 0)]
    [InlineData("mps2-an385", 1)]
    [InlineData("mps2-an386", 2)]
    public async Task Verdict_exits_with_the_number_of_failed_checks(string board, int sabotagedChecks)
    {
        string[] arguments = [.. Enumerable.Repeat("fail", sabotagedChecks)];

        ProcessResult run = await QemuReference.RunAsync(board, FirmwareTree.SampleImage(board, "verdict"), arguments);

        Assert.Equal(sabotagedChecks, run.ExitCode);
        string summary = sabotagedChecks == 0 ? "PASS 6/6\n" : $"FAIL {sabotagedChecks}/6\n";
        Assert.EndsWith(summary, Text(run), StringComparison.Ordinal);
        Assert.Equal(sabotagedChecks, Text(run).Split('\n').Count(line => line.StartsWith("FAILED ", StringComparison.Ordinal)));
    }

    [Theory]
    [MemberData(nameof(Boards))]
    public async Task Timer_irq_prints_five_timer0_ticks_then_five_systick_ticks(string board)
    {
        ProcessResult run = await QemuReference.RunAsync(board, FirmwareTree.SampleImage(board, "timer-irq"), []);

        var expected = new StringBuilder($"timer-irq on {board}: timer0 then SysTick, 10 ms period\n");
        foreach (string source in new[] { "timer0", "systick" })
        {
            for (int tick = 1; tick <= 5; tick++)
            {
                expected.Append($"{source} tick {tick}/5\n");
            }
        }

        expected.Append("done\n");
        Assert.Equal(expected.ToString(), Text(run));
        Assert.Equal(0, run.ExitCode);
    }

    [Theory]
    [InlineData("mps2-an385", "software floating point")]
    [InlineData("mps2-an386", "hardware single precision (FPv4-SP), software double")]
    public async Task Fp_prints_single_and_double_results_and_says_how_they_were_computed(string board, string mode)
    {
        ProcessResult run = await QemuReference.RunAsync(board, FirmwareTree.SampleImage(board, "fp"), []);

        string text = Text(run);
        Assert.StartsWith($"fp on {board}: {mode}\n", text, StringComparison.Ordinal);
        Assert.Contains("float  sqrtf 2 = 1.4142135\n", text, StringComparison.Ordinal);
        Assert.Contains("double exp 1   = 2.718281828459045e+00\n", text, StringComparison.Ordinal);
        Assert.Contains("double pi      = 3.1415926536\n", text, StringComparison.Ordinal);
        Assert.Equal(0, run.ExitCode);
    }

    [Theory]
    [MemberData(nameof(Boards))]
    public async Task Bench_compute_takes_its_iteration_count_from_the_command_line(string board)
    {
        ProcessResult run = await QemuReference.RunAsync(board, FirmwareTree.SampleImage(board, "bench-compute"), ["25"]);

        Assert.Matches($"^bench-compute on {board}: 25 iterations, checksum 0x[0-9a-f]{{8}}\n$", Text(run));
        Assert.Equal(0, run.ExitCode);
    }

    private static string Text(ProcessResult run) => ProcessRunner.AsText(run.Stdout);
}
