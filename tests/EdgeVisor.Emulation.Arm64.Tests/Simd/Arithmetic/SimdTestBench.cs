using EdgeVisor.Emulation.Arm64.Tests.TestKit;

namespace EdgeVisor.Emulation.Arm64.Tests.Simd.Arithmetic;

/// <summary>A fluent bench over <see cref="VectorTestKit"/>: set vector registers, run assembled instructions, read lanes and QC.</summary>
internal sealed class SimdTestBench : IDisposable
{
    private readonly A64Machine _machine = new();

    public Arm64Cpu Cpu => _machine.Cpu;

    /// <summary>Sets V<paramref name="register"/> from two doublewords (low first).</summary>
    public SimdTestBench With(int register, ulong low, ulong high = 0)
    {
        _machine.Cpu.V[register] = VectorTestKit.Q(low, high);
        return this;
    }

    /// <summary>Assembles and runs the instructions; asserts that they all executed (the run ends on the instruction budget).</summary>
    public SimdTestBench Run(string source)
    {
        VectorTestKit.RunExactly(_machine, source);
        return this;
    }

    /// <summary>Runs one instruction word and returns why the run stopped.</summary>
    public Arm64Stop RunWord(uint word)
    {
        _machine.Load(word);
        return _machine.Run(1);
    }

    public ulong Low(int register) => _machine.Cpu.Low(register);

    public ulong High(int register) => _machine.Cpu.High(register);

    public bool Saturated => (_machine.Cpu.Fpsr & (1u << 27)) != 0;

    public void Dispose() => _machine.Dispose();
}
