using System.Runtime.Intrinsics;
using EdgeVisor.Emulation.Arm64.Decoding;

namespace EdgeVisor.Emulation.Arm64.Simd.Arithmetic.Integer;

/// <summary>
/// Handlers that run an <see cref="ILanewiseOp"/> on whole registers, picking the element type from
/// <see cref="Op.Size"/> and the signedness from the type argument. A scalar (D) form is the 64-bit case with Q = 0.
/// </summary>
internal static class LanewiseLoops
{
    /// <summary>Vd = op(Vd, Vn, Vm) with unsigned (or sign-agnostic) elements.</summary>
    public static void Unsigned<TOp>(Arm64Cpu cpu, ref Op op)
        where TOp : ILanewiseOp
    {
        Vector128<byte> d = cpu.V[op.Rd], a = cpu.V[op.Rn], b = cpu.V[op.Rm];
        Vector128<byte> result = op.Size switch
        {
            0 => TOp.Apply(d, a, b),
            1 => TOp.Apply(d.AsUInt16(), a.AsUInt16(), b.AsUInt16()).AsByte(),
            2 => TOp.Apply(d.AsUInt32(), a.AsUInt32(), b.AsUInt32()).AsByte(),
            _ => TOp.Apply(d.AsUInt64(), a.AsUInt64(), b.AsUInt64()).AsByte(),
        };
        cpu.SetVector(op.Rd, result, op.A != 0);
    }

    /// <summary>Vd = op(Vd, Vn, Vm) with signed elements.</summary>
    public static void Signed<TOp>(Arm64Cpu cpu, ref Op op)
        where TOp : ILanewiseOp
    {
        Vector128<byte> d = cpu.V[op.Rd], a = cpu.V[op.Rn], b = cpu.V[op.Rm];
        Vector128<byte> result = op.Size switch
        {
            0 => TOp.Apply(d.AsSByte(), a.AsSByte(), b.AsSByte()).AsByte(),
            1 => TOp.Apply(d.AsInt16(), a.AsInt16(), b.AsInt16()).AsByte(),
            2 => TOp.Apply(d.AsInt32(), a.AsInt32(), b.AsInt32()).AsByte(),
            _ => TOp.Apply(d.AsInt64(), a.AsInt64(), b.AsInt64()).AsByte(),
        };
        cpu.SetVector(op.Rd, result, op.A != 0);
    }

    /// <summary>The compare-with-zero forms (CMGT/CMGE/CMEQ/CMLE/CMLT #0): op(Vn, 0), or op(0, Vn) when <see cref="Op.B"/> is set.</summary>
    public static void SignedAgainstZero<TOp>(Arm64Cpu cpu, ref Op op)
        where TOp : ILanewiseOp
    {
        Vector128<byte> a = cpu.V[op.Rn], zero = default;
        bool swap = op.B != 0;
        Vector128<byte> first = swap ? zero : a, second = swap ? a : zero;
        Vector128<byte> result = op.Size switch
        {
            0 => TOp.Apply(zero.AsSByte(), first.AsSByte(), second.AsSByte()).AsByte(),
            1 => TOp.Apply(zero.AsInt16(), first.AsInt16(), second.AsInt16()).AsByte(),
            2 => TOp.Apply(zero.AsInt32(), first.AsInt32(), second.AsInt32()).AsByte(),
            _ => TOp.Apply(zero.AsInt64(), first.AsInt64(), second.AsInt64()).AsByte(),
        };
        cpu.SetVector(op.Rd, result, op.A != 0);
    }

    /// <summary>Pairwise (ADDP, UMAXP...) with unsigned elements: op(even elements, odd elements) of Vn:Vm.</summary>
    public static void PairwiseUnsigned<TOp>(Arm64Cpu cpu, ref Op op)
        where TOp : ILanewiseOp
    {
        (Vector128<byte> even, Vector128<byte> odd) = Deinterleave(cpu, ref op);
        Vector128<byte> result = op.Size switch
        {
            0 => TOp.Apply(default, even, odd),
            1 => TOp.Apply(default, even.AsUInt16(), odd.AsUInt16()).AsByte(),
            2 => TOp.Apply(default, even.AsUInt32(), odd.AsUInt32()).AsByte(),
            _ => TOp.Apply(default, even.AsUInt64(), odd.AsUInt64()).AsByte(),
        };
        cpu.SetVector(op.Rd, result, op.A != 0);
    }

    /// <summary>Pairwise with signed elements (SMAXP, SMINP).</summary>
    public static void PairwiseSigned<TOp>(Arm64Cpu cpu, ref Op op)
        where TOp : ILanewiseOp
    {
        (Vector128<byte> even, Vector128<byte> odd) = Deinterleave(cpu, ref op);
        Vector128<byte> result = op.Size switch
        {
            0 => TOp.Apply(default, even.AsSByte(), odd.AsSByte()).AsByte(),
            1 => TOp.Apply(default, even.AsInt16(), odd.AsInt16()).AsByte(),
            2 => TOp.Apply(default, even.AsInt32(), odd.AsInt32()).AsByte(),
            _ => TOp.Apply(default, even.AsInt64(), odd.AsInt64()).AsByte(),
        };
        cpu.SetVector(op.Rd, result, op.A != 0);
    }

    /// <summary>
    /// The even- and odd-numbered elements of the concatenation Vn:Vm (for Q = 0, of the two low halves), each packed
    /// into one vector in order: pairwise element i is then op(even[i], odd[i]).
    /// </summary>
    private static (Vector128<byte> Even, Vector128<byte> Odd) Deinterleave(Arm64Cpu cpu, ref Op op)
    {
        Vector128<ulong> n = cpu.V[op.Rn].AsUInt64(), m = cpu.V[op.Rm].AsUInt64();
        Vector128<byte> low, high;
        if (op.A != 0)
        {
            low = n.AsByte();
            high = m.AsByte();
        }
        else
        {
            low = Vector128.Create(n.ToScalar(), m.ToScalar()).AsByte();
            high = default;
        }

        Vector128<byte> evenIndices = EvenBytes[op.Size], oddIndices = OddBytes[op.Size];
        Vector128<byte> even = Vector128.Create(Vector128.Shuffle(low, evenIndices).AsUInt64().ToScalar(), Vector128.Shuffle(high, evenIndices).AsUInt64().ToScalar()).AsByte();
        Vector128<byte> odd = Vector128.Create(Vector128.Shuffle(low, oddIndices).AsUInt64().ToScalar(), Vector128.Shuffle(high, oddIndices).AsUInt64().ToScalar()).AsByte();
        return (even, odd);
    }

    // Byte shuffles that gather the even (odd) elements of each size into the low 8 bytes.
    private static readonly Vector128<byte>[] EvenBytes =
    [
        Vector128.Create((byte)0, 2, 4, 6, 8, 10, 12, 14, 0, 0, 0, 0, 0, 0, 0, 0),
        Vector128.Create((byte)0, 1, 4, 5, 8, 9, 12, 13, 0, 0, 0, 0, 0, 0, 0, 0),
        Vector128.Create((byte)0, 1, 2, 3, 8, 9, 10, 11, 0, 0, 0, 0, 0, 0, 0, 0),
        Vector128.Create((byte)0, 1, 2, 3, 4, 5, 6, 7, 0, 0, 0, 0, 0, 0, 0, 0),
    ];

    private static readonly Vector128<byte>[] OddBytes =
    [
        Vector128.Create((byte)1, 3, 5, 7, 9, 11, 13, 15, 0, 0, 0, 0, 0, 0, 0, 0),
        Vector128.Create((byte)2, 3, 6, 7, 10, 11, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0),
        Vector128.Create((byte)4, 5, 6, 7, 12, 13, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0),
        Vector128.Create((byte)8, 9, 10, 11, 12, 13, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0),
    ];
}
