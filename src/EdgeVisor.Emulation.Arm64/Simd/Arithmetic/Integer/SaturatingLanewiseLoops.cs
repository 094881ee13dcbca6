using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using EdgeVisor.Emulation.Arm64.Decoding;
using EdgeVisor.Emulation.Arm64.FloatingPoint;

namespace EdgeVisor.Emulation.Arm64.Simd.Arithmetic.Integer;

/// <summary>
/// SQADD/UQADD/SQSUB/UQSUB on vectors of bytes and halfwords with the host's saturating SSE2 instructions (the same
/// clamping as Arm); QC is set when any active lane differs from the wrapping result. Other sizes, hosts without SSE2
/// and the scalar forms use the element loop.
/// </summary>
internal static class SaturatingLanewiseLoops
{
    public static void SignedAdd(Arm64Cpu cpu, ref Op op)
    {
        if (!Sse2.IsSupported || op.Size > 1)
        {
            ElementLoops.ElementWise<SaturatingAddOp<Signed>>(cpu, ref op);
            return;
        }

        Vector128<byte> a = cpu.V[op.Rn], b = cpu.V[op.Rm];
        Vector128<byte> clamped = op.Size == 0 ? Sse2.AddSaturate(a.AsSByte(), b.AsSByte()).AsByte() : Sse2.AddSaturate(a.AsInt16(), b.AsInt16()).AsByte();
        Vector128<byte> wrapped = op.Size == 0 ? a + b : (a.AsInt16() + b.AsInt16()).AsByte();
        Finish(cpu, ref op, clamped, wrapped);
    }

    public static void UnsignedAdd(Arm64Cpu cpu, ref Op op)
    {
        if (!Sse2.IsSupported || op.Size > 1)
        {
            ElementLoops.ElementWise<SaturatingAddOp<Unsigned>>(cpu, ref op);
            return;
        }

        Vector128<byte> a = cpu.V[op.Rn], b = cpu.V[op.Rm];
        Vector128<byte> clamped = op.Size == 0 ? Sse2.AddSaturate(a, b) : Sse2.AddSaturate(a.AsUInt16(), b.AsUInt16()).AsByte();
        Vector128<byte> wrapped = op.Size == 0 ? a + b : (a.AsUInt16() + b.AsUInt16()).AsByte();
        Finish(cpu, ref op, clamped, wrapped);
    }

    public static void SignedSub(Arm64Cpu cpu, ref Op op)
    {
        if (!Sse2.IsSupported || op.Size > 1)
        {
            ElementLoops.ElementWise<SaturatingSubOp<Signed>>(cpu, ref op);
            return;
        }

        Vector128<byte> a = cpu.V[op.Rn], b = cpu.V[op.Rm];
        Vector128<byte> clamped = op.Size == 0 ? Sse2.SubtractSaturate(a.AsSByte(), b.AsSByte()).AsByte() : Sse2.SubtractSaturate(a.AsInt16(), b.AsInt16()).AsByte();
        Vector128<byte> wrapped = op.Size == 0 ? a - b : (a.AsInt16() - b.AsInt16()).AsByte();
        Finish(cpu, ref op, clamped, wrapped);
    }

    public static void UnsignedSub(Arm64Cpu cpu, ref Op op)
    {
        if (!Sse2.IsSupported || op.Size > 1)
        {
            ElementLoops.ElementWise<SaturatingSubOp<Unsigned>>(cpu, ref op);
            return;
        }

        Vector128<byte> a = cpu.V[op.Rn], b = cpu.V[op.Rm];
        Vector128<byte> clamped = op.Size == 0 ? Sse2.SubtractSaturate(a, b) : Sse2.SubtractSaturate(a.AsUInt16(), b.AsUInt16()).AsByte();
        Vector128<byte> wrapped = op.Size == 0 ? a - b : (a.AsUInt16() - b.AsUInt16()).AsByte();
        Finish(cpu, ref op, clamped, wrapped);
    }

    private static void Finish(Arm64Cpu cpu, ref Op op, Vector128<byte> clamped, Vector128<byte> wrapped)
    {
        bool q = op.A != 0;
        Vector128<ulong> differs = (clamped ^ wrapped).AsUInt64();
        if ((differs.ToScalar() | (q ? differs.GetElement(1) : 0)) != 0)
        {
            cpu.Fpsr |= FpBits.Qc;
        }

        cpu.SetVector(op.Rd, clamped, q);
    }
}
