using BenchmarkDotNet.Attributes;
using EdgeVisor.Emulation.Loading;
using EdgeVisor.Emulation.Machines;

namespace EdgeVisor.Bench.Micro;

/// <summary>
/// The interpreter on a fixed slice of the compute benchmark image: decode caches warm, no I/O.
/// Reported per operation = one slice of <see cref="Instructions"/> instructions.
/// </summary>
[MemoryDiagnoser]
public class InterpreterBenchmarks : IDisposable
{
    public const ulong Instructions = 10_000_000;
    private Machine? _machine;

    [Params("mps2-an385", "mps2-an386")]
    public string Board { get; set; } = "mps2-an385";

    [GlobalSetup]
    public void Setup()
    {
        string image = Path.Combine(RepositoryRoot.Find(), "firmware-images", Board, "bench-compute.elf");
        _machine = new Machine(BoardCatalog.Get(Board), new MachineOptions
        {
            ConsoleOutput = Stream.Null,
            CommandLine = ["bench-compute", "100000000"],
        });
        _machine.Load(ImageLoader.Load(image, null));
    }

    [Benchmark]
    public ulong RunTenMillionInstructions()
    {
        ulong before = _machine!.Cpu.InstructionsRetired;
        _machine.Run(new RunLimits { MaxInstructions = Instructions }, CancellationToken.None);
        return _machine.Cpu.InstructionsRetired - before;
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _machine?.Dispose();
        GC.SuppressFinalize(this);
    }
}
