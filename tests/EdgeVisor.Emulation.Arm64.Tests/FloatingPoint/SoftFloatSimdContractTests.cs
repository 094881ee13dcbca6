using EdgeVisor.Emulation.Arm64.FloatingPoint;
using EdgeVisor.Emulation.Arm64.Tests.TestKit;
using EdgeVisor.Emulation.Arm64.Tests.Unicorn;

namespace EdgeVisor.Emulation.Arm64.Tests.FloatingPoint;

/// <summary>
/// The SoftFloat entry points only the Advanced SIMD instructions use (estimates, step functions, FMULX, the FCM
/// compares, round-to-odd narrowing), checked directly against Unicorn running the scalar SIMD form of each
/// instruction on the same operands and FPCR: result element and FPSR.
/// </summary>
public sealed class SoftFloatSimdContractTests : IDisposable
{
    private const int Iterations = 10_000;

    private readonly UnicornInstructionRunner _reference = new();

    public static TheoryData<string, int> Instructions => new()
    {
        { "frecpe", 2 }, { "frecpe", 3 }, { "frsqrte", 2 }, { "frsqrte", 3 }, { "frecpx", 2 }, { "frecpx", 3 },
        { "frecps", 2 }, { "frecps", 3 }, { "frsqrts", 2 }, { "frsqrts", 3 }, { "fmulx", 2 }, { "fmulx", 3 },
        { "fcmeq", 2 }, { "fcmeq", 3 }, { "fcmge", 2 }, { "fcmge", 3 }, { "fcmgt", 2 }, { "fcmgt", 3 }, { "fcvtxn", 3 },
    };

    [Theory]
    [MemberData(nameof(Instructions))]
    public void Result_and_fpsr_match_unicorn(string mnemonic, int size)
    {
        string r = size == 2 ? "s" : "d";
        string source = mnemonic switch
        {
            "frecpe" or "frsqrte" or "frecpx" => $"{mnemonic} {r}0, {r}1",
            "fcvtxn" => "fcvtxn s0, d1",
            _ => $"{mnemonic} {r}0, {r}1, {r}2",
        };
        uint instruction = Assembler.Assemble(source)[0];
        int resultSize = mnemonic == "fcvtxn" ? 2 : size;
        ulong mask = resultSize == 3 ? ulong.MaxValue : 0xFFFF_FFFF;
        int seed = FpOperands.Seed();
        var random = new Random(seed);
        for (int i = 0; i < Iterations; i++)
        {
            ulong a = FpOperands.Next(random, size);
            ulong b = random.Next(8) == 0 ? a : FpOperands.Next(random, size);
            uint fpcr = ((uint)random.Next(4) << 22) | (random.Next(2) == 0 ? 0 : 1u << 24) | (random.Next(2) == 0 ? 0 : 1u << 25);
            uint fpsr = 0;
            ulong ours = mnemonic switch
            {
                "frecpe" => SoftFloat.RecipEstimate(size, a, fpcr, ref fpsr),
                "frsqrte" => SoftFloat.RSqrtEstimate(size, a, fpcr, ref fpsr),
                "frecpx" => SoftFloat.RecipExponent(size, a, fpcr, ref fpsr),
                "frecps" => SoftFloat.RecipStep(size, a, b, fpcr, ref fpsr),
                "frsqrts" => SoftFloat.RSqrtStep(size, a, b, fpcr, ref fpsr),
                "fmulx" => SoftFloat.MulX(size, a, b, fpcr, ref fpsr),
                "fcmeq" => SoftFloat.CompareEqual(size, a, b, fpcr, ref fpsr) ? mask : 0,
                "fcmge" => SoftFloat.CompareGreaterEqual(size, a, b, fpcr, ref fpsr) ? mask : 0,
                "fcmgt" => SoftFloat.CompareGreater(size, a, b, fpcr, ref fpsr) ? mask : 0,
                _ => SoftFloat.Convert(3, 2, a, FpRounding.Odd, fpcr, ref fpsr),
            };

            _reference.Cpu.SetQ(1, a);
            _reference.Cpu.SetQ(2, b);
            _reference.Cpu.Fpcr = fpcr;
            _reference.Cpu.Fpsr = 0;
            Assert.True(_reference.Execute(instruction), $"Unicorn rejected {source}");
            ulong theirs = (ulong)_reference.Cpu.GetQ(0) & mask;
            string context = $"seed {seed} {source} a {a:X} b {b:X} fpcr {fpcr:X8}";
            Assert.True((ours & mask) == theirs, $"{context}: EdgeVisor {ours & mask:X} Unicorn {theirs:X}");
            Assert.True(fpsr == _reference.Cpu.Fpsr, $"{context}: FPSR EdgeVisor {fpsr:X} Unicorn {_reference.Cpu.Fpsr:X}");
        }
    }

    public void Dispose() => _reference.Dispose();
}
