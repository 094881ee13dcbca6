using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using EdgeVisor.Emulation.Arm64;
using EdgeVisor.Emulation.Arm64.Memory;
using EdgeVisor.Emulation.Linux.Kernel;
using EdgeVisor.Emulation.Linux.Loading;

namespace EdgeVisor.Bench.Micro;

/// <summary>
/// The A64 interpreter on a real program in-process: the compute test program (list reversal, matrix multiply, a
/// state machine, CRC) built with <c>aarch64-linux-gnu-gcc -O2 -static</c>, run start to exit under the Linux layer
/// like <c>edgevisor exec</c>. One operation = one whole run of <see cref="Iterations"/> iterations (about 53,000
/// instructions each; the setup prints the exact count and every iteration prints emulated MIPS).
/// </summary>
[MemoryDiagnoser]
public class A64InterpreterBenchmarks : IDisposable
{
    private string? _directory;
    private string? _program;
    private ulong _instructions;
    private readonly Stopwatch _elapsed = new();
    private int _runs;

    /// <summary>The program's iteration count (its first argument).</summary>
    [Params(1000)]
    public int Iterations { get; set; } = 1000;

    [GlobalSetup]
    public void Setup()
    {
        string source = Path.Combine(RepositoryRoot.Find(), "tests", "EdgeVisor.Cli.Tests", "Programs", "Sources", "compute.c");
        if (!File.Exists(source))
        {
            throw new FileNotFoundException($"A64 benchmark: {source} not found (the compute test program)", source);
        }

        _directory = Directory.CreateTempSubdirectory("edgevisor-a64-bench-").FullName;
        _program = Path.Combine(_directory, "compute");
        A64BenchProgram.Compile(source, _program);
        _instructions = RunOnce();
        Console.WriteLine($"// A64 compute {Iterations}: {_instructions} instructions per run");
    }

    [IterationSetup]
    public void StartIteration()
    {
        _runs = 0;
        _elapsed.Restart();
    }

    [Benchmark]
    public ulong RunComputeProgram()
    {
        _runs++;
        return RunOnce();
    }

    [IterationCleanup]
    public void EndIteration()
    {
        _elapsed.Stop();
        if (_runs > 0)
        {
            Console.WriteLine($"// A64 emulated MIPS: {_instructions * (ulong)_runs / _elapsed.Elapsed.TotalSeconds / 1e6:F1}");
        }
    }

    [GlobalCleanup]
    public void Dispose()
    {
        if (_directory is not null && Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }

        GC.SuppressFinalize(this);
    }

    private ulong RunOnce()
    {
        string program = _program!;
        using var process = new LinuxProcess(new GuestMemory(), SyscallTable.CreateDefault());
        var loaded = ProgramLoader.Load(process, program, [program, Iterations.ToString(System.Globalization.CultureInfo.InvariantCulture)], [], program);
        var cpu = new Arm64Cpu(process.Memory, process.Blocks);
        ProgramLoader.Start(cpu, loaded);
        var status = process.RunMainThread(cpu);
        if (status != ExitStatus.Exited(0))
        {
            throw new InvalidOperationException($"A64 benchmark: compute ended with {status}");
        }

        return cpu.InstructionsRetired;
    }
}
