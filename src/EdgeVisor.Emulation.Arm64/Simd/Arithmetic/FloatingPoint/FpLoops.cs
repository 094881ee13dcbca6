using System.Runtime.Intrinsics;
using EdgeVisor.Emulation.Arm64.Decoding;
using EdgeVisor.Emulation.Arm64.FloatingPoint;

namespace EdgeVisor.Emulation.Arm64.Simd.Arithmetic.FloatingPoint;

/// <summary>
/// Element loops for the floating-point Advanced SIMD handlers, vector and scalar. Operand fields as in the integer
/// loops: <see cref="Op.Size"/> = 2 (single) or 3 (double), <see cref="Op.Amount"/> = elements, <see cref="Op.A"/> = Q,
/// <see cref="Op.B"/> = the op's parameter. FPSR flags accumulate across the elements in order.
/// </summary>
internal static class FpLoops
{
    /// <summary>Vd[i] = op(Vd[i], Vn[i], Vm[i]).</summary>
    public static void ElementWise<TOp>(Arm64Cpu cpu, ref Op op)
        where TOp : IFpOp
    {
        Vector128<byte> n = cpu.V[op.Rn], m = cpu.V[op.Rm], d = cpu.V[op.Rd], result = default;
        int size = op.Size;
        uint fpcr = cpu.Fpcr, fpsr = cpu.Fpsr;
        for (int i = 0; i < op.Amount; i++)
        {
            ulong value = TOp.Apply(size, Lanes.Read(ref d, size, i), Lanes.Read(ref n, size, i), Lanes.Read(ref m, size, i), op.B, fpcr, ref fpsr);
            Lanes.Write(ref result, size, i, value);
        }

        cpu.Fpsr = fpsr;
        cpu.SetVector(op.Rd, result, op.A != 0);
    }

    /// <summary>Vd[i] = op(_, Vn[i], +0.0).</summary>
    public static void Unary<TOp>(Arm64Cpu cpu, ref Op op)
        where TOp : IFpOp
    {
        Vector128<byte> n = cpu.V[op.Rn], result = default;
        int size = op.Size;
        uint fpcr = cpu.Fpcr, fpsr = cpu.Fpsr;
        for (int i = 0; i < op.Amount; i++)
        {
            Lanes.Write(ref result, size, i, TOp.Apply(size, 0, Lanes.Read(ref n, size, i), 0, op.B, fpcr, ref fpsr));
        }

        cpu.Fpsr = fpsr;
        cpu.SetVector(op.Rd, result, op.A != 0);
    }

    /// <summary>Pairwise over the concatenation of Vn and Vm (FADDP, FMAXP...).</summary>
    public static void Pairwise<TOp>(Arm64Cpu cpu, ref Op op)
        where TOp : IFpOp
    {
        Vector128<byte> n = cpu.V[op.Rn], m = cpu.V[op.Rm], result = default;
        int size = op.Size, half = op.Amount / 2;
        uint fpcr = cpu.Fpcr, fpsr = cpu.Fpsr;
        for (int i = 0; i < half; i++)
        {
            Lanes.Write(ref result, size, i, TOp.Apply(size, 0, Lanes.Read(ref n, size, 2 * i), Lanes.Read(ref n, size, (2 * i) + 1), op.B, fpcr, ref fpsr));
        }

        for (int i = 0; i < half; i++)
        {
            Lanes.Write(ref result, size, half + i, TOp.Apply(size, 0, Lanes.Read(ref m, size, 2 * i), Lanes.Read(ref m, size, (2 * i) + 1), op.B, fpcr, ref fpsr));
        }

        cpu.Fpsr = fpsr;
        cpu.SetVector(op.Rd, result, op.A != 0);
    }

    /// <summary>
    /// Across lanes and scalar pairwise (FMAXV, FADDP Sd...): the ARM ARM's Reduce, which combines the two halves'
    /// reductions recursively, so pairs of neighbours first.
    /// </summary>
    public static void Reduce<TOp>(Arm64Cpu cpu, ref Op op)
        where TOp : IFpOp
    {
        Vector128<byte> values = cpu.V[op.Rn];
        int size = op.Size;
        uint fpcr = cpu.Fpcr, fpsr = cpu.Fpsr;
        for (int count = op.Amount; count > 1; count /= 2)
        {
            for (int i = 0; i < count / 2; i++)
            {
                ulong value = TOp.Apply(size, 0, Lanes.Read(ref values, size, 2 * i), Lanes.Read(ref values, size, (2 * i) + 1), op.B, fpcr, ref fpsr);
                Lanes.Write(ref values, size, i, value);
            }
        }

        cpu.Fpsr = fpsr;
        cpu.SetD(op.Rd, Lanes.Read(ref values, size, 0));
    }

    /// <summary>
    /// FCVTN/FCVTN2/FCVTXN(2): each element of Vn (size <see cref="Op.Size"/>) to half its width; the "2" forms write the
    /// upper half of Vd and keep the lower. <see cref="Op.B"/> = the rounding parameter (FPCR, or odd for FCVTXN).
    /// </summary>
    public static void Narrow(Arm64Cpu cpu, ref Op op)
    {
        Vector128<byte> n = cpu.V[op.Rn];
        bool upper = op.A != 0;
        Vector128<byte> result = upper ? cpu.V[op.Rd] : default;
        int size = op.Size, first = upper ? op.Amount : 0;
        uint fpcr = cpu.Fpcr, fpsr = cpu.Fpsr;
        FpRounding rounding = FpParameter.Rounding(op.B, fpcr);
        for (int i = 0; i < op.Amount; i++)
        {
            Lanes.Write(ref result, size - 1, first + i, SoftFloat.Convert(size, size - 1, Lanes.Read(ref n, size, i), rounding, fpcr, ref fpsr));
        }

        cpu.Fpsr = fpsr;
        cpu.SetVector(op.Rd, result, upper);
    }

    /// <summary>FCVTL/FCVTL2: each element (of the selected half of Vn, size <see cref="Op.Size"/>) to twice its width.</summary>
    public static void Lengthen(Arm64Cpu cpu, ref Op op)
    {
        Vector128<byte> n = cpu.V[op.Rn], result = default;
        int size = op.Size, first = op.A != 0 ? op.Amount : 0;
        uint fpcr = cpu.Fpcr, fpsr = cpu.Fpsr;
        for (int i = 0; i < op.Amount; i++)
        {
            Lanes.Write(ref result, size + 1, i, SoftFloat.Convert(size, size + 1, Lanes.Read(ref n, size, first + i), FpBits.Rounding(fpcr), fpcr, ref fpsr));
        }

        cpu.Fpsr = fpsr;
        cpu.SetQ(op.Rd, result);
    }
}
