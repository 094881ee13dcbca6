using System.Runtime.Intrinsics;
using EdgeVisor.Emulation.Arm64.Decoding;

namespace EdgeVisor.Emulation.Arm64.Simd.Data;

/// <summary>
/// Whole-register MUL/MLA/MLS by element (H or S lanes): the selected Vm lane is broadcast once and multiplied with
/// every lane of Vn in one vector operation. Op fields as in <see cref="LaneLoops"/>.
/// </summary>
internal static class VectorByElement
{
    public static void Multiply(Arm64Cpu cpu, ref Op op) => cpu.SetVector(op.Rd, Product(cpu, ref op), op.B != 0);

    public static void MultiplyAdd(Arm64Cpu cpu, ref Op op) =>
        cpu.SetVector(op.Rd, op.Size == 1 ? (cpu.V[op.Rd].AsUInt16() + Product(cpu, ref op).AsUInt16()).AsByte() : (cpu.V[op.Rd].AsUInt32() + Product(cpu, ref op).AsUInt32()).AsByte(), op.B != 0);

    public static void MultiplySubtract(Arm64Cpu cpu, ref Op op) =>
        cpu.SetVector(op.Rd, op.Size == 1 ? (cpu.V[op.Rd].AsUInt16() - Product(cpu, ref op).AsUInt16()).AsByte() : (cpu.V[op.Rd].AsUInt32() - Product(cpu, ref op).AsUInt32()).AsByte(), op.B != 0);

    private static Vector128<byte> Product(Arm64Cpu cpu, ref Op op)
    {
        Vector128<byte> n = cpu.V[op.Rn];
        Vector128<byte> m = cpu.V[op.Rm];
        return op.Size == 1
            ? (n.AsUInt16() * Vector128.Create(m.AsUInt16().GetElement(op.C))).AsByte()
            : (n.AsUInt32() * Vector128.Create(m.AsUInt32().GetElement(op.C))).AsByte();
    }
}
