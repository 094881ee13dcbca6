namespace EdgeVisor.Emulation.CortexM.FloatingPoint;

/// <summary>
/// FPToFixed, FixedToFP and FPRoundInt: float↔int32/uint32 (VCVT, VCVTR, FPv5 VCVTA/N/P/M), float↔fixed-point with
/// fraction bits (VCVT #fbits, 16- and 32-bit), and rounding to an integral float (FPv5 VRINT*).
/// </summary>
public static class FpConvert
{
    /// <summary>
    /// FPToFixed: <paramref name="a"/> × 2^fractionBits rounded with <paramref name="mode"/> and saturated to a
    /// <paramref name="width"/>-bit signed or unsigned integer. NaN → 0 with IOC; saturation → IOC; otherwise inexact → IXC.
    /// Returns the integer's low 32 bits (a saturated 16-bit result comes back sign- or zero-extended).
    /// </summary>
    public static uint ToFixed(uint a, int width, int fractionBits, bool unsigned, FpRounding mode, ref uint fpscr)
    {
        var x = FpValue.Unpack(a, ref fpscr);
        if (x.IsNaN)
        {
            fpscr |= Fpscr.Ioc;
            return 0;
        }

        long max = unsigned ? (1L << width) - 1 : (1L << (width - 1)) - 1;
        long min = unsigned ? 0 : -(1L << (width - 1));
        if (x.IsZero)
        {
            return 0;
        }

        if (x.IsInfinity)
        {
            fpscr |= Fpscr.Ioc;
            return (uint)(x.Sign ? min : max);
        }

        int exponent = x.Exponent + fractionBits;
        ulong integer;
        bool inexact;
        if (exponent >= 0)
        {
            if (exponent > 39)
            {
                // |value| >= 2^63: saturates whatever the width.
                fpscr |= Fpscr.Ioc;
                return (uint)(x.Sign ? min : max);
            }

            integer = x.Significand << exponent;
            inexact = false;
        }
        else
        {
            integer = RoundShiftedOut(x.Significand, -exponent, x.Sign, mode, out inexact);
        }

        long value = x.Sign ? -(long)integer : (long)integer;
        if (value > max || value < min)
        {
            fpscr |= Fpscr.Ioc;
            return (uint)(value > max ? max : min);
        }

        if (inexact)
        {
            fpscr |= Fpscr.Ixc;
        }

        return (uint)value;
    }

    /// <summary>
    /// FixedToFP: the <paramref name="width"/>-bit integer in the low bits of <paramref name="operand"/> divided by
    /// 2^fractionBits, rounded to binary32 with <paramref name="mode"/>. Zero converts to +0.
    /// </summary>
    public static uint FromFixed(uint operand, int width, int fractionBits, bool unsigned, FpRounding mode, ref uint fpscr)
    {
        long value = width == 16
            ? (unsigned ? (ushort)operand : (short)operand)
            : (unsigned ? operand : (int)operand);
        if (value == 0)
        {
            return 0;
        }

        bool sign = value < 0;
        ulong magnitude = (ulong)Math.Abs(value);
        return FpRounder.Round(sign, -fractionBits, magnitude, mode, ref fpscr);
    }

    /// <summary>
    /// FPRoundInt: rounds to an integral value in binary32. <paramref name="exact"/> (VRINTX) raises IXC when the
    /// value changes; NaNs are processed as for arithmetic; a result of zero keeps the operand's sign.
    /// </summary>
    public static uint RoundToIntegral(uint a, FpRounding mode, bool exact, ref uint fpscr)
    {
        var x = FpValue.Unpack(a, ref fpscr);
        if (x.IsNaN)
        {
            return FpNaN.Process(x.Class, a, ref fpscr);
        }

        if (x.IsInfinity)
        {
            return FpRounder.Inf(x.Sign);
        }

        if (x.IsZero)
        {
            return FpRounder.Zero(x.Sign);
        }

        if (x.Exponent >= 0)
        {
            return a; // already integral
        }

        ulong integer = RoundShiftedOut(x.Significand, -x.Exponent, x.Sign, mode, out bool inexact);
        if (exact && inexact)
        {
            fpscr |= Fpscr.Ixc;
        }

        if (integer == 0)
        {
            return FpRounder.Zero(x.Sign);
        }

        uint ignored = 0;
        return FpRounder.Round(x.Sign, 0, integer, FpRounding.TiesEven, ref ignored);
    }

    /// <summary>
    /// The integer part of <paramref name="significand"/> × 2^-<paramref name="shift"/> (shift &gt; 0), rounded with
    /// <paramref name="mode"/> for a value of sign <paramref name="sign"/>; <paramref name="inexact"/> says whether
    /// any nonzero bits were shifted out. A shift past the whole significand leaves only a sticky bit.
    /// </summary>
    private static ulong RoundShiftedOut(ulong significand, int shift, bool sign, FpRounding mode, out bool inexact)
    {
        ulong integer;
        bool roundBit;
        bool sticky;
        if (shift > 25)
        {
            integer = 0;
            roundBit = false;
            sticky = true;
        }
        else
        {
            integer = significand >> shift;
            roundBit = ((significand >> (shift - 1)) & 1) != 0;
            sticky = (significand & ((1UL << (shift - 1)) - 1)) != 0;
        }

        inexact = roundBit || sticky;
        bool roundUp = mode switch
        {
            FpRounding.TiesEven => roundBit && (sticky || (integer & 1) != 0),
            FpRounding.TiesAway => roundBit,
            FpRounding.PlusInfinity => inexact && !sign,
            FpRounding.MinusInfinity => inexact && sign,
            _ => false,
        };
        return roundUp ? integer + 1 : integer;
    }
}
