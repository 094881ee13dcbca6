using System.Numerics;
using EdgeVisor.Emulation.Arm64.Decoding;

namespace EdgeVisor.Emulation.Arm64.Integer;

/// <summary>Multiply (3-source), divide, variable shifts, CRC32 (2-source) and bit/byte reversal and counts (1-source).</summary>
internal static class ArithmeticHandlers
{
    public static void Multiply64(Arm64Cpu cpu, ref Op op) => cpu.X[op.Rd] = cpu.X[op.Rn] * cpu.X[op.Rm];

    public static void Multiply32(Arm64Cpu cpu, ref Op op) => cpu.X[op.Rd] = (uint)cpu.X[op.Rn] * (uint)cpu.X[op.Rm];

    public static void MultiplyAdd64(Arm64Cpu cpu, ref Op op) => cpu.X[op.Rd] = cpu.X[op.Ra] + (cpu.X[op.Rn] * cpu.X[op.Rm]);

    public static void MultiplySubtract64(Arm64Cpu cpu, ref Op op) => cpu.X[op.Rd] = cpu.X[op.Ra] - (cpu.X[op.Rn] * cpu.X[op.Rm]);

    public static void MultiplyAdd32(Arm64Cpu cpu, ref Op op) => cpu.X[op.Rd] = (uint)cpu.X[op.Ra] + ((uint)cpu.X[op.Rn] * (uint)cpu.X[op.Rm]);

    public static void MultiplySubtract32(Arm64Cpu cpu, ref Op op) => cpu.X[op.Rd] = (uint)cpu.X[op.Ra] - ((uint)cpu.X[op.Rn] * (uint)cpu.X[op.Rm]);

    public static void SignedMultiplyAddLong(Arm64Cpu cpu, ref Op op) => cpu.X[op.Rd] = cpu.X[op.Ra] + (ulong)((long)(int)cpu.X[op.Rn] * (int)cpu.X[op.Rm]);

    public static void SignedMultiplySubtractLong(Arm64Cpu cpu, ref Op op) => cpu.X[op.Rd] = cpu.X[op.Ra] - (ulong)((long)(int)cpu.X[op.Rn] * (int)cpu.X[op.Rm]);

    public static void UnsignedMultiplyAddLong(Arm64Cpu cpu, ref Op op) => cpu.X[op.Rd] = cpu.X[op.Ra] + ((ulong)(uint)cpu.X[op.Rn] * (uint)cpu.X[op.Rm]);

    public static void UnsignedMultiplySubtractLong(Arm64Cpu cpu, ref Op op) => cpu.X[op.Rd] = cpu.X[op.Ra] - ((ulong)(uint)cpu.X[op.Rn] * (uint)cpu.X[op.Rm]);

    public static void SignedMultiplyHigh(Arm64Cpu cpu, ref Op op) => cpu.X[op.Rd] = (ulong)Math.BigMul((long)cpu.X[op.Rn], (long)cpu.X[op.Rm], out _);

    public static void UnsignedMultiplyHigh(Arm64Cpu cpu, ref Op op) => cpu.X[op.Rd] = Math.BigMul(cpu.X[op.Rn], cpu.X[op.Rm], out _);

    /// <summary>UDIV: division by zero gives 0 (no trap on A64).</summary>
    public static void UnsignedDivide64(Arm64Cpu cpu, ref Op op)
    {
        ulong divisor = cpu.X[op.Rm];
        cpu.X[op.Rd] = divisor == 0 ? 0 : cpu.X[op.Rn] / divisor;
    }

    public static void UnsignedDivide32(Arm64Cpu cpu, ref Op op)
    {
        uint divisor = (uint)cpu.X[op.Rm];
        cpu.X[op.Rd] = divisor == 0 ? 0 : (uint)cpu.X[op.Rn] / divisor;
    }

    /// <summary>SDIV: division by zero gives 0 and INT_MIN / -1 gives INT_MIN (the host would trap on both).</summary>
    public static void SignedDivide64(Arm64Cpu cpu, ref Op op)
    {
        long divisor = (long)cpu.X[op.Rm];
        long dividend = (long)cpu.X[op.Rn];
        cpu.X[op.Rd] = divisor switch
        {
            0 => 0,
            -1 => (ulong)(0 - dividend),
            _ => (ulong)(dividend / divisor),
        };
    }

    public static void SignedDivide32(Arm64Cpu cpu, ref Op op)
    {
        int divisor = (int)cpu.X[op.Rm];
        int dividend = (int)cpu.X[op.Rn];
        cpu.X[op.Rd] = divisor switch
        {
            0 => 0,
            -1 => (uint)(0 - dividend),
            _ => (uint)(dividend / divisor),
        };
    }

    // Variable shifts use the amount modulo the register size, which is what C#'s shift operators do.
    public static void ShiftLeftVariable64(Arm64Cpu cpu, ref Op op) => cpu.X[op.Rd] = cpu.X[op.Rn] << (int)cpu.X[op.Rm];

    public static void ShiftRightVariable64(Arm64Cpu cpu, ref Op op) => cpu.X[op.Rd] = cpu.X[op.Rn] >> (int)cpu.X[op.Rm];

    public static void ArithmeticShiftRightVariable64(Arm64Cpu cpu, ref Op op) => cpu.X[op.Rd] = (ulong)((long)cpu.X[op.Rn] >> (int)cpu.X[op.Rm]);

    public static void RotateRightVariable64(Arm64Cpu cpu, ref Op op) => cpu.X[op.Rd] = BitOperations.RotateRight(cpu.X[op.Rn], (int)cpu.X[op.Rm]);

    public static void ShiftLeftVariable32(Arm64Cpu cpu, ref Op op) => cpu.X[op.Rd] = (uint)cpu.X[op.Rn] << (int)cpu.X[op.Rm];

    public static void ShiftRightVariable32(Arm64Cpu cpu, ref Op op) => cpu.X[op.Rd] = (uint)cpu.X[op.Rn] >> (int)cpu.X[op.Rm];

    public static void ArithmeticShiftRightVariable32(Arm64Cpu cpu, ref Op op) => cpu.X[op.Rd] = (uint)((int)cpu.X[op.Rn] >> (int)cpu.X[op.Rm]);

    public static void RotateRightVariable32(Arm64Cpu cpu, ref Op op) => cpu.X[op.Rd] = BitOperations.RotateRight((uint)cpu.X[op.Rn], (int)cpu.X[op.Rm]);

    /// <summary>CRC32B/H/W/X: <see cref="Op.Size"/> is log2 of the data bytes.</summary>
    public static void Crc32(Arm64Cpu cpu, ref Op op) => cpu.X[op.Rd] = Crc32Tables.Crc32((uint)cpu.X[op.Rn], cpu.X[op.Rm], 1 << op.Size);

    /// <summary>CRC32CB/H/W/X (Castagnoli polynomial).</summary>
    public static void Crc32C(Arm64Cpu cpu, ref Op op) => cpu.X[op.Rd] = Crc32Tables.Crc32C((uint)cpu.X[op.Rn], cpu.X[op.Rm], 1 << op.Size);

    public static void ReverseBits64(Arm64Cpu cpu, ref Op op) => cpu.X[op.Rd] = BitReversal.Reverse64(cpu.X[op.Rn]);

    public static void ReverseBits32(Arm64Cpu cpu, ref Op op) => cpu.X[op.Rd] = (uint)(BitReversal.Reverse64(cpu.X[op.Rn]) >> 32);

    /// <summary>REV16: bytes swapped within each halfword.</summary>
    public static void ReverseHalfwords64(Arm64Cpu cpu, ref Op op)
    {
        ulong value = cpu.X[op.Rn];
        cpu.X[op.Rd] = ((value & 0x00FF_00FF_00FF_00FF) << 8) | ((value >> 8) & 0x00FF_00FF_00FF_00FF);
    }

    public static void ReverseHalfwords32(Arm64Cpu cpu, ref Op op)
    {
        uint value = (uint)cpu.X[op.Rn];
        cpu.X[op.Rd] = ((value & 0x00FF_00FF) << 8) | ((value >> 8) & 0x00FF_00FF);
    }

    /// <summary>REV32 (64-bit): bytes reversed within each word.</summary>
    public static void ReverseWords64(Arm64Cpu cpu, ref Op op)
    {
        ulong value = cpu.X[op.Rn];
        cpu.X[op.Rd] = ((ulong)global::System.Buffers.Binary.BinaryPrimitives.ReverseEndianness((uint)(value >> 32)) << 32)
            | global::System.Buffers.Binary.BinaryPrimitives.ReverseEndianness((uint)value);
    }

    public static void Reverse64(Arm64Cpu cpu, ref Op op) => cpu.X[op.Rd] = global::System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(cpu.X[op.Rn]);

    public static void Reverse32(Arm64Cpu cpu, ref Op op) => cpu.X[op.Rd] = global::System.Buffers.Binary.BinaryPrimitives.ReverseEndianness((uint)cpu.X[op.Rn]);

    public static void CountLeadingZeros64(Arm64Cpu cpu, ref Op op) => cpu.X[op.Rd] = (ulong)BitOperations.LeadingZeroCount(cpu.X[op.Rn]);

    public static void CountLeadingZeros32(Arm64Cpu cpu, ref Op op) => cpu.X[op.Rd] = (ulong)BitOperations.LeadingZeroCount((uint)cpu.X[op.Rn]);

    /// <summary>CLS: leading bits equal to the sign bit, not counting the sign bit itself.</summary>
    public static void CountLeadingSignBits64(Arm64Cpu cpu, ref Op op)
    {
        ulong value = cpu.X[op.Rn];
        cpu.X[op.Rd] = (ulong)BitOperations.LeadingZeroCount((value ^ (value << 1)) | 1);
    }

    public static void CountLeadingSignBits32(Arm64Cpu cpu, ref Op op)
    {
        uint value = (uint)cpu.X[op.Rn];
        cpu.X[op.Rd] = (ulong)BitOperations.LeadingZeroCount((value ^ (value << 1)) | 1);
    }
}
