using System.Runtime.Intrinsics;
using EdgeVisor.Emulation.Arm64.Tests.TestKit;

namespace EdgeVisor.Emulation.Arm64.Tests.Simd.Arithmetic;

/// <summary>Runs one assembled instruction on a fresh machine with chosen vector registers, then exposes the result.</summary>
internal sealed class SimdTestBench : IDisposable
{
    private readonly A64Machine _machine = new();

    public Arm64Cpu Cpu => _machine.Cpu;

    /// <summary>Sets V<paramref name="register"/> from two doublewords (low first).</summary>
    public SimdTestBench With(int register, ulong low, ulong high = 0)
    {
        _machine.Cpu.V[register] = Vector128.Create(low, high).AsByte();
        return this;
    }

    /// <summary>Assembles and runs the instructions; asserts that they all executed (the run ends on the instruction budget).</summary>
    public SimdTestBench Run(string source)
    {
        var words = Assembler.Assemble(source);
        _machine.Load(words);
        var stop = _machine.Run((ulong)words.Length);
        Assert.True(stop.Kind == Arm64StopKind.InstructionLimit, $"'{source}' stopped with {stop.Kind} at 0x{stop.Address:X} (detail 0x{stop.Detail:X})");
        return this;
    }

    /// <summary>Runs one instruction word and returns why the run stopped.</summary>
    public Arm64Stop RunWord(uint word)
    {
        _machine.Load(word);
        return _machine.Run(1);
    }

    public ulong Low(int register) => _machine.Cpu.V[register].AsUInt64().GetElement(0);

    public ulong High(int register) => _machine.Cpu.V[register].AsUInt64().GetElement(1);

    public bool Saturated => (_machine.Cpu.Fpsr & (1u << 27)) != 0;

    public void Dispose() => _machine.Dispose();
}
