using System.Runtime.Intrinsics;
using EdgeVisor.Emulation.Arm64.Decoding;
using EdgeVisor.Emulation.Arm64.FloatingPoint;

namespace EdgeVisor.Emulation.Arm64.Simd.Data;

/// <summary>
/// What one lane of a shift-by-immediate or by-element instruction computes. Implemented by empty structs so each
/// loop in <see cref="LaneLoops"/> is specialised per operation by the JIT (no call through an interface at run time).
/// </summary>
internal interface ILaneOperation
{
    /// <summary>
    /// One lane: <paramref name="n"/> the Vn element, <paramref name="m"/> the selected Vm element (by-element forms),
    /// <paramref name="d"/> the old Vd element (accumulating and inserting forms), <paramref name="amount"/> the shift,
    /// <paramref name="size"/> the source element size (log2 bytes). Returns the result bits.
    /// </summary>
    static abstract ulong Apply(ulong n, ulong m, ulong d, int amount, int size, ref bool saturated);
}

/// <summary>
/// The lane loops the shift and by-element handlers share. Op fields: <see cref="Op.Size"/> the source element size,
/// <see cref="Op.Amount"/> the shift, <see cref="Op.A"/> the lane count (1 for the scalar forms),
/// <see cref="Op.B"/> Q for same-size results, the upper-half flag ("2" forms) for narrowing and widening ones,
/// <see cref="Op.C"/> the Vm element index of by-element forms.
/// </summary>
internal static class LaneLoops
{
    /// <summary>Result lanes of the source size, a 64- or 128-bit vector (scalar: one lane, the rest cleared).</summary>
    public static void ShiftSame<T>(Arm64Cpu cpu, ref Op op)
        where T : struct, ILaneOperation
    {
        int size = op.Size;
        Vector128<byte> n = cpu.V[op.Rn];
        Vector128<byte> d = cpu.V[op.Rd];
        Vector128<byte> result = Vector128<byte>.Zero;
        bool saturated = false;
        for (int i = 0; i < op.A; i++)
        {
            ulong value = T.Apply(VectorElements.Get(n, size, i), 0, VectorElements.Get(d, size, i), op.Amount, size, ref saturated);
            result = VectorElements.With(result, size, i, value);
        }

        cpu.SetVector(op.Rd, result, op.B != 0);
        SetSaturation(cpu, saturated);
    }

    /// <summary>Narrowing: source lanes twice <see cref="Op.Size"/> from all of Vn, results into the lower or (B) upper half of Vd.</summary>
    public static void ShiftNarrow<T>(Arm64Cpu cpu, ref Op op)
        where T : struct, ILaneOperation
    {
        int size = op.Size;
        Vector128<byte> n = cpu.V[op.Rn];
        ulong result = 0;
        bool saturated = false;
        for (int i = 0; i < op.A; i++)
        {
            ulong value = T.Apply(VectorElements.Get(n, size + 1, i), 0, 0, op.Amount, size, ref saturated);
            result |= (value & LaneMath.Mask(size)) << (i << (3 + size));
        }

        if (op.B != 0)
        {
            cpu.V[op.Rd] = cpu.V[op.Rd].AsUInt64().WithElement(1, result).AsByte();
        }
        else
        {
            cpu.SetD(op.Rd, result);
        }

        SetSaturation(cpu, saturated);
    }

    /// <summary>Widening: source lanes from the lower or (B) upper half of Vn, results twice as wide filling Vd.</summary>
    public static void ShiftLong<T>(Arm64Cpu cpu, ref Op op)
        where T : struct, ILaneOperation
    {
        int size = op.Size;
        Vector128<byte> n = cpu.V[op.Rn];
        int first = op.B * op.A;
        Vector128<byte> result = Vector128<byte>.Zero;
        bool saturated = false;
        for (int i = 0; i < op.A; i++)
        {
            ulong value = T.Apply(VectorElements.Get(n, size, first + i), 0, 0, op.Amount, size, ref saturated);
            result = VectorElements.With(result, size + 1, i, value);
        }

        cpu.V[op.Rd] = result;
        SetSaturation(cpu, saturated);
    }

    /// <summary>By element, same-size result: every Vn lane with Vm[C].</summary>
    public static void IndexedSame<T>(Arm64Cpu cpu, ref Op op)
        where T : struct, ILaneOperation
    {
        int size = op.Size;
        Vector128<byte> n = cpu.V[op.Rn];
        Vector128<byte> d = cpu.V[op.Rd];
        ulong m = VectorElements.Get(cpu.V[op.Rm], size, op.C);
        Vector128<byte> result = Vector128<byte>.Zero;
        bool saturated = false;
        for (int i = 0; i < op.A; i++)
        {
            ulong value = T.Apply(VectorElements.Get(n, size, i), m, VectorElements.Get(d, size, i), 0, size, ref saturated);
            result = VectorElements.With(result, size, i, value);
        }

        cpu.SetVector(op.Rd, result, op.B != 0);
        SetSaturation(cpu, saturated);
    }

    /// <summary>By element, widening: Vn lanes from the lower or (B) upper half with Vm[C], results twice as wide.</summary>
    public static void IndexedLong<T>(Arm64Cpu cpu, ref Op op)
        where T : struct, ILaneOperation
    {
        int size = op.Size;
        Vector128<byte> n = cpu.V[op.Rn];
        Vector128<byte> d = cpu.V[op.Rd];
        ulong m = VectorElements.Get(cpu.V[op.Rm], size, op.C);
        int first = op.B * op.A;
        Vector128<byte> result = Vector128<byte>.Zero;
        bool saturated = false;
        for (int i = 0; i < op.A; i++)
        {
            ulong value = T.Apply(VectorElements.Get(n, size, first + i), m, VectorElements.Get(d, size + 1, i), 0, size, ref saturated);
            result = VectorElements.With(result, size + 1, i, value);
        }

        cpu.V[op.Rd] = result;
        SetSaturation(cpu, saturated);
    }

    private static void SetSaturation(Arm64Cpu cpu, bool saturated)
    {
        if (saturated)
        {
            cpu.Fpsr |= FpBits.Qc;
        }
    }
}
