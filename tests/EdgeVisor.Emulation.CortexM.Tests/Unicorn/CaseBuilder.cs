namespace EdgeVisor.Emulation.CortexM.Tests.Unicorn;

/// <summary>
/// Random initial state and encoding helpers for generators. Register values favour the edge cases
/// (0, 1, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, ...); base registers for memory accesses point into the
/// compared data window.
/// </summary>
public sealed class CaseBuilder
{
    private static readonly uint[] EdgeValues =
    [
        0, 1, 2, 0x7F, 0x80, 0xFF, 0x100, 0x7FFF, 0x8000, 0xFFFF, 0x10000, 0x7FFFFFFF, 0x80000000, 0x80000001,
        0xFFFFFFFF, 0xFFFFFFFE, 0x55555555, 0xAAAAAAAA, 31, 32, 33, 0xFFFFFF80, 0xFFFF8000,
    ];

    public CaseBuilder(Random random, CortexMModel model)
    {
        Random = random;
        Model = model;
        for (int i = 0; i < 13; i++)
        {
            Registers[i] = Value();
        }

        Registers[13] = DifferentialRunner.StackTop - ((uint)random.Next(0, 64) * 4);
        Registers[14] = Value() | 1;
        Apsr = (uint)random.Next(0, 32) << 27;
    }

    public Random Random { get; }

    public CortexMModel Model { get; }

    /// <summary>R0..R15 (R15 is ignored: code starts at the code base).</summary>
    public uint[] Registers { get; } = new uint[16];

    /// <summary>Initial N,Z,C,V,Q in bits 31..27.</summary>
    public uint Apsr { get; set; }

    /// <summary>An edge case half the time, otherwise uniformly random.</summary>
    public uint Value() => Random.Next(2) == 0 ? EdgeValues[Random.Next(EdgeValues.Length)] : (uint)Random.NextInt64(0, 1L << 32);

    public int Bits(int count) => Random.Next(0, 1 << count);

    public uint Field(int count) => (uint)Random.Next(0, 1 << count);

    public int LowRegister() => Random.Next(0, 8);

    /// <summary>R0..R12 or R14: a register any Thumb-2 data-processing instruction may use.</summary>
    public int Register()
    {
        int r = Random.Next(0, 14);
        return r == 13 ? 14 : r;
    }

    /// <summary>Points <paramref name="register"/> at the data window with room for accesses of +/-<paramref name="reach"/> bytes.</summary>
    public uint PointIntoData(int register, uint alignment = 1, uint reach = 0x100)
    {
        uint window = DifferentialRunner.DataSize - (2 * reach) - 16;
        uint address = DifferentialRunner.DataBase + reach + ((uint)Random.Next(0, (int)window) & ~(alignment - 1));
        Registers[register] = address;
        return address;
    }

    public InstructionCase Case(string description, int steps, params ushort[] code) =>
        new(description, code, (uint[])Registers.Clone(), Apsr, steps);

    public InstructionCase Case32(string description, uint instruction) =>
        Case(description, 1, (ushort)(instruction >> 16), (ushort)instruction);
}
