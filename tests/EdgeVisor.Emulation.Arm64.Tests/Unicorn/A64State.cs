using EdgeVisor.Emulation.Arm64.Tests.TestKit;

namespace EdgeVisor.Emulation.Arm64.Tests.Unicorn;

/// <summary>
/// The architectural state a differential run starts from and ends with: X0–X30, SP, NZCV, V0–V31, FPCR, FPSR,
/// TPIDR_EL0 and the contents of the data area (<see cref="A64Machine.DataBase"/>, <see cref="A64Machine.DataSize"/>
/// bytes) and of the stack area. Both engines map the same layout as <see cref="A64Machine"/>.
/// </summary>
internal sealed class A64State
{
    /// <summary>Register the generator reserves as a base pointer: it holds <see cref="DataPointer"/>.</summary>
    public const int BaseRegister = 28;

    /// <summary>Register the generator reserves as a small index: it holds a value in 0..255 (multiple of 16).</summary>
    public const int IndexRegister = 27;

    /// <summary>Middle of the data area, so positive and negative offsets stay inside it.</summary>
    public const ulong DataPointer = A64Machine.DataBase + (A64Machine.DataSize / 2);

    /// <summary>Initial SP: the middle of the stack area, 16-byte aligned.</summary>
    public const ulong DefaultSp = A64Machine.StackTop - (A64Machine.StackSize / 2);

    private const int Window = 4096;

    private static readonly byte[] Background = CreateBackground();

    public ulong[] X { get; } = new ulong[31];

    public ulong Sp { get; set; } = DefaultSp;

    /// <summary>NZCV in bits 31..28.</summary>
    public uint Nzcv { get; set; }

    public UInt128[] V { get; } = new UInt128[32];

    public uint Fpcr { get; set; }

    public uint Fpsr { get; set; }

    public ulong TpidrEl0 { get; set; }

    /// <summary>Contents of the data area.</summary>
    public byte[] Data { get; } = new byte[A64Machine.DataSize];

    /// <summary>Contents of the stack area.</summary>
    public byte[] Stack { get; } = new byte[A64Machine.StackSize];

    /// <summary>A zeroed state with the reserved registers set (X28 = <see cref="DataPointer"/>, X27 = 0).</summary>
    public static A64State Empty()
    {
        var state = new A64State();
        state.X[BaseRegister] = DataPointer;
        return state;
    }

    /// <summary>
    /// A random state: registers biased towards edge values (0, ±1, sign bits, all ones, small numbers), FP-interesting
    /// bit patterns in the vector registers, random flags, random data and stack contents; X28 and X27 hold the
    /// reserved pointer and index. FPCR stays 0 unless <paramref name="randomFpcr"/> (then RMode, FZ, DN, AHP vary).
    /// </summary>
    public static A64State Random(Random rng, bool randomFpcr = false)
    {
        var state = new A64State();
        for (int i = 0; i < 31; i++)
        {
            state.X[i] = RandomValues.Integer(rng);
        }

        state.X[BaseRegister] = DataPointer;
        state.X[IndexRegister] = (ulong)rng.Next(16) * 16;
        state.Nzcv = (uint)rng.Next(16) << 28;
        for (int i = 0; i < 32; i++)
        {
            state.V[i] = RandomValues.Vector(rng);
        }

        if (randomFpcr)
        {
            // AHP (26), DN (25), FZ (24), RMode (23:22).
            state.Fpcr = (uint)rng.Next(32) << 22;
        }

        state.TpidrEl0 = RandomValues.Integer(rng);

        // Fresh random bytes where generated accesses mostly land (±4 KiB around X28 and SP), a fixed random
        // pattern elsewhere: filling 128 KiB per case would dominate the run time.
        Background.CopyTo(state.Data, 0);
        Background.AsSpan(0, state.Stack.Length).CopyTo(state.Stack);
        rng.NextBytes(state.Data.AsSpan((int)(DataPointer - A64Machine.DataBase) - Window, 2 * Window));
        rng.NextBytes(state.Stack.AsSpan((int)(DefaultSp - (A64Machine.StackTop - A64Machine.StackSize)) - Window, 2 * Window));
        return state;
    }

    private static byte[] CreateBackground()
    {
        var bytes = new byte[Math.Max(A64Machine.DataSize, A64Machine.StackSize)];
        new Random(0x5EED).NextBytes(bytes);
        return bytes;
    }

    public A64State Clone()
    {
        var copy = new A64State { Sp = Sp, Nzcv = Nzcv, Fpcr = Fpcr, Fpsr = Fpsr, TpidrEl0 = TpidrEl0 };
        X.CopyTo(copy.X, 0);
        V.CopyTo(copy.V, 0);
        Data.CopyTo(copy.Data, 0);
        Stack.CopyTo(copy.Stack, 0);
        return copy;
    }
}
