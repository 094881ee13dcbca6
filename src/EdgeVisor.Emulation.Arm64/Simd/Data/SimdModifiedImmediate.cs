using System.Runtime.Intrinsics;
using EdgeVisor.Emulation.Arm64.Decoding;

namespace EdgeVisor.Emulation.Arm64.Simd.Data;

/// <summary>
/// "Advanced SIMD modified immediate": MOVI, MVNI, ORR, BIC (vector, immediate) and FMOV (vector, immediate).
/// The decoder expands the immediate (AdvSIMDExpandImm) to the 64-bit pattern in <see cref="Op.Imm"/> (inverted
/// for MVNI and BIC); the 128-bit forms repeat it. C = Q.
/// </summary>
internal static unsafe class SimdModifiedImmediate
{
    /// <summary>0 Q op 0111100000 a b c cmode o2 1 d e f g h Rd.</summary>
    public static bool Decode(uint raw, ref Op op)
    {
        bool q = ((raw >> 30) & 1) != 0;
        uint opBit = (raw >> 29) & 1;
        uint cmode = (raw >> 12) & 0xF;
        uint o2 = (raw >> 11) & 1;
        uint imm8 = (((raw >> 16) & 7) << 5) | ((raw >> 5) & 0x1F);
        if (o2 != 0 || (cmode == 0b1111 && opBit == 1 && !q))
        {
            return false; // FP16 FMOV (FEAT_FP16 not implemented), the other o2 = 1 encodings, and a 64-bit FMOV Vd.1D
        }

        ulong imm = ExpandImmediate(opBit, cmode, imm8);
        op.Rd = (byte)(raw & 0x1F);
        op.C = (byte)(q ? 1 : 0);

        // cmode 0xx1 (32-bit) and 10x1 (16-bit) are ORR/BIC; everything else is a move.
        bool logical = (cmode & 1) != 0 && cmode < 0b1100;
        bool inverted = opBit != 0 && cmode < 0b1110;
        op.Imm = inverted ? ~imm : imm;
        op.Handler = !logical ? &Move : opBit == 0 ? &Or : &And;
        return true;
    }

    /// <summary>AdvSIMDExpandImm (ARM ARM shared pseudocode): the 64-bit pattern of op:cmode:imm8.</summary>
    internal static ulong ExpandImmediate(uint opBit, uint cmode, uint imm8)
    {
        ulong b = imm8;
        switch (cmode >> 1)
        {
            case 0b000: return Replicate32(b);
            case 0b001: return Replicate32(b << 8);
            case 0b010: return Replicate32(b << 16);
            case 0b011: return Replicate32(b << 24);
            case 0b100: return Replicate16(b);
            case 0b101: return Replicate16(b << 8);
            case 0b110: // MSL: shifting ones in
                return Replicate32((cmode & 1) == 0 ? (b << 8) | 0xFF : (b << 16) | 0xFFFF);
            default:
                if ((cmode & 1) == 0)
                {
                    return opBit == 0 ? b * 0x0101_0101_0101_0101UL : ByteMask(b);
                }

                return opBit == 0 ? Replicate32(SingleImmediate(b)) : DoubleImmediate(b);
        }
    }

    private static ulong Replicate32(ulong value) => (value << 32) | value;

    private static ulong Replicate16(ulong value) => Replicate32((value << 16) | value);

    /// <summary>Each bit of imm8 becomes a byte of ones or zeros (MOVI 64-bit).</summary>
    private static ulong ByteMask(ulong imm8)
    {
        ulong result = 0;
        for (int i = 0; i < 8; i++)
        {
            if (((imm8 >> i) & 1) != 0)
            {
                result |= 0xFFUL << (8 * i);
            }
        }

        return result;
    }

    /// <summary>VFPExpandImm for single: a:NOT(b):bbbbb:cdefgh:Zeros(19).</summary>
    private static ulong SingleImmediate(ulong imm8)
    {
        ulong a = imm8 >> 7;
        ulong b = (imm8 >> 6) & 1;
        ulong exponent = ((b ^ 1) << 7) | (b * 0b11111 << 2) | ((imm8 >> 4) & 3);
        return (a << 31) | (exponent << 23) | ((imm8 & 0xF) << 19);
    }

    /// <summary>VFPExpandImm for double: a:NOT(b):bbbbbbbb:cdefgh:Zeros(48).</summary>
    private static ulong DoubleImmediate(ulong imm8)
    {
        ulong a = imm8 >> 7;
        ulong b = (imm8 >> 6) & 1;
        ulong exponent = ((b ^ 1) << 10) | (b * 0xFF << 2) | ((imm8 >> 4) & 3);
        return (a << 63) | (exponent << 52) | ((imm8 & 0xF) << 48);
    }

    private static void Move(Arm64Cpu cpu, ref Op op) => cpu.SetVector(op.Rd, Vector128.Create(op.Imm).AsByte(), op.C != 0);

    private static void Or(Arm64Cpu cpu, ref Op op) => cpu.SetVector(op.Rd, cpu.V[op.Rd] | Vector128.Create(op.Imm).AsByte(), op.C != 0);

    private static void And(Arm64Cpu cpu, ref Op op) => cpu.SetVector(op.Rd, cpu.V[op.Rd] & Vector128.Create(op.Imm).AsByte(), op.C != 0);
}
