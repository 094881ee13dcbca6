using EdgeVisor.Emulation.Arm64.Tests.TestKit;
using EdgeVisor.Testing.Unicorn;

namespace EdgeVisor.Emulation.Arm64.Tests.Unicorn;

/// <summary>
/// Unicorn with just one executable code page at <see cref="CodeAddress"/> and no data memory: the reference for
/// tests that compare registers only (one instruction, or a short straight-line program). Set and read the state
/// through <see cref="Cpu"/>; whole-machine comparisons (memory, faults, branches) belong to
/// <see cref="UnicornDifferential"/>.
/// </summary>
internal sealed class UnicornInstructionRunner : IDisposable
{
    /// <summary>Where the code runs: the same address as <see cref="A64Machine.CodeBase"/>.</summary>
    public const ulong CodeAddress = A64Machine.CodeBase;

    private const int PageSize = 0x1000;
    private readonly byte[] _code = new byte[PageSize];
    private int _lastLength;

    /// <param name="model">The CPU model: <see cref="UnicornCpuModel.Max"/> for FEAT_FP16 or LSE, else the default Cortex-A72.</param>
    public UnicornInstructionRunner(UnicornCpuModel model = UnicornCpuModel.CortexA72)
    {
        Cpu = new Arm64Unicorn(model);
        Cpu.Map(CodeAddress, PageSize, UnicornProtection.Read | UnicornProtection.Execute);
    }

    /// <summary>The engine: registers, FPCR, FPSR and NZCV are set and read here between runs.</summary>
    public Arm64Unicorn Cpu { get; }

    /// <summary>Runs one instruction; false when Unicorn took an exception (an undefined encoding) or a memory access failed.</summary>
    public bool Execute(uint instruction) => Execute([instruction]);

    /// <summary>Runs a straight-line program of up to 1024 instructions to its end; false when Unicorn stopped early with an exception or a memory error.</summary>
    public bool Execute(ReadOnlySpan<uint> program)
    {
        if (program.Length * 4 > PageSize)
        {
            throw new ArgumentException($"program of {program.Length} instructions is longer than the {PageSize / 4}-instruction code page", nameof(program));
        }

        int length = program.Length * 4;
        System.Runtime.InteropServices.MemoryMarshal.AsBytes(program).CopyTo(_code);
        Cpu.Write(CodeAddress, _code.AsSpan(0, length));

        // Unicorn does not notice code rewritten through uc_mem_write: drop whatever it translated from the old code.
        Cpu.FlushTranslations(CodeAddress, CodeAddress + (ulong)Math.Max(length, _lastLength));
        _lastLength = length;
        return Cpu.Run(CodeAddress, CodeAddress + (ulong)length, (ulong)program.Length) == UnicornExit.Completed;
    }

    public void Dispose() => Cpu.Dispose();
}
