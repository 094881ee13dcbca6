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
}
