using BenchmarkDotNet.Attributes;
using EdgeVisor.Emulation.Machines.Testing;

namespace EdgeVisor.Bench.Micro;

/// <summary>
/// What one C# firmware test costs through the headless API, start-up included: build the board, load the
/// ELF, reset, run to a console line, and to the firmware's exit. The target is well under 0.1 s.
/// </summary>
[MemoryDiagnoser]
public class FirmwareTestBenchmarks
{
    private string _hello = "";
    private string _timer = "";

    [GlobalSetup]
    public void Setup()
    {
        string root = RepositoryRoot.Find();
        _hello = Path.Combine(root, "firmware-images", "mps2-an385", "hello.elf");
        _timer = Path.Combine(root, "firmware-images", "mps2-an385", "timer-irq.elf");
    }

    [Benchmark]
    public int HelloToExit()
    {
        using var session = FirmwareSession.Start("mps2-an385", _hello);
        session.WaitForUartLine("Hello from", TimeSpan.FromSeconds(1));
        return session.WaitForExit(TimeSpan.FromSeconds(1));
    }

    [Benchmark]
    public int TimerInterruptsToExit()
    {
        using var session = FirmwareSession.Start("mps2-an385", _timer);
        session.WaitForUartLine("timer0 tick 5/5", TimeSpan.FromSeconds(1));
        return session.WaitForExit(TimeSpan.FromSeconds(1));
    }
}
