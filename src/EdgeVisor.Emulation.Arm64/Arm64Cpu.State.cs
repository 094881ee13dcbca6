using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace EdgeVisor.Emulation.Arm64;

/// <summary>
/// X0..X30, SP, then two pseudo-slots: 32 reads as zero (XZR as a source), 33 swallows writes (XZR as a destination).
/// See <see cref="Decoding.Reg"/>. Only slots 0..33 are architectural (<see cref="Count"/>); the array is padded to
/// 256 so that indexing with a byte-sized slot (every <see cref="Decoding.Op"/> register field) compiles without a
/// bounds check — handlers index it once or twice per instruction. Slots 34..255 are never used.
/// </summary>
[InlineArray(256)]
public struct GeneralRegisterFile
{
    /// <summary>Architectural slots: X0..X30, SP, the zero source and the discard destination.</summary>
    public const int Count = 34;

    private ulong _element0;
}

/// <summary>
/// V0..V31, 128 bits each. Scalar writes (B/H/S/D) clear the bits above the written element. Padded to 256 entries
/// like <see cref="GeneralRegisterFile"/> so byte-indexed accesses need no bounds check; only 0..31 are used.
/// </summary>
[InlineArray(256)]
public struct VectorRegisterFile
{
    /// <summary>Architectural registers V0..V31.</summary>
    public const int Count = 32;

    private Vector128<byte> _element0;
}

/// <summary>Architectural EL0 state of one A64 hardware thread. One instance per guest thread.</summary>
public sealed partial class Arm64Cpu
{
    /// <summary>General registers; see <see cref="GeneralRegisterFile"/> for slots 31..33.</summary>
    public GeneralRegisterFile X;

    /// <summary>SIMD and FP registers.</summary>
    public VectorRegisterFile V;

    /// <summary>Address of the next instruction to execute (between blocks and at stops).</summary>
    public ulong Pc;

    // PSTATE.NZCV, one field each so instructions set them without masking.
    public bool N;
    public bool Z;
    public bool C;
    public bool Vf;

    /// <summary>FPCR: AHP, DN, FZ, RMode, FZ16 (trap enables read as zero).</summary>
    public uint Fpcr;

    /// <summary>FPSR: cumulative exception flags and QC.</summary>
    public uint Fpsr;

    /// <summary>TPIDR_EL0: the thread pointer (TLS).</summary>
    public ulong TpidrEl0;

    /// <summary>TPIDRRO_EL0 (read-only at EL0; Linux keeps it zero).</summary>
    public ulong TpidrroEl0;

    /// <summary>Address covered by the local exclusive monitor, or <see cref="NoExclusive"/> when it is open.</summary>
    public ulong ExclusiveAddress = NoExclusive;

    /// <summary>Bytes the exclusive load covered (1..16).</summary>
    public int ExclusiveSize;

    /// <summary>Value(s) the exclusive load read; a store-exclusive succeeds only if memory still holds them (compare-and-swap).</summary>
    public ulong ExclusiveValue;

    public ulong ExclusiveValue2;

    public const ulong NoExclusive = ulong.MaxValue;

    /// <summary>Stack pointer (X slot 31).</summary>
    public ulong Sp
    {
        get => X[Decoding.Reg.Sp];
        set => X[Decoding.Reg.Sp] = value;
    }

    /// <summary>NZCV in bits 31..28, as MRS NZCV reads it.</summary>
    public uint Nzcv
    {
        get => (N ? 1u << 31 : 0) | (Z ? 1u << 30 : 0) | (C ? 1u << 29 : 0) | (Vf ? 1u << 28 : 0);
        set
        {
            N = (value & (1u << 31)) != 0;
            Z = (value & (1u << 30)) != 0;
            C = (value & (1u << 29)) != 0;
            Vf = (value & (1u << 28)) != 0;
        }
    }

    /// <summary>Whether condition <paramref name="cond"/> (0..15, A64 encoding) holds for the current flags.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool ConditionHolds(uint cond)
    {
        bool result = (cond >> 1) switch
        {
            0 => Z,
            1 => C,
            2 => N,
            3 => Vf,
            4 => C && !Z,
            5 => N == Vf,
            6 => N == Vf && !Z,
            _ => true,
        };

        // Odd conditions invert, except 0b1111 (NV) which behaves as AL.
        return (cond & 1) != 0 && cond != 15 ? !result : result;
    }

    /// <summary>Copies every register and flag (not the exclusive monitor) from <paramref name="other"/>: clone and fork.</summary>
    public void CopyStateFrom(Arm64Cpu other)
    {
        X = other.X;
        V = other.V;
        Pc = other.Pc;
        Nzcv = other.Nzcv;
        Fpcr = other.Fpcr;
        Fpsr = other.Fpsr;
        TpidrEl0 = other.TpidrEl0;
        TpidrroEl0 = other.TpidrroEl0;
        ExclusiveAddress = NoExclusive;
    }
}
