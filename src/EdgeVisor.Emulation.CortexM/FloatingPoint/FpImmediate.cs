namespace EdgeVisor.Emulation.CortexM.FloatingPoint;

/// <summary>VFPExpandImm for single precision: the 8-bit immediate of VMOV.F32 #imm as a bit pattern.</summary>
public static class FpImmediate
{
    /// <summary>imm8 = a:b:cdefgh → sign a, exponent NOT(b):bbbbb:cd, fraction efgh:0...</summary>
    public static uint ExpandSingle(uint imm8)
    {
        uint sign = (imm8 >> 7) & 1;
        uint b = (imm8 >> 6) & 1;
        uint exponent = ((b ^ 1) << 7) | (b != 0 ? 0x7Cu : 0u) | ((imm8 >> 4) & 3);
        return (sign << 31) | (exponent << 23) | ((imm8 & 0xF) << 19);
    }
}
