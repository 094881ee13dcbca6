using System.Runtime.Intrinsics;
using EdgeVisor.Emulation.Arm64.Decoding;
using EdgeVisor.Emulation.Arm64.FloatingPoint;

namespace EdgeVisor.Emulation.Arm64.Simd.Data;

/// <summary>
/// SCVTF/UCVTF and FCVTZS/FCVTZU with fractional bits (shift-by-immediate class, vector and scalar). Op fields as
/// in <see cref="LaneLoops"/>: Size 2 (single) or 3 (double), Amount the fraction bits, A the lane count, B = Q.
/// </summary>
internal static class FixedPointConversions
{
    public static void SignedToFloat(Arm64Cpu cpu, ref Op op) => FixedToFloat(cpu, ref op, unsigned: false);

    public static void UnsignedToFloat(Arm64Cpu cpu, ref Op op) => FixedToFloat(cpu, ref op, unsigned: true);

    public static void FloatToSigned(Arm64Cpu cpu, ref Op op) => FloatToFixed(cpu, ref op, unsigned: false);

    public static void FloatToUnsigned(Arm64Cpu cpu, ref Op op) => FloatToFixed(cpu, ref op, unsigned: true);

    private static void FixedToFloat(Arm64Cpu cpu, ref Op op, bool unsigned)
    {
        int size = op.Size;
        Vector128<byte> n = cpu.V[op.Rn];
        Vector128<byte> result = Vector128<byte>.Zero;
        uint fpsr = cpu.Fpsr;
        FpRounding rounding = FpBits.Rounding(cpu.Fpcr);
        for (int i = 0; i < op.A; i++)
        {
            ulong value = SoftFloat.FromFixed(size, VectorElements.Get(n, size, i), op.Amount, unsigned, 8 << size, rounding, cpu.Fpcr, ref fpsr);
            result = VectorElements.With(result, size, i, value);
        }

        cpu.Fpsr = fpsr;
        cpu.SetVector(op.Rd, result, op.B != 0);
    }

    private static void FloatToFixed(Arm64Cpu cpu, ref Op op, bool unsigned)
    {
        int size = op.Size;
        Vector128<byte> n = cpu.V[op.Rn];
        Vector128<byte> result = Vector128<byte>.Zero;
        uint fpsr = cpu.Fpsr;
        for (int i = 0; i < op.A; i++)
        {
            ulong value = SoftFloat.ToFixed(size, VectorElements.Get(n, size, i), op.Amount, unsigned, 8 << size, FpRounding.Zero, cpu.Fpcr, ref fpsr);
            result = VectorElements.With(result, size, i, value);
        }

        cpu.Fpsr = fpsr;
        cpu.SetVector(op.Rd, result, op.B != 0);
    }
}
