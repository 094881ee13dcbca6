using EdgeVisor.Emulation.CortexM.Tests.Unicorn;

namespace EdgeVisor.Emulation.CortexM.Tests.FloatingPoint;

/// <summary>
/// Random initial state for FP/DSP differential cases: S registers from <see cref="FpSamples"/> (edge cases, NaNs,
/// denormals, near-ties), core registers from integer edge values, FPSCR with random RMode/FZ/DN/AHP and flags, APSR with
/// random NZCVQ and GE. Encoders place register numbers into the VFP Vd:D / Vn:N / Vm:M fields.
/// </summary>
internal sealed class FpCaseFactory
{
    private static readonly uint[] IntegerEdges =
    [
        0, 1, 2, 0x7F, 0x80, 0xFF, 0x7FFF, 0x8000, 0xFFFF, 0x10000, 0x7FFF_FFFF, 0x8000_0000, 0x8000_0001, 0xFFFF_FFFF,
        0xFFFF_FFFE, 0x7FFF_8000, 0x8000_7FFF, 0x0001_8000, 0xFF80_0080, 0x8080_8080, 0x7F7F_7F7F,
    ];

    public FpCaseFactory(Random random)
    {
        Random = random;
        for (int r = 0; r < 13; r++)
        {
            Registers[r] = Integer();
        }

        Registers[13] = DifferentialRunner.StackTop - ((uint)random.Next(0, 64) * 4);
        Registers[14] = Integer();
        for (int s = 0; s < 32; s++)
        {
            Singles[s] = random.Next(8) == 0 ? Integer() : FpSamples.Next(random);
        }

        Fpscr = ((uint)random.Next(16) << 28) | ((uint)random.Next(4) << 22);
        Fpscr |= random.Next(4) == 0 ? EdgeVisor.Emulation.CortexM.FloatingPoint.Fpscr.Fz : 0;
        Fpscr |= random.Next(4) == 0 ? EdgeVisor.Emulation.CortexM.FloatingPoint.Fpscr.Dn : 0;
        Fpscr |= random.Next(4) == 0 ? EdgeVisor.Emulation.CortexM.FloatingPoint.Fpscr.Ahp : 0;
        Fpscr |= random.Next(3) == 0 ? (uint)random.Next(0x100) & 0x9F : 0;
        Apsr = ((uint)random.Next(32) << 27) | ((uint)random.Next(16) << 16);
    }

    public Random Random { get; }

    public uint[] Registers { get; } = new uint[16];

    public uint[] Singles { get; } = new uint[32];

    public uint Fpscr { get; set; }

    public uint Apsr { get; set; }

    public uint Integer() => Random.Next(2) == 0 ? IntegerEdges[Random.Next(IntegerEdges.Length)] : (uint)Random.NextInt64(0, 1L << 32);

    /// <summary>R0..R11 or R14 (R12 carries the FPSCR value of FP cases, SP and PC are not general purpose here).</summary>
    public int CoreRegister()
    {
        int r = Random.Next(13);
        return r == 12 ? 14 : r;
    }

    public int Single() => Random.Next(32);

    /// <summary>Points a core register at a word-aligned address in the data window, at least 1 KiB from either end.</summary>
    public uint PointIntoData(int register)
    {
        uint address = DifferentialRunner.DataBase + 0x400 + ((uint)Random.Next(0, 0x700) & ~3u);
        Registers[register] = address;
        return address;
    }

    public static uint WithD(uint encoding, int d) => encoding | ((uint)(d >> 1) << 12) | ((uint)(d & 1) << 22);

    public static uint WithN(uint encoding, int n) => encoding | ((uint)(n >> 1) << 16) | ((uint)(n & 1) << 7);

    public static uint WithM(uint encoding, int m) => encoding | (uint)(m >> 1) | ((uint)(m & 1) << 5);

    /// <summary>An FP case: <c>VMSR FPSCR, R12</c> with R12 = <see cref="Fpscr"/>, then the instructions.</summary>
    public FpCase Case(string description, params uint[] instructions)
    {
        Registers[12] = Fpscr;
        return IntegerCase(description, [VmsrFpscrR12, .. instructions]);
    }

    /// <summary>A case without the FPSCR preamble (DSP instructions).</summary>
    public FpCase IntegerCase(string description, params uint[] instructions)
    {
        var code = new ushort[instructions.Length * 2];
        for (int i = 0; i < instructions.Length; i++)
        {
            code[i * 2] = (ushort)(instructions[i] >> 16);
            code[(i * 2) + 1] = (ushort)instructions[i];
        }

        return new FpCase(description, code, (uint[])Registers.Clone(), (uint[])Singles.Clone(), Apsr, instructions.Length);
    }

    private const uint VmsrFpscrR12 = 0xEEE1_CA10;
}
