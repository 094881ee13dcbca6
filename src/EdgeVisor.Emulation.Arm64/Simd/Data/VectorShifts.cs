using System.Runtime.Intrinsics;
using EdgeVisor.Emulation.Arm64.Decoding;

namespace EdgeVisor.Emulation.Arm64.Simd.Data;

/// <summary>
/// Whole-register versions of the shifts compilers emit in hot loops (SHL, USHR, SSHR, SHRN, SSHLL/USHLL), used for
/// the vector forms instead of the lane loop. Same op fields as <see cref="LaneLoops"/>.
/// </summary>
internal static class VectorShifts
{
    public static void ShiftLeft(Arm64Cpu cpu, ref Op op)
    {
        Vector128<byte> n = cpu.V[op.Rn];
        int amount = op.Amount;
        Vector128<byte> result = op.Size switch
        {
            0 => Vector128.ShiftLeft(n, amount),
            1 => Vector128.ShiftLeft(n.AsUInt16(), amount).AsByte(),
            2 => Vector128.ShiftLeft(n.AsUInt32(), amount).AsByte(),
            _ => Vector128.ShiftLeft(n.AsUInt64(), amount).AsByte(),
        };
        cpu.SetVector(op.Rd, result, op.B != 0);
    }

    public static void UnsignedShiftRight(Arm64Cpu cpu, ref Op op)
    {
        Vector128<byte> n = cpu.V[op.Rn];
        int amount = op.Amount;

        // A shift by the whole lane width gives zero (the hardware shifts would mask the count).
        Vector128<byte> result = amount == 8 << op.Size ? Vector128<byte>.Zero : op.Size switch
        {
            0 => Vector128.ShiftRightLogical(n, amount),
            1 => Vector128.ShiftRightLogical(n.AsUInt16(), amount).AsByte(),
            2 => Vector128.ShiftRightLogical(n.AsUInt32(), amount).AsByte(),
            _ => Vector128.ShiftRightLogical(n.AsUInt64(), amount).AsByte(),
        };
        cpu.SetVector(op.Rd, result, op.B != 0);
    }

    public static void SignedShiftRight(Arm64Cpu cpu, ref Op op)
    {
        Vector128<byte> n = cpu.V[op.Rn];

        // A shift by the whole lane width gives the sign, as a shift by width − 1 does.
        int amount = Math.Min(op.Amount, (8 << op.Size) - 1);
        Vector128<byte> result = op.Size switch
        {
            0 => Vector128.ShiftRightArithmetic(n.AsSByte(), amount).AsByte(),
            1 => Vector128.ShiftRightArithmetic(n.AsInt16(), amount).AsByte(),
            2 => Vector128.ShiftRightArithmetic(n.AsInt32(), amount).AsByte(),
            _ => Vector128.ShiftRightArithmetic(n.AsInt64(), amount).AsByte(),
        };
        cpu.SetVector(op.Rd, result, op.B != 0);
    }

    /// <summary>SHRN(2): shift the double-width lanes right (by at most the narrow width) and keep their low halves.</summary>
    public static void ShiftRightNarrow(Arm64Cpu cpu, ref Op op)
    {
        Vector128<byte> n = cpu.V[op.Rn];
        int amount = op.Amount;
        Vector128<byte> narrowed = op.Size switch
        {
            0 => Vector128.Narrow(Vector128.ShiftRightLogical(n.AsUInt16(), amount), Vector128<ushort>.Zero),
            1 => Vector128.Narrow(Vector128.ShiftRightLogical(n.AsUInt32(), amount), Vector128<uint>.Zero).AsByte(),
            _ => Vector128.Narrow(Vector128.ShiftRightLogical(n.AsUInt64(), amount), Vector128<ulong>.Zero).AsByte(),
        };
        ulong result = narrowed.AsUInt64().ToScalar();
        if (op.B != 0)
        {
            cpu.V[op.Rd] = cpu.V[op.Rd].AsUInt64().WithElement(1, result).AsByte();
        }
        else
        {
            cpu.SetD(op.Rd, result);
        }
    }

    /// <summary>USHLL(2)/UXTL(2).</summary>
    public static void UnsignedShiftLeftLong(Arm64Cpu cpu, ref Op op)
    {
        Vector128<byte> n = cpu.V[op.Rn];
        bool upper = op.B != 0;
        int amount = op.Amount;
        cpu.V[op.Rd] = op.Size switch
        {
            0 => Vector128.ShiftLeft(upper ? Vector128.WidenUpper(n) : Vector128.WidenLower(n), amount).AsByte(),
            1 => Vector128.ShiftLeft(upper ? Vector128.WidenUpper(n.AsUInt16()) : Vector128.WidenLower(n.AsUInt16()), amount).AsByte(),
            _ => Vector128.ShiftLeft(upper ? Vector128.WidenUpper(n.AsUInt32()) : Vector128.WidenLower(n.AsUInt32()), amount).AsByte(),
        };
    }

    /// <summary>SSHLL(2)/SXTL(2).</summary>
    public static void SignedShiftLeftLong(Arm64Cpu cpu, ref Op op)
    {
        Vector128<byte> n = cpu.V[op.Rn];
        bool upper = op.B != 0;
        int amount = op.Amount;
        cpu.V[op.Rd] = op.Size switch
        {
            0 => Vector128.ShiftLeft(upper ? Vector128.WidenUpper(n.AsSByte()) : Vector128.WidenLower(n.AsSByte()), amount).AsByte(),
            1 => Vector128.ShiftLeft(upper ? Vector128.WidenUpper(n.AsInt16()) : Vector128.WidenLower(n.AsInt16()), amount).AsByte(),
            _ => Vector128.ShiftLeft(upper ? Vector128.WidenUpper(n.AsInt32()) : Vector128.WidenLower(n.AsInt32()), amount).AsByte(),
        };
    }
}
