using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using EdgeVisor.Emulation.Arm64.Decoding;
using EdgeVisor.Emulation.Arm64.FloatingPoint;

namespace EdgeVisor.Emulation.Arm64.Simd.Arithmetic.Integer;

/// <summary>
/// Loops for the instructions whose sources and result differ in width (three different, the narrowing and
/// lengthening two-register forms). <see cref="Op.Size"/> = the narrow element size; <see cref="Op.Amount"/> = the
/// number of results; <see cref="Op.A"/> = Q, which for these selects the upper half of the narrow operand (the "2"
/// forms); <see cref="Op.B"/> = 1 when narrow sources are signed.
/// </summary>
internal static class WideningLoops
{
    /// <summary>Long: wide Vd[i] = op(Vd[i], narrow Vn[i], narrow Vm[i]) (SADDL, SMLAL, SQDMULL, PMULL...).</summary>
    public static void Long<TOp>(Arm64Cpu cpu, ref Op op)
        where TOp : IWideningOp
    {
        Vector128<byte> n = cpu.V[op.Rn], m = cpu.V[op.Rm], d = cpu.V[op.Rd], result = default;
        int size = op.Size, first = op.A != 0 ? op.Amount : 0;
        bool signed = op.B != 0, saturated = false;
        for (int i = 0; i < op.Amount; i++)
        {
            long a = Narrow(ref n, size, first + i, signed), b = Narrow(ref m, size, first + i, signed);
            Lanes.Write(ref result, size + 1, i, TOp.Apply(Lanes.Read(ref d, size + 1, i), a, b, size, ref saturated));
        }

        Finish(cpu, op.Rd, result, true, saturated);
    }

    /// <summary>Wide: wide Vd[i] = op(_, wide Vn[i], narrow Vm[i]) (SADDW, USUBW...).</summary>
    public static void Wide<TOp>(Arm64Cpu cpu, ref Op op)
        where TOp : IWideningOp
    {
        Vector128<byte> n = cpu.V[op.Rn], m = cpu.V[op.Rm], result = default;
        int size = op.Size, first = op.A != 0 ? op.Amount : 0;
        bool signed = op.B != 0, saturated = false;
        for (int i = 0; i < op.Amount; i++)
        {
            long a = (long)Lanes.Read(ref n, size + 1, i), b = Narrow(ref m, size, first + i, signed);
            Lanes.Write(ref result, size + 1, i, TOp.Apply(0, a, b, size, ref saturated));
        }

        Finish(cpu, op.Rd, result, true, saturated);
    }

    /// <summary>
    /// Narrow: narrow result[i] = op(_, wide Vn[i], wide Vm[i]) (ADDHN...; XTN and friends ignore Vm). The "2" forms
    /// write the upper half of Vd and keep the lower; the others write the lower half and clear the rest.
    /// </summary>
    public static void Narrow<TOp>(Arm64Cpu cpu, ref Op op)
        where TOp : IWideningOp
    {
        Vector128<byte> n = cpu.V[op.Rn], m = cpu.V[op.Rm];
        bool upper = op.A != 0, saturated = false;
        Vector128<byte> result = upper ? cpu.V[op.Rd] : default;
        int size = op.Size, first = upper ? op.Amount : 0;
        for (int i = 0; i < op.Amount; i++)
        {
            long a = (long)Lanes.Read(ref n, size + 1, i), b = (long)Lanes.Read(ref m, size + 1, i);
            Lanes.Write(ref result, size, first + i, TOp.Apply(0, a, b, size, ref saturated));
        }

        Finish(cpu, op.Rd, result, upper, saturated);
    }

    /// <summary>SHLL/SHLL2: each narrow element (of the selected half) widened and shifted left by its width.</summary>
    public static void ShiftLeftLong(Arm64Cpu cpu, ref Op op)
    {
        Vector128<byte> n = cpu.V[op.Rn], result = default;
        int size = op.Size, first = op.A != 0 ? op.Amount : 0;
        for (int i = 0; i < op.Amount; i++)
        {
            Lanes.Write(ref result, size + 1, i, Lanes.Read(ref n, size, first + i) << Lanes.Bits(size));
        }

        cpu.SetQ(op.Rd, result);
    }

    /// <summary>PMULL/PMULL2 with 64-bit elements: the 128-bit carry-less product of one doubleword of each source.</summary>
    public static void PolynomialMulLong64(Arm64Cpu cpu, ref Op op)
    {
        int index = op.A != 0 ? 1 : 0;
        if (Pclmulqdq.IsSupported)
        {
            // The immediate picks the doubleword of each source: 0x00 both low, 0x11 both high.
            Vector128<ulong> n = cpu.V[op.Rn].AsUInt64(), m = cpu.V[op.Rm].AsUInt64();
            cpu.SetQ(op.Rd, (index == 0 ? Pclmulqdq.CarrylessMultiply(n, m, 0x00) : Pclmulqdq.CarrylessMultiply(n, m, 0x11)).AsByte());
            return;
        }

        ulong a = cpu.V[op.Rn].AsUInt64().GetElement(index), b = cpu.V[op.Rm].AsUInt64().GetElement(index);
        UInt128 product = Polynomial.Multiply64(a, b);
        cpu.SetQ(op.Rd, Vector128.Create((ulong)product, (ulong)(product >> 64)).AsByte());
    }

    private static long Narrow(ref Vector128<byte> v, int size, int index, bool signed)
    {
        ulong element = Lanes.Read(ref v, size, index);
        return signed ? Lanes.SignExtend(element, size) : (long)element;
    }

    private static void Finish(Arm64Cpu cpu, int rd, Vector128<byte> result, bool full, bool saturated)
    {
        cpu.SetVector(rd, result, full);
        if (saturated)
        {
            cpu.Fpsr |= FpBits.Qc;
        }
    }
}
