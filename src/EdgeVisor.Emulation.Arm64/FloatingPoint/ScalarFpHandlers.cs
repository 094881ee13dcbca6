using System.Runtime.Intrinsics;
using EdgeVisor.Emulation.Arm64.Decoding;

namespace EdgeVisor.Emulation.Arm64.FloatingPoint;

/// <summary>
/// Handlers of the scalar FP data-processing instructions. Operands are the low element of V registers; results are
/// written as the low element with the rest of the register cleared (SetD of the masked element). <c>op.Size</c> is
/// the element size (log2 bytes); FPSR flags accumulate directly in <see cref="Arm64Cpu.Fpsr"/>.
/// </summary>
internal static class ScalarFpHandlers
{
    /// <summary>Mask of an element of <paramref name="size"/> (log2 bytes).</summary>
    public static ulong ElementMask(int size) => size == 3 ? ulong.MaxValue : (1UL << (8 << size)) - 1;

    /// <summary>FADD, FSUB, FMUL, FNMUL, FDIV, FMAX, FMIN, FMAXNM, FMINNM.</summary>
    public static void Binary<TOperation>(Arm64Cpu cpu, ref Op op)
        where TOperation : struct, ScalarFpOperations.IBinary
    {
        ulong result = TOperation.Apply(op.Size, cpu.GetD(op.Rn), cpu.GetD(op.Rm), cpu.Fpcr, ref cpu.Fpsr);
        cpu.SetD(op.Rd, result & ElementMask(op.Size));
    }

    /// <summary>FMOV, FABS, FNEG, FSQRT.</summary>
    public static void Unary<TOperation>(Arm64Cpu cpu, ref Op op)
        where TOperation : struct, ScalarFpOperations.IUnary
    {
        ulong result = TOperation.Apply(op.Size, cpu.GetD(op.Rn), cpu.Fpcr, ref cpu.Fpsr);
        cpu.SetD(op.Rd, result & ElementMask(op.Size));
    }

    /// <summary>FMADD/FMSUB/FNMADD/FNMSUB: A negates the addend, B the first multiplicand (FPNeg before FPMulAdd).</summary>
    public static void MultiplyAdd(Arm64Cpu cpu, ref Op op)
    {
        int size = op.Size;
        ulong addend = cpu.GetD(op.Ra);
        ulong multiplicand = cpu.GetD(op.Rn);
        if (op.A != 0)
        {
            addend = SoftFloat.Negate(size, addend);
        }

        if (op.B != 0)
        {
            multiplicand = SoftFloat.Negate(size, multiplicand);
        }

        ulong result = SoftFloat.MulAdd(size, addend, multiplicand, cpu.GetD(op.Rm), cpu.Fpcr, ref cpu.Fpsr);
        cpu.SetD(op.Rd, result & ElementMask(size));
    }

    /// <summary>FCVT: from <c>op.Size</c> to <c>op.A</c> (log2 bytes) with the FPCR rounding mode.</summary>
    public static void ConvertPrecision(Arm64Cpu cpu, ref Op op)
    {
        uint fpcr = cpu.Fpcr;
        ulong result = SoftFloat.Convert(op.Size, op.A, cpu.GetD(op.Rn), FpBits.Rounding(fpcr), fpcr, ref cpu.Fpsr);
        cpu.SetD(op.Rd, result & ElementMask(op.A));
    }

    /// <summary>FRINTN/P/M/Z/A (fixed mode in <c>op.A</c>), FRINTI/FRINTX (FPCR mode, <c>op.C</c> set); <c>op.B</c>: exact (FRINTX).</summary>
    public static void RoundToIntegral(Arm64Cpu cpu, ref Op op)
    {
        uint fpcr = cpu.Fpcr;
        FpRounding rounding = op.C != 0 ? FpBits.Rounding(fpcr) : (FpRounding)op.A;
        ulong result = SoftFloat.RoundToIntegral(op.Size, cpu.GetD(op.Rn), rounding, op.B != 0, fpcr, ref cpu.Fpsr);
        cpu.SetD(op.Rd, result & ElementMask(op.Size));
    }

    /// <summary>FMOV (scalar, immediate): the expanded constant is in <c>op.Imm</c>.</summary>
    public static void MoveImmediate(Arm64Cpu cpu, ref Op op) => cpu.SetD(op.Rd, op.Imm);

    /// <summary>FCSEL.</summary>
    public static void ConditionalSelect(Arm64Cpu cpu, ref Op op)
    {
        ulong value = cpu.ConditionHolds(op.Cond) ? cpu.GetD(op.Rn) : cpu.GetD(op.Rm);
        cpu.SetD(op.Rd, value & ElementMask(op.Size));
    }

    /// <summary>FCMP/FCMPE (<c>op.A</c>: signal on quiet NaNs; <c>op.B</c>: compare with +0.0).</summary>
    public static void Compare(Arm64Cpu cpu, ref Op op)
    {
        ulong other = op.B != 0 ? 0 : cpu.GetD(op.Rm);
        uint nzcv = SoftFloat.Compare(op.Size, cpu.GetD(op.Rn), other, op.A != 0, cpu.Fpcr, ref cpu.Fpsr);
        cpu.Nzcv = nzcv << 28;
    }

    /// <summary>FCCMP/FCCMPE: compare when the condition holds, else NZCV = <c>op.Imm</c> (the nzcv field).</summary>
    public static void ConditionalCompare(Arm64Cpu cpu, ref Op op)
    {
        uint nzcv = cpu.ConditionHolds(op.Cond)
            ? SoftFloat.Compare(op.Size, cpu.GetD(op.Rn), cpu.GetD(op.Rm), op.A != 0, cpu.Fpcr, ref cpu.Fpsr)
            : (uint)op.Imm;
        cpu.Nzcv = nzcv << 28;
    }

    /// <summary>FCVT[NPMZA][SU] and FCVTZS/FCVTZU (fixed point): <c>op.A</c> rounding (0xFF = FPCR), <c>op.B</c> unsigned, <c>op.C</c> target bits, <c>op.Amount</c> fraction bits.</summary>
    public static void ToInteger(Arm64Cpu cpu, ref Op op)
    {
        uint fpcr = cpu.Fpcr;
        FpRounding rounding = op.A == 0xFF ? FpBits.Rounding(fpcr) : (FpRounding)op.A;
        cpu.X[op.Rd] = SoftFloat.ToFixed(op.Size, cpu.GetD(op.Rn), op.Amount, op.B != 0, op.C, rounding, fpcr, ref cpu.Fpsr);
    }

    /// <summary>SCVTF/UCVTF (integer and fixed point) with the FPCR rounding mode: <c>op.B</c> unsigned, <c>op.C</c> source bits, <c>op.Amount</c> fraction bits.</summary>
    public static void FromInteger(Arm64Cpu cpu, ref Op op)
    {
        uint fpcr = cpu.Fpcr;
        ulong result = SoftFloat.FromFixed(op.Size, cpu.X[op.Rn], op.Amount, op.B != 0, op.C, FpBits.Rounding(fpcr), fpcr, ref cpu.Fpsr);
        cpu.SetD(op.Rd, result & ElementMask(op.Size));
    }

    /// <summary>FMOV Wd, Sn.</summary>
    public static void MoveToGeneral32(Arm64Cpu cpu, ref Op op) => cpu.X[op.Rd] = (uint)cpu.GetD(op.Rn);

    /// <summary>FMOV Xd, Dn.</summary>
    public static void MoveToGeneral64(Arm64Cpu cpu, ref Op op) => cpu.X[op.Rd] = cpu.GetD(op.Rn);

    /// <summary>FMOV Xd, Vn.D[1].</summary>
    public static void MoveUpperToGeneral(Arm64Cpu cpu, ref Op op) => cpu.X[op.Rd] = cpu.V[op.Rn].AsUInt64().GetElement(1);

    /// <summary>FMOV Sd, Wn.</summary>
    public static void MoveFromGeneral32(Arm64Cpu cpu, ref Op op) => cpu.SetD(op.Rd, (uint)cpu.X[op.Rn]);

    /// <summary>FMOV Dd, Xn.</summary>
    public static void MoveFromGeneral64(Arm64Cpu cpu, ref Op op) => cpu.SetD(op.Rd, cpu.X[op.Rn]);

    /// <summary>FMOV Vd.D[1], Xn: only the upper half changes.</summary>
    public static void MoveUpperFromGeneral(Arm64Cpu cpu, ref Op op) =>
        cpu.V[op.Rd] = cpu.V[op.Rd].AsUInt64().WithElement(1, cpu.X[op.Rn]).AsByte();
}
