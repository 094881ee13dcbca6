using EdgeVisor.Emulation.Arm64.Tests.TestKit;

namespace EdgeVisor.Emulation.Arm64.Tests.Crypto;

/// <summary>
/// Executes single instructions of an assembled listing in any order, so a test can drive an algorithm with the
/// guest instructions under test and do the glue (vector adds, copies) on the host.
/// </summary>
internal sealed class InstructionStepper : IDisposable
{
    private readonly A64Machine _machine = new();
    private readonly Dictionary<string, ulong> _addresses = [];

    /// <summary>Assembles one instruction per entry of <paramref name="instructions"/>.</summary>
    public InstructionStepper(params string[] instructions)
    {
        _machine.Load(Assembler.Assemble(string.Join('\n', instructions)));
        for (int i = 0; i < instructions.Length; i++)
        {
            _addresses[instructions[i]] = A64Machine.CodeBase + (ulong)(4 * i);
        }
    }

    public Arm64Cpu Cpu => _machine.Cpu;

    /// <summary>Executes <paramref name="instruction"/> (one of the listing's lines) once.</summary>
    public void Execute(string instruction)
    {
        Cpu.Pc = _addresses[instruction];
        Arm64Stop stop = _machine.Run(1);
        Assert.True(stop.Kind == Arm64StopKind.InstructionLimit, $"{instruction}: stopped with {stop.Kind}");
    }

    public void Dispose() => _machine.Dispose();
}
