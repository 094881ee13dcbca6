namespace EdgeVisor.Emulation.FloatingPoint;

/// <summary>FPRoundInt, FPToFixed, FixedToFP and FPConvert (between formats, with the alternative half format).</summary>
public static class FloatConvert
{
    /// <summary>
    /// FPRoundInt: the integral value nearest by <paramref name="rounding"/>; zeros keep the operand's sign; with
    /// <paramref name="exact"/> (FRINTX) a changed value raises IXC.
    /// </summary>
    public static ulong RoundToIntegral(in FloatFormat format, ulong a, FloatRounding rounding, bool exact, uint control, ref uint flags)
    {
        var x = UnpackedFloat.Unpack(format, a, FloatControl.FlushesArithmetic(format, control), ref flags);
        if (x.IsNaN)
        {
            return FloatNaN.Process(format, x.Class, a, control, ref flags);
        }

        if (x.IsInfinity)
        {
            return format.Infinity(x.Sign);
        }

        if (x.IsZero)
        {
            return format.Zero(x.Sign);
        }

        if (x.Exponent >= 0)
        {
            return a & format.Mask; // already integral
        }

        SplitFraction(x.Significand, -x.Exponent, out ulong magnitude, out bool roundBit, out bool sticky);
        magnitude += RoundsUp(rounding, x.Sign, magnitude, roundBit, sticky) ? 1UL : 0;
        if (exact && (roundBit || sticky))
        {
            flags |= FloatControl.Inexact;
        }

        if (magnitude == 0)
        {
            return format.Zero(x.Sign);
        }

        // An integer this small is exactly representable: the rounding below is exact and raises nothing.
        return FloatRounder.Round(format, x.Sign, 0, magnitude, FloatRounding.Zero, control, ref flags);
    }

    /// <summary>
    /// FPToFixed: to a <paramref name="targetBits"/>-bit integer with <paramref name="fractionBits"/> fraction bits,
    /// saturating with IOC on overflow or NaN (which gives 0); IXC when inexact and in range. Zero-extended result.
    /// </summary>
    public static ulong ToFixed(in FloatFormat format, ulong a, int fractionBits, bool unsigned, int targetBits, FloatRounding rounding, uint control, ref uint flags)
    {
        var x = UnpackedFloat.Unpack(format, a, FloatControl.FlushesArithmetic(format, control), ref flags);
        ulong targetMask = targetBits == 64 ? ulong.MaxValue : (1UL << targetBits) - 1;
        if (x.IsNaN)
        {
            flags |= FloatControl.InvalidOperation;
            return 0;
        }

        if (x.IsZero)
        {
            return 0;
        }

        ulong magnitude;
        bool inexact = false;
        bool overflow;
        if (x.IsInfinity)
        {
            magnitude = 0;
            overflow = true;
        }
        else
        {
            int exponent = x.Exponent + fractionBits;
            if (exponent >= 0)
            {
                // Significand has F + 1 bits; anything of 65 bits or more saturates whatever the target.
                overflow = format.FractionBits + 1 + exponent > 64;
                magnitude = overflow ? 0 : x.Significand << exponent;
            }
            else
            {
                SplitFraction(x.Significand, -exponent, out magnitude, out bool roundBit, out bool sticky);
                inexact = roundBit || sticky;
                magnitude += RoundsUp(rounding, x.Sign, magnitude, roundBit, sticky) ? 1UL : 0;
                overflow = false;
            }
        }

        ulong result;
        if (unsigned)
        {
            ulong max = targetMask;
            if (x.Sign && (overflow || magnitude != 0))
            {
                overflow = true;
                result = 0;
            }
            else if (overflow || magnitude > max)
            {
                overflow = true;
                result = max;
            }
            else
            {
                result = magnitude;
            }
        }
        else
        {
            ulong limit = 1UL << (targetBits - 1); // |minimum|; maximum is limit - 1
            if (overflow || magnitude > (x.Sign ? limit : limit - 1))
            {
                overflow = true;
                result = x.Sign ? limit : limit - 1;
            }
            else
            {
                result = x.Sign ? 0 - magnitude : magnitude;
            }
        }

        if (overflow)
        {
            flags |= FloatControl.InvalidOperation;
        }
        else if (inexact)
        {
            flags |= FloatControl.Inexact;
        }

        return result & targetMask;
    }

    /// <summary>FixedToFP: the low <paramref name="sourceBits"/> bits of <paramref name="value"/> as a fixed-point number; 0 gives +0.</summary>
    public static ulong FromFixed(in FloatFormat format, ulong value, int fractionBits, bool unsigned, int sourceBits, FloatRounding rounding, uint control, ref uint flags)
    {
        if (sourceBits < 64)
        {
            value &= (1UL << sourceBits) - 1;
            if (!unsigned && ((value >> (sourceBits - 1)) & 1) != 0)
            {
                value |= ~0UL << sourceBits; // sign-extend
            }
        }

        if (value == 0)
        {
            return 0;
        }

        bool sign = !unsigned && (long)value < 0;
        ulong magnitude = sign ? 0 - value : value;
        return FloatRounder.Round(format, sign, -fractionBits, magnitude, rounding, control, ref flags);
    }

    /// <summary>
    /// FPConvert between formats. Half operands and results honour AHP (the alternative format has no infinities
    /// or NaNs: those convert to zero or saturate, with IOC); half operands never flush; single and double operands
    /// and results flush by FZ. NaNs keep their sign and the top of their payload, quietened.
    /// </summary>
    public static ulong Convert(in FloatFormat from, in FloatFormat to, ulong a, FloatRounding rounding, uint control, ref uint flags)
    {
        bool alternative = (control & FloatControl.AlternativeHalf) != 0;
        bool flushInput = !from.IsHalf && (control & FloatControl.FlushToZero) != 0;
        var x = UnpackedFloat.Unpack(from, a, flushInput, ref flags, from.IsHalf && alternative);
        bool alternativeResult = to.IsHalf && alternative;
        if (x.IsNaN)
        {
            ulong result;
            if (alternativeResult)
            {
                result = to.Zero(x.Sign);
            }
            else if ((control & FloatControl.DefaultNaN) != 0)
            {
                result = to.DefaultNaN;
            }
            else
            {
                result = ConvertNaN(from, to, a);
            }

            if (x.Class == FloatClass.SignalingNaN || alternativeResult)
            {
                flags |= FloatControl.InvalidOperation;
            }

            return result;
        }

        if (x.IsInfinity)
        {
            if (alternativeResult)
            {
                flags |= FloatControl.InvalidOperation;
                return to.Zero(x.Sign) | 0x7FFF;
            }

            return to.Infinity(x.Sign);
        }

        if (x.IsZero)
        {
            return to.Zero(x.Sign);
        }

        return FloatRounder.RoundConversion(to, x.Sign, x.Exponent, x.Significand, rounding, control, ref flags);
    }

    /// <summary>FPConvertNaN: sign kept, quiet bit set, payload below it left-aligned (truncated or zero-extended).</summary>
    private static ulong ConvertNaN(in FloatFormat from, in FloatFormat to, ulong a)
    {
        bool sign = ((a >> (from.Width - 1)) & 1) != 0;
        ulong payload = a & (from.QuietBit - 1);
        ulong aligned = payload << (64 - (from.FractionBits - 1)) >> 1; // payload at bits 62 down
        ulong narrowed = aligned >> (63 - (to.FractionBits - 1));
        return to.Zero(sign) | to.ExponentField | to.QuietBit | narrowed;
    }

    /// <summary>Splits <c>significand / 2^shift</c> into integer part, the first discarded bit and a sticky bit for the rest.</summary>
    private static void SplitFraction(ulong significand, int shift, out ulong integer, out bool roundBit, out bool sticky)
    {
        if (shift > 64)
        {
            integer = 0;
            roundBit = false;
            sticky = true;
            return;
        }

        integer = shift == 64 ? 0 : significand >> shift;
        roundBit = ((significand >> (shift - 1)) & 1) != 0;
        sticky = (significand & ((1UL << (shift - 1)) - 1)) != 0;
    }

    /// <summary>Whether a sign-magnitude value with these discarded bits rounds its magnitude up (RoundDown + round_up in the pseudocode).</summary>
    private static bool RoundsUp(FloatRounding rounding, bool sign, ulong magnitude, bool roundBit, bool sticky) => rounding switch
    {
        FloatRounding.TieEven => roundBit && (sticky || (magnitude & 1) != 0),
        FloatRounding.TieAway => roundBit,
        FloatRounding.PlusInfinity => !sign && (roundBit || sticky),
        FloatRounding.MinusInfinity => sign && (roundBit || sticky),
        _ => false,
    };
}
