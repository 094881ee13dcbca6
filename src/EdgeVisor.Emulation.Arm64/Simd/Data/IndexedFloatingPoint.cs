using System.Runtime.Intrinsics;
using EdgeVisor.Emulation.Arm64.Decoding;
using EdgeVisor.Emulation.Arm64.FloatingPoint;

namespace EdgeVisor.Emulation.Arm64.Simd.Data;

/// <summary>
/// FMUL/FMLA/FMLS/FMULX by element (vector and scalar, single and double). Op fields as in <see cref="LaneLoops"/>:
/// Size 2 or 3, A the lane count, B = Q, C the Vm element index.
/// </summary>
internal static class IndexedFloatingPoint
{
    private enum Kind
    {
        Multiply,
        MultiplyExtended,
        MultiplyAdd,
        MultiplySubtract,
    }

    public static void Multiply(Arm64Cpu cpu, ref Op op) => Run(cpu, ref op, Kind.Multiply);

    public static void MultiplyExtended(Arm64Cpu cpu, ref Op op) => Run(cpu, ref op, Kind.MultiplyExtended);

    public static void MultiplyAdd(Arm64Cpu cpu, ref Op op) => Run(cpu, ref op, Kind.MultiplyAdd);

    public static void MultiplySubtract(Arm64Cpu cpu, ref Op op) => Run(cpu, ref op, Kind.MultiplySubtract);

    private static void Run(Arm64Cpu cpu, ref Op op, Kind kind)
    {
        int size = op.Size;
        Vector128<byte> n = cpu.V[op.Rn];
        Vector128<byte> d = cpu.V[op.Rd];
        ulong m = VectorElements.Get(cpu.V[op.Rm], size, op.C);
        Vector128<byte> result = Vector128<byte>.Zero;
        uint fpcr = cpu.Fpcr;
        uint fpsr = cpu.Fpsr;
        for (int i = 0; i < op.A; i++)
        {
            ulong a = VectorElements.Get(n, size, i);
            ulong value = kind switch
            {
                Kind.Multiply => SoftFloat.Mul(size, a, m, fpcr, ref fpsr),
                Kind.MultiplyExtended => SoftFloat.MulX(size, a, m, fpcr, ref fpsr),
                Kind.MultiplyAdd => SoftFloat.MulAdd(size, VectorElements.Get(d, size, i), a, m, fpcr, ref fpsr),
                _ => SoftFloat.MulAdd(size, VectorElements.Get(d, size, i), SoftFloat.Negate(size, a), m, fpcr, ref fpsr),
            };
            result = VectorElements.With(result, size, i, value);
        }

        cpu.Fpsr = fpsr;
        cpu.SetVector(op.Rd, result, op.B != 0);
    }
}
