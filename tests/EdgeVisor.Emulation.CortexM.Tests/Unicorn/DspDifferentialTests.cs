using EdgeVisor.Emulation.CortexM.Tests.FloatingPoint;

namespace EdgeVisor.Emulation.CortexM.Tests.Unicorn;

/// <summary>
/// Differential test of the ARMv7E-M DSP instructions against Unicorn's Cortex-M4: random registers (integer edge values)
/// and random GE/Q, every encoding family with random register choices, options (X, R, T/B, rotation, saturation bits,
/// shifts); R0-R15, APSR.NZCVQ and GE compared. EDGEVISOR_SEED reproduces a failure, EDGEVISOR_DIFF_CASES runs more.
/// </summary>
public sealed class DspDifferentialTests
{
    private const int DefaultSeed = 20261126;
    private const int DefaultCases = 1000;

    /// <summary>Field layouts of the DSP encodings (register positions in the 32-bit instruction hw1:hw2).</summary>
    private enum Layout
    {
        /// <summary>Rn 19..16, Rd 11..8, Rm 3..0 (hw2 15..12 = 1111).</summary>
        DestinationFirstSecond,

        /// <summary>Rn, Rd, Rm and Ra 15..12.</summary>
        WithAccumulator,

        /// <summary>Rn, RdLo 15..12, RdHi 11..8, Rm.</summary>
        Long,
    }

    /// <summary>Encodings with the register fields zero; <c>Options</c> lists bits that vary (OR-ed in at random).</summary>
    private static readonly (string Name, uint Encoding, Layout Layout, uint[] Options)[] Templates =
    [
        ("parallel add/sub", 0xFA80F000, Layout.DestinationFirstSecond, ParallelOptions()),
        ("qadd/qsub/qdadd/qdsub", 0xFA80F080, Layout.DestinationFirstSecond, [0x00, 0x10, 0x20, 0x30]),
        ("sel", 0xFAA0F080, Layout.DestinationFirstSecond, [0]),
        ("usad8", 0xFB70F000, Layout.DestinationFirstSecond, [0]),
        ("usada8", 0xFB700000, Layout.WithAccumulator, [0]),
        ("sxtab16/uxtab16/sxtab/uxtab/sxtah/uxtah", 0xFA00F080, Layout.DestinationFirstSecond, ExtendOptions()),
        ("smla<x><y>", 0xFB100000, Layout.WithAccumulator, [0x00, 0x10, 0x20, 0x30]),
        ("smul<x><y>", 0xFB10F000, Layout.DestinationFirstSecond, [0x00, 0x10, 0x20, 0x30]),
        ("smlaw<y>", 0xFB300000, Layout.WithAccumulator, [0x00, 0x10]),
        ("smulw<y>", 0xFB30F000, Layout.DestinationFirstSecond, [0x00, 0x10]),
        ("smlad/smlsd{x}", 0xFB000000, Layout.WithAccumulator, [0x0020_0000, 0x0020_0010, 0x0040_0000, 0x0040_0010]),
        ("smuad/smusd{x}", 0xFB00F000, Layout.DestinationFirstSecond, [0x0020_0000, 0x0020_0010, 0x0040_0000, 0x0040_0010]),
        ("smmla/smmls{r}", 0xFB000000, Layout.WithAccumulator, [0x0050_0000, 0x0050_0010, 0x0060_0000, 0x0060_0010]),
        ("smmul{r}", 0xFB50F000, Layout.DestinationFirstSecond, [0x00, 0x10]),
        ("smlald/smlsld{x}", 0xFBC000C0, Layout.Long, [0x00, 0x10, 0x0010_0000, 0x0010_0010]),
        ("smlal<x><y>", 0xFBC00080, Layout.Long, [0x00, 0x10, 0x20, 0x30]),
        ("umaal", 0xFBE00060, Layout.Long, [0]),
    ];

    public static TheoryData<string> Families()
    {
        var data = new TheoryData<string>();
        foreach (var template in Templates)
        {
            data.Add(template.Name);
        }

        data.Add("ssat16/usat16");
        data.Add("pkhbt/pkhtb");
        return data;
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void Dsp_family_matches_unicorn(string family)
    {
        var model = CortexMModel.Find("cortex-m4")!;
        int seed = int.TryParse(Environment.GetEnvironmentVariable("EDGEVISOR_SEED"), out int s) ? s : DefaultSeed;
        int cases = int.TryParse(Environment.GetEnvironmentVariable("EDGEVISOR_DIFF_CASES"), out int n) ? n : DefaultCases;
        var random = new Random(seed ^ family.Length ^ (family[0] << 8) ^ (family[^1] << 16));
        using var runner = new FpDifferentialRunner(model);
        var failures = new List<string>();
        for (int i = 0; i < cases && failures.Count < 5; i++)
        {
            var factory = new FpCaseFactory(random);
            if (runner.Run(Generate(family, factory), random) is { } difference)
            {
                failures.Add($"case {i}: {difference}");
            }
        }

        Assert.True(runner.ExceptionCases == 0, $"{runner.ExceptionCases} cases faulted on both engines: the generator produces invalid encodings");
        Assert.True(failures.Count == 0, $"{family} on cortex-m4 differs from Unicorn (EDGEVISOR_SEED={seed}):\n{string.Join("\n\n", failures)}");
    }

    private static FpCase Generate(string family, FpCaseFactory f)
    {
        int rd = f.CoreRegister();
        int rn = f.CoreRegister();
        int rm = f.CoreRegister();
        if (family == "ssat16/usat16")
        {
            bool unsigned = f.Random.Next(2) == 0;
            uint saturation = (uint)f.Random.Next(16);
            return f.IntegerCase(family, (unsigned ? 0xF3A00000u : 0xF3200000u) | ((uint)rn << 16) | ((uint)rd << 8) | saturation);
        }

        if (family == "pkhbt/pkhtb")
        {
            uint shift = (uint)f.Random.Next(32);
            uint tb = (uint)f.Random.Next(2) << 5;
            return f.IntegerCase(family, 0xEAC00000 | ((uint)rn << 16) | ((shift >> 2) << 12) | ((uint)rd << 8) | ((shift & 3) << 6) | tb | (uint)rm);
        }

        var (name, encoding, layout, options) = Templates.Single(t => t.Name == family);
        encoding |= options[f.Random.Next(options.Length)];
        switch (layout)
        {
            case Layout.DestinationFirstSecond:
                if (name.StartsWith("sxtab16", StringComparison.Ordinal) && f.Random.Next(4) == 0)
                {
                    rn = 15; // the non-accumulating SXTB16/UXTB16 (and base SXTH/UXTH/SXTB/UXTB)
                }

                return f.IntegerCase(name, encoding | ((uint)rn << 16) | ((uint)rd << 8) | (uint)rm);
            case Layout.WithAccumulator:
                return f.IntegerCase(name, encoding | ((uint)rn << 16) | ((uint)f.CoreRegister() << 12) | ((uint)rd << 8) | (uint)rm);
            default:
                {
                    int hi = f.CoreRegister();
                    while (hi == rd)
                    {
                        hi = f.CoreRegister();
                    }

                    return f.IntegerCase(name, encoding | ((uint)rn << 16) | ((uint)rd << 12) | ((uint)hi << 8) | (uint)rm);
                }
        }
    }

    /// <summary>op1 (22..20) × prefix (6..4): ADD16, ASX, SAX, SUB16, ADD8, SUB8 × S, Q, SH, U, UQ, UH.</summary>
    private static uint[] ParallelOptions() =>
        [.. from op in new uint[] { 0, 1, 2, 4, 5, 6 } from prefix in new uint[] { 0, 1, 2, 4, 5, 6 } select (op << 20) | (prefix << 4)];

    /// <summary>op1 (22..20) × rotation (5..4).</summary>
    private static uint[] ExtendOptions() =>
        [.. from op in new uint[] { 0, 1, 2, 3, 4, 5 } from rotation in new uint[] { 0, 1, 2, 3 } select (op << 20) | (rotation << 4)];
}
