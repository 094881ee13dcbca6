namespace EdgeVisor.Emulation.CortexM.FloatingPoint;

/// <summary>
/// FPConvert between binary32 and binary16 (VCVTB/VCVTT), honouring FPSCR.AHP (the alternative half-precision format
/// without infinities and NaNs), DN and FZ (FZ flushes single inputs only; half values are never flushed).
/// </summary>
public static class FpHalf
{
    /// <summary>Single → half; the result is in the low 16 bits.</summary>
    public static uint FromSingle(uint a, ref uint fpscr)
    {
        bool alternative = (fpscr & Fpscr.Ahp) != 0;
        var x = FpValue.Unpack(a, ref fpscr);
        uint sign = (a >> 16) & 0x8000;
        if (x.IsNaN)
        {
            if (alternative)
            {
                fpscr |= Fpscr.Ioc;
                return sign;
            }

            if (x.Class == FpClass.SignalingNaN)
            {
                fpscr |= Fpscr.Ioc;
            }

            return (fpscr & Fpscr.Dn) != 0 ? 0x7E00u : sign | 0x7E00 | ((a >> 13) & 0x1FF);
        }

        if (x.IsInfinity)
        {
            if (alternative)
            {
                fpscr |= Fpscr.Ioc;
                return sign | 0x7FFF;
            }

            return sign | 0x7C00;
        }

        if (x.IsZero)
        {
            return sign;
        }

        return FpRounder.RoundHalf(x.Sign, x.Exponent, x.Significand, Fpscr.RoundingMode(fpscr), ref fpscr);
    }

    /// <summary>Half (low 16 bits of <paramref name="h"/>) → single; always exact.</summary>
    public static uint ToSingle(uint h, ref uint fpscr)
    {
        var x = FpValue.UnpackHalf(h, (fpscr & Fpscr.Ahp) != 0);
        bool sign = x.Sign;
        switch (x.Class)
        {
            case FpClass.SignalingNaN:
            case FpClass.QuietNaN:
                if (x.Class == FpClass.SignalingNaN)
                {
                    fpscr |= Fpscr.Ioc;
                }

                return (fpscr & Fpscr.Dn) != 0
                    ? FpRounder.DefaultNaN
                    : (sign ? 0x8000_0000u : 0) | 0x7FC0_0000 | ((h & 0x1FF) << 13);
            case FpClass.Infinity:
                return FpRounder.Inf(sign);
            case FpClass.Zero:
                return FpRounder.Zero(sign);
            default:
                // Every half value is a normal single: rounding is exact and FZ cannot apply.
                uint ignored = 0;
                return FpRounder.Round(sign, x.Exponent, x.Significand, FpRounding.TiesEven, ref ignored);
        }
    }
}
