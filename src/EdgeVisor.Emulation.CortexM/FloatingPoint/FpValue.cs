using System.Numerics;

namespace EdgeVisor.Emulation.CortexM.FloatingPoint;

/// <summary>What kind of value an FP bit pattern holds after FPUnpack (denormals count as <see cref="Finite"/> unless flushed).</summary>
internal enum FpClass : byte
{
    Zero,
    Finite,
    Infinity,
    QuietNaN,
    SignalingNaN,
}

/// <summary>
/// An unpacked single-precision operand (the ARM ARM's FPUnpack): a finite nonzero value is exactly
/// <c>Significand * 2^Exponent</c> with the significand normalised to 24 bits (bit 23 set), denormals included.
/// </summary>
internal readonly struct FpValue
{
    public readonly FpClass Class;
    public readonly bool Sign;
    public readonly int Exponent;
    public readonly ulong Significand;

    public FpValue(FpClass cls, bool sign, int exponent, ulong significand)
    {
        Class = cls;
        Sign = sign;
        Exponent = exponent;
        Significand = significand;
    }

    public bool IsNaN => Class >= FpClass.QuietNaN;

    public bool IsZero => Class == FpClass.Zero;

    public bool IsInfinity => Class == FpClass.Infinity;

    /// <summary>FPUnpack for binary32: with FPSCR.FZ set a denormal input reads as a signed zero and sets IDC.</summary>
    public static FpValue Unpack(uint bits, ref uint fpscr)
    {
        bool sign = (bits >> 31) != 0;
        int exp = (int)((bits >> 23) & 0xFF);
        uint frac = bits & 0x7F_FFFF;
        if (exp == 0)
        {
            if (frac == 0)
            {
                return new FpValue(FpClass.Zero, sign, 0, 0);
            }

            if ((fpscr & Fpscr.Fz) != 0)
            {
                fpscr |= Fpscr.Idc;
                return new FpValue(FpClass.Zero, sign, 0, 0);
            }

            // Denormal: value = frac * 2^-149; normalise so bit 23 is set.
            int shift = BitOperations.LeadingZeroCount(frac) - 8;
            return new FpValue(FpClass.Finite, sign, -149 - shift, (ulong)frac << shift);
        }

        if (exp == 0xFF)
        {
            if (frac == 0)
            {
                return new FpValue(FpClass.Infinity, sign, 0, 0);
            }

            return new FpValue((frac & 0x40_0000) != 0 ? FpClass.QuietNaN : FpClass.SignalingNaN, sign, 0, 0);
        }

        return new FpValue(FpClass.Finite, sign, exp - 150, frac | 0x80_0000);
    }

    /// <summary>FPUnpack for binary16 (IEEE or, with FPSCR.AHP, the alternative format). Half inputs are never flushed.</summary>
    public static FpValue UnpackHalf(uint bits, bool alternative)
    {
        bool sign = ((bits >> 15) & 1) != 0;
        int exp = (int)((bits >> 10) & 0x1F);
        uint frac = bits & 0x3FF;
        if (exp == 0)
        {
            if (frac == 0)
            {
                return new FpValue(FpClass.Zero, sign, 0, 0);
            }

            int shift = BitOperations.LeadingZeroCount(frac) - 8;
            return new FpValue(FpClass.Finite, sign, -24 - shift, (ulong)frac << shift);
        }

        if (exp == 0x1F && !alternative)
        {
            if (frac == 0)
            {
                return new FpValue(FpClass.Infinity, sign, 0, 0);
            }

            return new FpValue((frac & 0x200) != 0 ? FpClass.QuietNaN : FpClass.SignalingNaN, sign, 0, 0);
        }

        return new FpValue(FpClass.Finite, sign, exp - 25 - 13, (ulong)(frac | 0x400) << 13);
    }
}
