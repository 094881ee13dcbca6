using System.Runtime.Intrinsics;
using EdgeVisor.Emulation.Arm64.Decoding;
using EdgeVisor.Emulation.Arm64.FloatingPoint;

namespace EdgeVisor.Emulation.Arm64.Simd.Arithmetic.Integer;

/// <summary>
/// Generic element loops for the integer Advanced SIMD handlers, vector and scalar alike. Operand fields: Rd, Rn, Rm;
/// <see cref="Op.Size"/> = element size (log2 bytes) of the sources; <see cref="Op.Amount"/> = elements per source
/// operand; <see cref="Op.A"/> = 1 for a 128-bit result (Q), 0 for a 64-bit vector or scalar result (upper bits cleared).
/// The result is built in a zeroed local, so a scalar result also clears the bits above its element.
/// </summary>
internal static class ElementLoops
{
    /// <summary>Vd[i] = op(Vd[i], Vn[i], Vm[i]): three same, vector and scalar.</summary>
    public static void ElementWise<TOp>(Arm64Cpu cpu, ref Op op)
        where TOp : IElementOp
    {
        Vector128<byte> n = cpu.V[op.Rn], m = cpu.V[op.Rm], d = cpu.V[op.Rd], result = default;
        int size = op.Size;
        bool saturated = false;
        for (int i = 0; i < op.Amount; i++)
        {
            Lanes.Write(ref result, size, i, TOp.Apply(Lanes.Read(ref d, size, i), Lanes.Read(ref n, size, i), Lanes.Read(ref m, size, i), size, ref saturated));
        }

        Finish(cpu, ref op, result, saturated);
    }

    /// <summary>Vd[i] = op(Vd[i], Vn[i], 0): two-register miscellaneous, vector and scalar.</summary>
    public static void Unary<TOp>(Arm64Cpu cpu, ref Op op)
        where TOp : IElementOp
    {
        Vector128<byte> n = cpu.V[op.Rn], d = cpu.V[op.Rd], result = default;
        int size = op.Size;
        bool saturated = false;
        for (int i = 0; i < op.Amount; i++)
        {
            Lanes.Write(ref result, size, i, TOp.Apply(Lanes.Read(ref d, size, i), Lanes.Read(ref n, size, i), 0, size, ref saturated));
        }

        Finish(cpu, ref op, result, saturated);
    }

    /// <summary>Across lanes (ADDV, SMAXV...): all <see cref="Op.Amount"/> elements of Vn folded into a scalar of the same size.</summary>
    public static void Reduce<TOp>(Arm64Cpu cpu, ref Op op)
        where TOp : IElementOp
    {
        Vector128<byte> n = cpu.V[op.Rn];
        int size = op.Size;
        bool saturated = false;
        ulong accumulator = Lanes.Read(ref n, size, 0);
        for (int i = 1; i < op.Amount; i++)
        {
            accumulator = TOp.Apply(0, accumulator, Lanes.Read(ref n, size, i), size, ref saturated);
        }

        cpu.SetD(op.Rd, accumulator & VectorElements.Mask(size));
    }

    /// <summary>SADDLV/UADDLV: the sum of all elements, as a scalar twice the element size (<see cref="Op.B"/> = signed).</summary>
    public static void AddLongAcross(Arm64Cpu cpu, ref Op op)
    {
        Vector128<byte> n = cpu.V[op.Rn];
        int size = op.Size;
        bool signed = op.B != 0;
        long sum = 0;
        for (int i = 0; i < op.Amount; i++)
        {
            ulong element = Lanes.Read(ref n, size, i);
            sum += signed ? Lanes.SignExtend(element, size) : (long)element;
        }

        cpu.SetD(op.Rd, (ulong)sum & VectorElements.Mask(size + 1));
    }

    /// <summary>
    /// SADDLP/UADDLP/SADALP/UADALP: adjacent pairs of Vn summed into elements twice as wide (<see cref="Op.Amount"/>
    /// results), added to Vd when <see cref="Op.C"/> is set; <see cref="Op.B"/> = signed.
    /// </summary>
    public static void AddLongPairwise(Arm64Cpu cpu, ref Op op)
    {
        Vector128<byte> n = cpu.V[op.Rn], d = cpu.V[op.Rd], result = default;
        int size = op.Size;
        bool signed = op.B != 0, accumulate = op.C != 0;
        for (int i = 0; i < op.Amount; i++)
        {
            ulong first = Lanes.Read(ref n, size, 2 * i), second = Lanes.Read(ref n, size, (2 * i) + 1);
            long sum = signed ? Lanes.SignExtend(first, size) + Lanes.SignExtend(second, size) : (long)(first + second);
            ulong value = (ulong)sum + (accumulate ? Lanes.Read(ref d, size + 1, i) : 0);
            Lanes.Write(ref result, size + 1, i, value);
        }

        cpu.SetVector(op.Rd, result, op.A != 0);
    }

    /// <summary>REV16/REV32/REV64: reverses the order of elements within each container of 2^(<see cref="Op.B"/>) bytes.</summary>
    public static void Reverse(Arm64Cpu cpu, ref Op op)
    {
        Vector128<byte> n = cpu.V[op.Rn], result = default;
        int size = op.Size;
        int perContainer = (1 << op.B) >> size;
        for (int i = 0; i < op.Amount; i++)
        {
            int container = i / perContainer * perContainer;
            int mirrored = container + (perContainer - 1 - (i - container));
            Lanes.Write(ref result, size, mirrored, Lanes.Read(ref n, size, i));
        }

        cpu.SetVector(op.Rd, result, op.A != 0);
    }

    /// <summary>Writes the result (clearing bits 127:64 unless Q) and sets FPSR.QC when an element saturated.</summary>
    private static void Finish(Arm64Cpu cpu, ref Op op, Vector128<byte> result, bool saturated)
    {
        cpu.SetVector(op.Rd, result, op.A != 0);
        if (saturated)
        {
            cpu.Fpsr |= FpBits.Qc;
        }
    }
}
