using EdgeVisor.Emulation.Arm64.FloatingPoint;
using EdgeVisor.Emulation.Arm64.Tests.TestKit;
using EdgeVisor.Emulation.Arm64.Tests.Unicorn;

namespace EdgeVisor.Emulation.Arm64.Tests.FloatingPoint;

/// <summary>
/// SoftFloat's half-precision arithmetic (size 1: FZ16 rules, no IDC) against Unicorn's "max" CPU running the
/// FEAT_FP16 instructions. EdgeVisor does not advertise FP16, but the SIMD work may call these paths, so they are
/// held to the same standard.
/// </summary>
public sealed class SoftFloatHalfTests : IDisposable
{
    private const int Iterations = 5_000;

    private readonly UnicornInstructionRunner _reference = new(UnicornCpuModel.Max); // "max" implements FEAT_FP16

    public static TheoryData<string> Instructions => new()
    {
        "fadd", "fsub", "fmul", "fdiv", "fmax", "fminnm", "fsqrt", "fmadd", "frinta", "frintx", "fcvtzs", "scvtf", "fcmpe", "frecpe", "frsqrts",
    };

    [Theory]
    [MemberData(nameof(Instructions))]
    public void Half_results_and_fpsr_match_unicorn(string mnemonic)
    {
        string source = mnemonic switch
        {
            "fsqrt" or "frinta" or "frintx" or "frecpe" => $"{mnemonic} h0, h1",
            "fmadd" => "fmadd h0, h1, h2, h3",
            "fcvtzs" => "fcvtzs w0, h1",
            "scvtf" => "scvtf h0, w1",
            "fcmpe" => "fcmpe h1, h2",
            _ => $"{mnemonic} h0, h1, h2",
        };
        uint instruction = Assembler.Assemble(".arch armv8.2-a+fp16\n" + source)[0];
        int seed = FpOperands.Seed();
        var random = new Random(seed);
        for (int i = 0; i < Iterations; i++)
        {
            ulong a = FpOperands.Next(random, 1);
            ulong b = FpOperands.Next(random, 1);
            ulong c = FpOperands.Next(random, 1);
            ulong integer = (ulong)(random.NextInt64() >> random.Next(64));
            uint fpcr = ((uint)random.Next(4) << 22) | (random.Next(2) == 0 ? 0 : FpBits.Fz16) | (random.Next(2) == 0 ? 0 : FpBits.Dn)
                | (random.Next(2) == 0 ? 0 : FpBits.Fz);
            uint fpsr = 0;
            FpRounding mode = FpBits.Rounding(fpcr);
            ulong ours = mnemonic switch
            {
                "fadd" => SoftFloat.Add(1, a, b, fpcr, ref fpsr),
                "fsub" => SoftFloat.Sub(1, a, b, fpcr, ref fpsr),
                "fmul" => SoftFloat.Mul(1, a, b, fpcr, ref fpsr),
                "fdiv" => SoftFloat.Div(1, a, b, fpcr, ref fpsr),
                "fmax" => SoftFloat.Max(1, a, b, fpcr, ref fpsr),
                "fminnm" => SoftFloat.MinNum(1, a, b, fpcr, ref fpsr),
                "fsqrt" => SoftFloat.Sqrt(1, a, fpcr, ref fpsr),
                "fmadd" => SoftFloat.MulAdd(1, c, a, b, fpcr, ref fpsr),
                "frinta" => SoftFloat.RoundToIntegral(1, a, FpRounding.TieAway, false, fpcr, ref fpsr),
                "frintx" => SoftFloat.RoundToIntegral(1, a, mode, true, fpcr, ref fpsr),
                "fcvtzs" => SoftFloat.ToFixed(1, a, 0, false, 32, FpRounding.Zero, fpcr, ref fpsr),
                "scvtf" => SoftFloat.FromFixed(1, integer, 0, false, 32, mode, fpcr, ref fpsr),
                "fcmpe" => SoftFloat.Compare(1, a, b, true, fpcr, ref fpsr) << 28,
                "frecpe" => SoftFloat.RecipEstimate(1, a, fpcr, ref fpsr),
                _ => SoftFloat.RSqrtStep(1, a, b, fpcr, ref fpsr),
            };

            _reference.Cpu.SetQ(1, a);
            _reference.Cpu.SetQ(2, b);
            _reference.Cpu.SetQ(3, c);
            _reference.Cpu.SetX(1, integer);
            _reference.Cpu.Fpcr = fpcr;
            _reference.Cpu.Fpsr = 0;
            Assert.True(_reference.Execute(instruction), $"Unicorn rejected {source}");
            ulong theirs = mnemonic switch
            {
                "fcvtzs" => _reference.Cpu.GetX(0),
                "fcmpe" => _reference.Cpu.Nzcv,
                _ => (ulong)_reference.Cpu.GetQ(0) & 0xFFFF,
            };
            string context = $"seed {seed} {source} a {a:X4} b {b:X4} c {c:X4} int {integer:X} fpcr {fpcr:X8}";
            Assert.True(ours == theirs, $"{context}: EdgeVisor {ours:X} Unicorn {theirs:X}");
            Assert.True(fpsr == _reference.Cpu.Fpsr, $"{context}: FPSR EdgeVisor {fpsr:X} Unicorn {_reference.Cpu.Fpsr:X}");
        }
    }

    public void Dispose() => _reference.Dispose();
}
