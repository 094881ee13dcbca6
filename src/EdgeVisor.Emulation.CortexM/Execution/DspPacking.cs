namespace EdgeVisor.Emulation.CortexM.Execution;

/// <summary>Packing, selection and dual extension of the DSP extension (PKHBT/PKHTB, SEL, SXT/UXT{A}B16, SXTA/UXTA B/H).</summary>
public static class DspPacking
{
    /// <summary>PKHBT: bottom half from n, top half from m LSL shift.</summary>
    public static uint PackBottomTop(uint n, uint m, int shift) => (n & 0xFFFF) | ((m << shift) & 0xFFFF_0000);

    /// <summary>PKHTB: top half from n, bottom half from m ASR shift (a shift of 0 encodes 32).</summary>
    public static uint PackTopBottom(uint n, uint m, int shift)
    {
        uint shifted = (uint)((int)m >> (shift == 0 ? 31 : shift));
        return (n & 0xFFFF_0000) | (shifted & 0xFFFF);
    }

    /// <summary>SEL: byte i from n when GE[i] is set, else from m.</summary>
    public static uint Select(uint n, uint m, uint ge)
    {
        uint mask = ((ge & 1) != 0 ? 0x0000_00FFu : 0) | ((ge & 2) != 0 ? 0x0000_FF00u : 0) |
                    ((ge & 4) != 0 ? 0x00FF_0000u : 0) | ((ge & 8) != 0 ? 0xFF00_0000u : 0);
        return (n & mask) | (m & ~mask);
    }

    /// <summary>SXTAB16/UXTAB16 (and SXTB16/UXTB16 with n = 0): bytes 0 and 2 of ROR(m, rotation) extended into each half and added to n's halves.</summary>
    public static uint ExtendAddDual(uint n, uint m, int rotation, bool signed)
    {
        uint rotated = (m >> rotation) | (m << ((32 - rotation) & 31));
        uint lowByte = rotated & 0xFF;
        uint highByte = (rotated >> 16) & 0xFF;
        uint low = signed ? (uint)(sbyte)lowByte : lowByte;
        uint high = signed ? (uint)(sbyte)highByte : highByte;
        return ((n + low) & 0xFFFF) | (((n >> 16) + high) << 16);
    }

    /// <summary>SXTAB/UXTAB (byte) and SXTAH/UXTAH (halfword): n + extend(ROR(m, rotation)).</summary>
    public static uint ExtendAdd(uint n, uint m, int rotation, bool signed, bool halfword)
    {
        uint rotated = (m >> rotation) | (m << ((32 - rotation) & 31));
        uint extended = halfword
            ? (signed ? (uint)(short)rotated : rotated & 0xFFFF)
            : (signed ? (uint)(sbyte)rotated : rotated & 0xFF);
        return n + extended;
    }
}
