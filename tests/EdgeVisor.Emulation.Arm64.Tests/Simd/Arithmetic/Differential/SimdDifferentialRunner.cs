using System.Runtime.Intrinsics;
using System.Text;
using EdgeVisor.Emulation.Arm64.Tests.TestKit;
using EdgeVisor.Emulation.Arm64.Tests.Unicorn;

namespace EdgeVisor.Emulation.Arm64.Tests.Simd.Arithmetic.Differential;

/// <summary>
/// Runs random encodings of one instruction class on the core and on Unicorn from the same random vector state and
/// compares V0..V31, FPSR and NZCV afterwards, or that both treat the encoding as undefined. Failures name the seed, the
/// case and the encoding.
/// </summary>
internal sealed class SimdDifferentialRunner : IDisposable
{
    private const uint FpcrWritable = (1u << 26) | (1u << 25) | (1u << 24) | (3u << 22);
    private const uint FpsrFlags = 0x9F | (1u << 27);

    private readonly UnicornInstructionRunner _unicorn = new();
    private readonly A64Machine _machine = new();

    /// <summary>
    /// Runs <paramref name="cases"/> encodings from <paramref name="encodings"/>; FPCR is random only when
    /// <paramref name="randomFpcr"/> (the integer classes ignore it).
    /// </summary>
    public void Run(string name, int seed, int cases, Func<Random, uint> encodings, bool randomFpcr)
    {
        var random = new Random(seed);
        var failures = new StringBuilder();
        int failed = 0, executed = 0, undefined = 0;
        for (int i = 0; i < cases; i++)
        {
            uint encoding = encodings(random);
            var initial = SimdValues.RandomState(random);
            initial.Fpcr = randomFpcr ? (uint)random.Next() & FpcrWritable : 0;
            initial.Fpsr = random.Next(4) == 0 ? (uint)random.Next() & FpsrFlags : 0;
            initial.Nzcv = (uint)random.Next(16) << 28;

            var expected = initial.Clone();
            bool referenceRan = ExecuteOnReference(encoding, expected);
            var actual = initial.Clone();
            bool coreRan = ExecuteOnCore(encoding, actual);
            string? difference = Compare(referenceRan, expected, coreRan, actual);
            if (referenceRan)
            {
                executed++;
            }
            else
            {
                undefined++;
            }

            if (difference is not null && failed++ < 12)
            {
                failures.AppendLine($"  case {i}: encoding 0x{encoding:X8} FPCR 0x{initial.Fpcr:X8}: {difference}");
            }
        }

        Assert.True(failed == 0, $"{name}: {failed} of {cases} cases differ from Unicorn (seed {seed}; {executed} executed, {undefined} undefined)\n{failures}");
        Assert.True(executed > cases / 30, $"{name}: only {executed} of {cases} random encodings were allocated; the generator is off");
    }

    public void Dispose()
    {
        _unicorn.Dispose();
        _machine.Dispose();
    }

    private bool ExecuteOnReference(uint encoding, SimdState state)
    {
        var uc = _unicorn.Cpu;
        for (int i = 0; i < 32; i++)
        {
            uc.SetQ(i, new UInt128(state.High[i], state.Low[i]));
        }

        uc.Fpcr = state.Fpcr;
        uc.Fpsr = state.Fpsr;
        uc.Nzcv = state.Nzcv;
        if (!_unicorn.Execute(encoding))
        {
            return false;
        }

        for (int i = 0; i < 32; i++)
        {
            var value = uc.GetQ(i);
            state.Low[i] = (ulong)value;
            state.High[i] = (ulong)(value >> 64);
        }

        state.Fpsr = uc.Fpsr;
        state.Nzcv = uc.Nzcv;
        return true;
    }

    private bool ExecuteOnCore(uint encoding, SimdState state)
    {
        var cpu = _machine.Cpu;
        for (int i = 0; i < 32; i++)
        {
            cpu.V[i] = Vector128.Create(state.Low[i], state.High[i]).AsByte();
        }

        cpu.Fpcr = state.Fpcr;
        cpu.Fpsr = state.Fpsr;
        cpu.Nzcv = state.Nzcv;
        _machine.Load(encoding);
        var stop = _machine.Run(1);
        if (stop.Kind == Arm64StopKind.Undefined)
        {
            return false;
        }

        Assert.True(stop.Kind == Arm64StopKind.InstructionLimit, $"0x{encoding:X8} stopped with {stop.Kind}");
        for (int i = 0; i < 32; i++)
        {
            state.Low[i] = cpu.V[i].AsUInt64().GetElement(0);
            state.High[i] = cpu.V[i].AsUInt64().GetElement(1);
        }

        state.Fpsr = cpu.Fpsr;
        state.Nzcv = cpu.Nzcv;
        return true;
    }

    private static string? Compare(bool referenceRan, SimdState expected, bool coreRan, SimdState actual)
    {
        if (referenceRan != coreRan)
        {
            return referenceRan ? "Unicorn executes it, the core says undefined" : "Unicorn says undefined, the core executes it";
        }

        if (!referenceRan)
        {
            return null;
        }

        var text = new StringBuilder();
        for (int i = 0; i < 32; i++)
        {
            if (expected.Low[i] != actual.Low[i] || expected.High[i] != actual.High[i])
            {
                text.Append($"V{i} expected {expected.High[i]:X16}:{expected.Low[i]:X16} got {actual.High[i]:X16}:{actual.Low[i]:X16}; ");
            }
        }

        if (expected.Fpsr != actual.Fpsr)
        {
            text.Append($"FPSR expected 0x{expected.Fpsr:X8} got 0x{actual.Fpsr:X8}; ");
        }

        if (expected.Nzcv != actual.Nzcv)
        {
            text.Append($"NZCV expected 0x{expected.Nzcv:X8} got 0x{actual.Nzcv:X8}");
        }

        return text.Length == 0 ? null : text.ToString();
    }
}

/// <summary>Random register contents weighted towards the boundary values of every element size and FP format.</summary>
internal static class SimdValues
{
    private static readonly ulong[] SingleSpecials =
    [
        0x0000_0000, 0x8000_0000, 0x3F80_0000, 0xBF80_0000, 0x7F80_0000, 0xFF80_0000, 0x7FC0_0000, 0x7F80_0001,
        0xFFC0_0001, 0x0000_0001, 0x807F_FFFF, 0x0080_0000, 0x7F7F_FFFF, 0x3F00_0000, 0x3FC0_0000, 0x4020_0000,
        0x4F00_0000, 0xCF00_0000, 0x5F80_0000, 0x4B80_0000, 0x3EFF_FFFF, 0x4B00_0001,
    ];

    private static readonly ulong[] DoubleSpecials =
    [
        0, 0x8000_0000_0000_0000, 0x3FF0_0000_0000_0000, 0xBFF0_0000_0000_0000, 0x7FF0_0000_0000_0000,
        0xFFF0_0000_0000_0000, 0x7FF8_0000_0000_0000, 0x7FF0_0000_0000_0001, 0xFFF8_0000_0000_0001, 1,
        0x800F_FFFF_FFFF_FFFF, 0x0010_0000_0000_0000, 0x7FEF_FFFF_FFFF_FFFF, 0x3FE0_0000_0000_0000,
        0x3FF8_0000_0000_0000, 0x4004_0000_0000_0000, 0x43E0_0000_0000_0000, 0xC3E0_0000_0000_0000,
        0x41E0_0000_0000_0000, 0x3810_0000_0000_0000, 0x47EF_FFFF_E000_0000, 0x36A0_0000_0000_0000,
        0x4330_0000_0000_0001,
    ];

    public static SimdState RandomState(Random random)
    {
        var state = new SimdState();
        for (int i = 0; i < 32; i++)
        {
            state.Low[i] = Doubleword(random);
            state.High[i] = Doubleword(random);
        }

        return state;
    }

    private static ulong Doubleword(Random random)
    {
        switch (random.Next(6))
        {
            case 0:
                return (ulong)random.NextInt64() ^ ((ulong)random.Next() << 33);
            case 1:
                return DoubleSpecials[random.Next(DoubleSpecials.Length)];
            case 2:
                return SingleSpecials[random.Next(SingleSpecials.Length)] | (SingleSpecials[random.Next(SingleSpecials.Length)] << 32);
            default:
                int size = random.Next(4);
                int bits = 8 << size;
                ulong value = 0;
                for (int shift = 0; shift < 64; shift += bits)
                {
                    value |= (Element(random, bits) & (bits == 64 ? ulong.MaxValue : (1UL << bits) - 1)) << shift;
                }

                return value;
        }
    }

    /// <summary>An integer element: 0, ±1, the extremes and their neighbours, small shift counts, or random bits.</summary>
    private static ulong Element(Random random, int bits)
    {
        ulong signBit = 1UL << (bits - 1);
        return random.Next(12) switch
        {
            0 => 0,
            1 => 1,
            2 => ulong.MaxValue,
            3 => signBit,
            4 => signBit - 1,
            5 => signBit + 1,
            6 => ulong.MaxValue - 1,
            7 => (ulong)random.Next(-(bits + 2), bits + 2),
            8 => signBit >> 1,
            _ => (ulong)random.NextInt64() ^ ((ulong)random.Next() << 40),
        };
    }
}

/// <summary>The SIMD-visible state one differential case sets and compares.</summary>
internal sealed class SimdState
{
    public ulong[] Low { get; } = new ulong[32];

    public ulong[] High { get; } = new ulong[32];

    public uint Fpcr { get; set; }

    public uint Fpsr { get; set; }

    /// <summary>NZCV in bits 31:28 (the FP compares write it; FCSEL and the conditional compares read it).</summary>
    public uint Nzcv { get; set; }

    public SimdState Clone()
    {
        var copy = new SimdState { Fpcr = Fpcr, Fpsr = Fpsr, Nzcv = Nzcv };
        Low.CopyTo(copy.Low, 0);
        High.CopyTo(copy.High, 0);
        return copy;
    }
}
