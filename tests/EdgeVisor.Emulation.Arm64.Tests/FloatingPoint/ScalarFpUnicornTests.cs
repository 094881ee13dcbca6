using System.Runtime.Intrinsics;
using EdgeVisor.Emulation.Arm64.Decoding;
using EdgeVisor.Emulation.Arm64.Tests.TestKit;
using EdgeVisor.Emulation.Arm64.Tests.Unicorn;

namespace EdgeVisor.Emulation.Arm64.Tests.FloatingPoint;

/// <summary>
/// Differential tests of every scalar FP instruction class against Unicorn: random encodings over V0-V3/X0-X3 with
/// random operands (specials included) and random FPCR (all rounding modes, FZ, DN, AHP), then V0-V3, X0-X3, NZCV and
/// FPSR compared. Set EDGEVISOR_FP_SEED to replay a failure.
/// </summary>
public sealed unsafe class ScalarFpUnicornTests : IDisposable
{
    private const int Iterations = 20_000;
    private const int Registers = 4;

    private readonly A64Machine _machine = new();
    private readonly UnicornInstructionRunner _reference = new();

    private static readonly string[] ClassNames =
    [
        "two-source", "three-source", "one-source", "fcvt", "compare", "conditional-compare", "conditional-select",
        "immediate", "to-integer", "from-integer", "fixed-point", "fmov-general",
    ];

    public static TheoryData<string> Classes => new(ClassNames);

    [Theory]
    [MemberData(nameof(Classes))]
    public void Results_registers_flags_and_fpsr_match_unicorn(string instructionClass)
    {
        int seed = FpOperands.Seed();
        var random = new Random(seed);
        for (int i = 0; i < Iterations; i++)
        {
            (uint instruction, int size) = Generate(instructionClass, random);
            Compare(instruction, size, random, $"seed {seed} iteration {i}");
        }
    }

    [Fact]
    public void Unallocated_scalar_fp_encodings_are_undefined_like_unicorn()
    {
        // Random encodings in the scalar FP space (bit 30 clear, bits 28:25 = 1111): allocated exactly when Unicorn
        // (a Cortex-A72 model without FP16, FRINTTS or JSCVT) accepts them.
        int seed = FpOperands.Seed();
        var random = new Random(seed);
        for (int i = 0; i < 20_000; i++)
        {
            uint instruction = ((uint)random.Next() & 0x80FF_FFFF) | 0x1E00_0000 | ((uint)random.Next(2) << 29);
            bool ours = Encodings.IsDefined(instruction);
            bool theirs = _reference.Execute(instruction);
            Assert.True(ours == theirs, $"seed {seed}: {instruction:X8} decoded by EdgeVisor {ours}, by Unicorn {theirs}");
        }
    }

    [Fact]
    public void Random_sequences_of_scalar_fp_instructions_leave_the_same_state_as_unicorn()
    {
        // Risu-style: many instructions of every class through the core's block loop, then the whole state compared,
        // so flag accumulation and register interactions between instructions are covered too.
        int seed = FpOperands.Seed();
        var random = new Random(seed);
        for (int program = 0; program < 200; program++)
        {
            var code = new uint[40];
            for (int i = 0; i < code.Length; i++)
            {
                code[i] = Generate(ClassNames[random.Next(ClassNames.Length)], random).Instruction;
            }

            using var machine = new A64Machine().Load(code);
            SetRandomState(machine.Cpu, random, 3);
            Assert.Equal(Arm64StopKind.InstructionLimit, machine.Run((ulong)code.Length).Kind);
            Assert.True(_reference.Execute(code), $"seed {seed} program {program}: Unicorn stopped");
            CompareState(machine.Cpu, $"seed {seed} program {program} ({string.Join(' ', code.Select(c => c.ToString("X8")))})");
        }
    }

    public void Dispose()
    {
        _machine.Dispose();
        _reference.Dispose();
    }

    private void Compare(uint instruction, int size, Random random, string context)
    {
        var cpu = _machine.Cpu;
        SetRandomState(cpu, random, size);
        var op = default(Op);
        A64Decoder.Decode(instruction, A64Machine.CodeBase, ref op);
        Assert.True((op.Flags & OpFlags.EndsBlock) == 0, $"{context}: {instruction:X8} not decoded");
        op.Handler(cpu, ref op);
        Assert.True(_reference.Execute(instruction), $"{context}: Unicorn rejected {instruction:X8}");
        CompareState(cpu, $"{context}: {instruction:X8}");
    }

    /// <summary>Random FPCR, NZCV, V0-V3 (operand of <paramref name="size"/> in the low element, junk above) and X0-X3 in both cores.</summary>
    private void SetRandomState(Arm64Cpu cpu, Random random, int size)
    {
        uint fpcr = ((uint)random.Next(4) << 22)
            | (random.Next(2) == 0 ? 0 : 1u << 24)
            | (random.Next(2) == 0 ? 0 : 1u << 25)
            | (random.Next(4) == 0 ? 1u << 26 : 0);
        uint nzcv = (uint)random.Next(16) << 28;
        cpu.Fpcr = fpcr;
        cpu.Fpsr = 0;
        cpu.Nzcv = nzcv;
        _reference.Cpu.Fpcr = fpcr;
        _reference.Cpu.Fpsr = 0;
        _reference.Cpu.Nzcv = nzcv;
        Assert.Equal(fpcr, _reference.Cpu.Fpcr); // the reference really runs with these modes
        for (int n = 0; n < Registers; n++)
        {
            ulong junk = FpOperands.NextULong(random);
            ulong low = size switch
            {
                1 => (junk << 16) | FpOperands.Next(random, 1),
                2 => (junk << 32) | FpOperands.Next(random, 2),
                _ => FpOperands.Next(random, 3),
            };
            if (random.Next(8) == 0 && n > 0)
            {
                low = cpu.GetD(n - 1); // equal operands
            }

            var v = new UInt128(FpOperands.NextULong(random), low);
            cpu.V[n] = Vector128.Create((ulong)v, (ulong)(v >> 64)).AsByte();
            _reference.Cpu.SetQ(n, v);
            ulong x = random.Next(3) switch
            {
                0 => FpOperands.NextULong(random),
                1 => FpOperands.NextULong(random) >> random.Next(64),
                _ => (ulong)-(long)(FpOperands.NextULong(random) >> random.Next(64)),
            };
            cpu.X[n] = x;
            _reference.Cpu.SetX(n, x);
        }
    }

    private void CompareState(Arm64Cpu cpu, string context)
    {
        string state = $"{context} fpcr {cpu.Fpcr:X8}";
        for (int n = 0; n < Registers; n++)
        {
            var ours = cpu.V[n].AsUInt64();
            UInt128 theirs = _reference.Cpu.GetQ(n);
            Assert.True(ours[0] == (ulong)theirs && ours[1] == (ulong)(theirs >> 64),
                $"{state}: V{n} EdgeVisor {ours[1]:X16}{ours[0]:X16} Unicorn {theirs:X32}");
            Assert.True(cpu.X[n] == _reference.Cpu.GetX(n), $"{state}: X{n} EdgeVisor {cpu.X[n]:X16} Unicorn {_reference.Cpu.GetX(n):X16}");
        }

        Assert.True(cpu.Nzcv == _reference.Cpu.Nzcv, $"{state}: NZCV EdgeVisor {cpu.Nzcv:X8} Unicorn {_reference.Cpu.Nzcv:X8}");
        Assert.True(cpu.Fpsr == _reference.Cpu.Fpsr, $"{state}: FPSR EdgeVisor {cpu.Fpsr:X8} Unicorn {_reference.Cpu.Fpsr:X8}");
    }

    private static (uint Instruction, int Size) Generate(string instructionClass, Random random)
    {
        uint ptype = (uint)random.Next(2); // single or double
        int size = ptype == 0 ? 2 : 3;
        uint rd = (uint)random.Next(Registers);
        uint rn = (uint)random.Next(Registers);
        uint rm = (uint)random.Next(Registers);
        uint ra = (uint)random.Next(Registers);
        uint sf = (uint)random.Next(2);
        switch (instructionClass)
        {
            case "two-source":
                return (0x1E20_0800 | (ptype << 22) | (rm << 16) | ((uint)random.Next(9) << 12) | (rn << 5) | rd, size);
            case "three-source":
                return (0x1F00_0000 | (ptype << 22) | ((uint)random.Next(2) << 21) | (rm << 16) | ((uint)random.Next(2) << 15) | (ra << 10) | (rn << 5) | rd, size);
            case "one-source":
                uint[] opcodes = [0, 1, 2, 3, 8, 9, 10, 11, 12, 14, 15];
                return (0x1E20_4000 | (ptype << 22) | (opcodes[random.Next(opcodes.Length)] << 15) | (rn << 5) | rd, size);
            case "fcvt":
                (uint from, uint to, int fromSize) = random.Next(6) switch
                {
                    0 => (0u, 1u, 2), // single -> double
                    1 => (0u, 3u, 2), // single -> half
                    2 => (1u, 0u, 3), // double -> single
                    3 => (1u, 3u, 3), // double -> half
                    4 => (3u, 0u, 1), // half -> single
                    _ => (3u, 1u, 1), // half -> double
                };
                uint opcode = to switch { 0 => 0b000100u, 1 => 0b000101u, _ => 0b000111u };
                return (0x1E20_4000 | (from << 22) | (opcode << 15) | (rn << 5) | rd, fromSize);
            case "compare":
                return (0x1E20_2000 | (ptype << 22) | (rm << 16) | (rn << 5) | ((uint)random.Next(4) << 3), size);
            case "conditional-compare":
                return (0x1E20_0400 | (ptype << 22) | (rm << 16) | ((uint)random.Next(16) << 12) | (rn << 5) | ((uint)random.Next(32)), size);
            case "conditional-select":
                return (0x1E20_0C00 | (ptype << 22) | (rm << 16) | ((uint)random.Next(16) << 12) | (rn << 5) | rd, size);
            case "immediate":
                return (0x1E20_1000 | (ptype << 22) | ((uint)random.Next(256) << 13) | rd, size);
            case "to-integer":
                // FCVTNS/NU (rmode 00), PS/PU, MS/MU, ZS/ZU by rmode; FCVTAS/AU (opcode 10x, rmode 00).
                bool away = random.Next(5) == 0;
                uint rmode = away ? 0 : (uint)random.Next(4);
                uint conversion = (away ? 4u : 0u) | (uint)random.Next(2);
                return ((sf << 31) | 0x1E20_0000 | (ptype << 22) | (rmode << 19) | (conversion << 16) | (rn << 5) | rd, size);
            case "from-integer":
                return ((sf << 31) | 0x1E22_0000 | (ptype << 22) | ((uint)random.Next(2) << 16) | (rn << 5) | rd, size);
            case "fixed-point":
                uint scale = sf == 1 ? (uint)random.Next(1, 64) : (uint)random.Next(32, 64);
                uint kind = random.Next(2) == 0 ? 0b00_010u | (uint)random.Next(2) : 0b11_000u | (uint)random.Next(2);
                return ((sf << 31) | 0x1E00_0000 | (ptype << 22) | (kind << 16) | (scale << 10) | (rn << 5) | rd, size);
            default:
                // fmov-general: W<->S, X<->D, X<->V.D[1].
                (uint mode, uint move, int moveSize) = random.Next(3) switch
                {
                    0 => (0u, 0u, 2),
                    1 => (1u, 0b01u << 22, 3),
                    _ => (1u, (0b10u << 22) | (1u << 19), 3),
                };
                return ((mode << 31) | 0x1E26_0000 | move | ((uint)random.Next(2) << 16) | (rn << 5) | rd, moveSize);
        }
    }
}
