using System.Text;
using EdgeVisor.Emulation.Loading;
using EdgeVisor.Emulation.Machines.Testing;

namespace EdgeVisor.Emulation.Machines.Tests;

/// <summary>The prebuilt sample images (firmware-images/) on both boards: output and exit code byte for byte as qemu-system-arm 7.2, and timing.</summary>
public class FirmwareImageTests
{
    public static TheoryData<string, string, string> Images()
    {
        var data = new TheoryData<string, string, string>();
        foreach (string board in FirmwareImages.Boards)
        {
            foreach (string image in new[] { "hello", "verdict", "timer-irq", "fp" })
            {
                data.Add(board, image, "");
            }

            data.Add(board, "verdict", "fail");
            data.Add(board, "verdict", "fail fail");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void Output_and_exit_code_match_qemu(string board, string image, string args)
    {
        string elf = FirmwareImages.Path(board, image);
        string[] extra = args.Length == 0 ? [] : args.Split(' ');
        var (qemuOutput, qemuExit) = QemuReference.Run(board, elf, [image, .. extra]);

        var console = new MemoryStream();
        using var machine = new Machine(BoardCatalog.Get(board), new MachineOptions { ConsoleOutput = console, CommandLine = [image, .. extra] });
        machine.Load(ImageLoader.Load(elf, null));
        var result = machine.Run(new RunLimits { WallTimeout = TimeSpan.FromSeconds(30) });

        Assert.Equal(MachineOutcome.Exited, result.Outcome);
        Assert.Equal(Encoding.UTF8.GetString(qemuOutput), Encoding.UTF8.GetString(console.ToArray()));
        Assert.Equal(qemuExit, result.ExitCode);
    }

    [Theory]
    [InlineData("mps2-an385")]
    [InlineData("mps2-an386")]
    public void Timer_irq_prints_its_ticks_exactly_ten_milliseconds_apart_in_virtual_time(string board)
    {
        using var session = FirmwareSession.Start(board, FirmwareImages.Path(board, "timer-irq"));
        session.WaitForUartLine("timer-irq on " + board, TimeSpan.FromMilliseconds(5));
        const ulong period = 250_000; // 10 ms at 25 MHz
        foreach (string source in new[] { "timer0", "systick" })
        {
            var ticks = Enumerable.Range(1, 5).Select(i => session.WaitForUartLine($"{source} tick {i}/5", TimeSpan.FromMilliseconds(15))).ToList();
            for (int i = 1; i < ticks.Count; i++)
            {
                Assert.Equal(period, ticks[i].Cycle - ticks[i - 1].Cycle);
            }
        }

        var timer0First = session.UartLines.First(l => l.Text == "timer0 tick 1/5");
        Assert.InRange(timer0First.At.TotalMilliseconds, 10.0, 10.5); // started within the first 0.5 ms
        Assert.Equal(0, session.WaitForExit(TimeSpan.FromMilliseconds(20)));
        Assert.InRange(session.VirtualTime.TotalMilliseconds, 100.0, 101.0);
    }

    [Fact]
    public void Verdict_exit_code_counts_the_checks_the_command_line_breaks()
    {
        using var session = FirmwareSession.Start("mps2-an385", FirmwareImages.Path("mps2-an385", "verdict"), new MachineOptions { CommandLine = ["verdict", "fail", "fail"] });
        Assert.Equal(2, session.WaitForExit(TimeSpan.FromSeconds(1)));
        Assert.EndsWith("FAIL 2/6\n", session.ConsoleText);
    }
}
