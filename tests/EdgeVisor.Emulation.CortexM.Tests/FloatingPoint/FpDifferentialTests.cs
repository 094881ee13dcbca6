using EdgeVisor.Emulation.CortexM.Tests.Unicorn;
using static EdgeVisor.Emulation.CortexM.Tests.FloatingPoint.FpCaseFactory;

namespace EdgeVisor.Emulation.CortexM.Tests.FloatingPoint;

/// <summary>
/// Differential test of the FP instructions against Unicorn 2.0.1 (QEMU 5.0 softfloat): cortex-m4f runs the FPv4-SP
/// classes on Unicorn's Cortex-M4, cortex-m7 additionally the FPv5 classes on Unicorn's Cortex-M7 (single precision only:
/// Unicorn's M7 also has double precision, which our FPv5-SP model does not). S0-S31, FPSCR (all flags), APSR and memory
/// are compared after every instruction. EDGEVISOR_SEED reproduces a failure, EDGEVISOR_DIFF_CASES runs more cases.
/// </summary>
public sealed class FpDifferentialTests
{
    private const int DefaultSeed = 20261126;
    private const int DefaultCases = 1000;

    private static readonly (string Name, FpLevel Level, Func<FpCaseFactory, FpCase> Generate)[] Classes =
    [
        ("three-register", FpLevel.FPv4, f => ThreeRegister(f, FpLevel.FPv4)),
        ("fpv5-three-register", FpLevel.FPv5, f => ThreeRegister(f, FpLevel.FPv5)),
        ("two-register", FpLevel.FPv4, f => TwoRegister(f, FpLevel.FPv4)),
        ("fpv5-two-register", FpLevel.FPv5, f => TwoRegister(f, FpLevel.FPv5)),
        ("compare-with-zero", FpLevel.FPv4, CompareWithZero),
        ("fixed-point-convert", FpLevel.FPv4, FixedPoint),
        ("vmov-immediate", FpLevel.FPv4, MoveImmediate),
        ("core-transfers", FpLevel.FPv4, CoreTransfers),
        ("status-register", FpLevel.FPv4, StatusRegister),
        ("load-store", FpLevel.FPv4, LoadStore),
        ("load-store-multiple", FpLevel.FPv4, LoadStoreMultiple),
    ];

    public static TheoryData<string, string> ModelsAndClasses()
    {
        var data = new TheoryData<string, string>();
        foreach (var (name, level, _) in Classes)
        {
            if (level == FpLevel.FPv4)
            {
                data.Add("cortex-m4f", name);
            }

            data.Add("cortex-m7", name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ModelsAndClasses))]
    public void Fp_instruction_class_matches_unicorn(string modelName, string className)
    {
        var model = CortexMModel.Find(modelName)!;
        var generate = Classes.Single(c => c.Name == className).Generate;
        int seed = int.TryParse(Environment.GetEnvironmentVariable("EDGEVISOR_SEED"), out int s) ? s : DefaultSeed;
        int cases = int.TryParse(Environment.GetEnvironmentVariable("EDGEVISOR_DIFF_CASES"), out int n) ? n : DefaultCases;
        var random = new Random(seed ^ StableHash(modelName + "/" + className));
        using var runner = new FpDifferentialRunner(model);
        var failures = new List<string>();
        for (int i = 0; i < cases && failures.Count < 5; i++)
        {
            if (runner.Run(generate(new FpCaseFactory(random)), random) is { } difference)
            {
                failures.Add($"case {i}: {difference}");
            }
        }

        Assert.True(runner.ExceptionCases == 0, $"{runner.ExceptionCases} cases faulted on both engines: the generator produces invalid encodings");
        Assert.True(failures.Count == 0, $"{className} on {modelName} differs from Unicorn (EDGEVISOR_SEED={seed}):\n{string.Join("\n\n", failures)}");
    }

    private static FpCase ThreeRegister(FpCaseFactory f, FpLevel level)
    {
        var candidates = FpInstructionTemplates.ThreeRegister.Where(t => t.Level == level).ToArray();
        var (name, encoding, _) = candidates[f.Random.Next(candidates.Length)];
        return f.Case(name, WithM(WithN(WithD(encoding, f.Single()), f.Single()), f.Single()));
    }

    private static FpCase TwoRegister(FpCaseFactory f, FpLevel level)
    {
        var candidates = FpInstructionTemplates.TwoRegister.Where(t => t.Level == level).ToArray();
        var (name, encoding, _) = candidates[f.Random.Next(candidates.Length)];
        return f.Case(name, WithM(WithD(encoding, f.Single()), f.Single()));
    }

    private static FpCase CompareWithZero(FpCaseFactory f) =>
        f.Case("vcmp #0", WithD(f.Random.Next(2) == 0 ? 0xEEB50A40u : 0xEEB50AC0u, f.Single()));

    /// <summary>VCVT between F32 and S16/U16/S32/U32 fixed point with a random number of fraction bits.</summary>
    private static FpCase FixedPoint(FpCaseFactory f)
    {
        bool toFixed = f.Random.Next(2) == 0;
        bool unsigned = f.Random.Next(2) == 0;
        bool is32 = f.Random.Next(2) == 0;
        int size = is32 ? 32 : 16;
        int fractionBits = f.Random.Next(is32 ? 1 : 0, size + 1);
        uint imm5 = (uint)(size - fractionBits);
        int d = f.Single();
        if (!toFixed && f.Random.Next(2) == 0)
        {
            f.Singles[d] = f.Integer();
        }

        uint encoding = 0xEEBA0A40 | (toFixed ? 1u << 18 : 0) | (unsigned ? 1u << 16 : 0) | (is32 ? 1u << 7 : 0) | (imm5 >> 1) | ((imm5 & 1) << 5);
        return f.Case($"vcvt fixed to={toFixed} u={unsigned} size={size} fbits={fractionBits}", WithD(encoding, d));
    }

    private static FpCase MoveImmediate(FpCaseFactory f)
    {
        uint imm8 = (uint)f.Random.Next(256);
        return f.Case($"vmov.f32 #0x{imm8:X2}", WithD(0xEEB00A00 | ((imm8 >> 4) << 16) | (imm8 & 0xF), f.Single()));
    }

    /// <summary>VMOV between core registers and singles, pairs of singles, D registers and 32-bit scalars (VMOV.32 Dd[x]).</summary>
    private static FpCase CoreTransfers(FpCaseFactory f)
    {
        int rt = f.CoreRegister();
        int rt2 = f.CoreRegister();
        while (rt2 == rt)
        {
            rt2 = f.CoreRegister();
        }

        bool toCore = f.Random.Next(2) == 0;
        uint direction = toCore ? 1u << 20 : 0;
        switch (f.Random.Next(4))
        {
            case 3:
                {
                    uint index = (uint)f.Random.Next(2);
                    uint dd = (uint)f.Random.Next(16);
                    return f.Case("vmov.32 scalar", 0xEE000B10 | direction | (index << 21) | (dd << 16) | ((uint)rt << 12));
                }

            case 0:
                return f.Case("vmov core/single", WithN(0xEE000A10 | direction | ((uint)rt << 12), f.Single()));
            case 1:
                {
                    int m = f.Random.Next(31);
                    return f.Case("vmov pair/singles", WithM(0xEC400A10 | direction | ((uint)rt2 << 16) | ((uint)rt << 12), m));
                }

            default:
                {
                    uint dm = (uint)f.Random.Next(16);
                    return f.Case("vmov pair/double", 0xEC400B10 | direction | ((uint)rt2 << 16) | ((uint)rt << 12) | dm);
                }
        }
    }

    /// <summary>VMRS Rt / APSR_nzcv, VMSR, preceded by a compare so the flags are interesting.</summary>
    private static FpCase StatusRegister(FpCaseFactory f)
    {
        int rt = f.CoreRegister();
        switch (f.Random.Next(3))
        {
            case 0:
                return f.Case("vmrs rt, fpscr", 0xEEF10A10 | ((uint)rt << 12));
            case 1:
                return f.Case("vcmp; vmrs APSR_nzcv", WithM(WithD(0xEEB40A40, f.Single()), f.Single()), 0xEEF1FA10);
            default:
                f.Registers[rt] = f.Random.Next(2) == 0 ? f.Integer() : (uint)f.Random.NextInt64(0, 1L << 32);
                return f.Case("vmsr fpscr, rt; vadd", 0xEEE10A10 | ((uint)rt << 12), WithM(WithN(WithD(0xEE300A00, f.Single()), f.Single()), f.Single()));
        }
    }

    /// <summary>
    /// VLDR/VSTR single and double, positive and negative offsets. Word-aligned only: QEMU 5.0 does not raise the
    /// UNALIGNED UsageFault the ARM ARM requires for FP loads/stores (FpMemoryTests checks that against the ARM ARM).
    /// </summary>
    private static FpCase LoadStore(FpCaseFactory f)
    {
        int rn = f.CoreRegister();
        f.PointIntoData(rn);
        bool load = f.Random.Next(2) == 0;
        bool add = f.Random.Next(2) == 0;
        bool isDouble = f.Random.Next(2) == 0;
        uint imm8 = (uint)f.Random.Next(0, 256);
        uint encoding = 0xED000A00 | (load ? 1u << 20 : 0) | (add ? 1u << 23 : 0) | ((uint)rn << 16) | imm8;
        if (isDouble)
        {
            uint d = (uint)f.Random.Next(16);
            return f.Case($"{(load ? "vldr" : "vstr")} d", encoding | 0x100 | ((d & 0xF) << 12));
        }

        return f.Case($"{(load ? "vldr" : "vstr")} s", WithD(encoding, f.Single()));
    }

    /// <summary>VLDM/VSTM increment-after (with or without writeback) and decrement-before with writeback, VPUSH/VPOP (aligned, see <see cref="LoadStore"/>).</summary>
    private static FpCase LoadStoreMultiple(FpCaseFactory f)
    {
        bool stack = f.Random.Next(4) == 0;
        int rn = stack ? 13 : f.CoreRegister();
        if (!stack)
        {
            f.PointIntoData(rn);
        }

        bool load = f.Random.Next(2) == 0;
        int mode = stack ? (load ? 1 : 2) : f.Random.Next(3); // 0 IA, 1 IA!, 2 DB!
        uint pUW = mode switch { 0 => 0x0080_0000u, 1 => 0x00A0_0000u, _ => 0x0120_0000u };
        bool isDouble = f.Random.Next(2) == 0;
        uint encoding = 0xEC000A00 | pUW | (load ? 1u << 20 : 0) | ((uint)rn << 16);
        if (isDouble)
        {
            int first = f.Random.Next(16);
            int count = f.Random.Next(1, 17 - first);
            return f.Case($"vldm/vstm d mode {mode}", encoding | 0x100 | ((uint)first << 12) | (uint)(count * 2));
        }

        int firstSingle = f.Single();
        int singles = f.Random.Next(1, 33 - firstSingle);
        return f.Case($"vldm/vstm s mode {mode}", WithD(encoding, firstSingle) | (uint)singles);
    }

    private static int StableHash(string text)
    {
        int hash = 17;
        foreach (char ch in text)
        {
            hash = unchecked((hash * 31) + ch);
        }

        return hash;
    }
}
