namespace EdgeVisor.Emulation.FloatingPoint;

/// <summary>VFPExpandImm: the 8-bit FMOV/VMOV immediate (sign, 3-bit exponent, 4-bit fraction) in any format.</summary>
public static class FloatImmediate
{
    /// <summary>Expands <paramref name="imm8"/> = a:b:cd:efgh to sign a, exponent NOT(b):b…b:cd, fraction efgh:0….</summary>
    public static ulong Expand(in FloatFormat format, byte imm8)
    {
        ulong sign = (uint)imm8 >> 7;
        ulong b = ((uint)imm8 >> 6) & 1;
        int exponentBits = format.ExponentBits;
        ulong replicated = b == 0 ? 0 : (1UL << (exponentBits - 3)) - 1;
        ulong exponent = ((b ^ 1) << (exponentBits - 1)) | (replicated << 2) | (((uint)imm8 >> 4) & 3);
        ulong fraction = (ulong)(imm8 & 0xFu) << (format.FractionBits - 4);
        return (sign << (format.Width - 1)) | (exponent << format.FractionBits) | fraction;
    }
}
