using System.Numerics;

namespace EdgeVisor.Emulation.FloatingPoint;

/// <summary>
/// The ARM ARM's FPRound: turns an exact real <c>significand × 2^exponent</c> into a bit pattern. The significand
/// may carry a sticky bit in bit 0 (callers jam discarded nonzero bits there, far below the rounding point).
/// Tininess is detected before rounding; UFC only when the tiny result is inexact; a flushed result sets UFC but not
/// IXC; overflow gives infinity or the largest normal by mode with OFC and IXC; the alternative half format saturates
/// with IOC instead.
/// </summary>
public static class FloatRounder
{
    /// <summary>FPRound for arithmetic: flush-to-zero by FZ (FZ16 for half), never the alternative half format.</summary>
    public static ulong Round(in FloatFormat format, bool sign, int exponent, ulong significand, FloatRounding rounding, uint control, ref uint flags) =>
        RoundCore(format, sign, exponent, significand, rounding, FloatControl.FlushesArithmetic(format, control), alternativeHalf: false, ref flags);

    /// <summary>FPRoundCV for conversions: half results never flush and honour AHP; single and double flush by FZ.</summary>
    public static ulong RoundConversion(in FloatFormat format, bool sign, int exponent, ulong significand, FloatRounding rounding, uint control, ref uint flags) =>
        format.IsHalf
            ? RoundCore(format, sign, exponent, significand, rounding, flushToZero: false, (control & FloatControl.AlternativeHalf) != 0, ref flags)
            : RoundCore(format, sign, exponent, significand, rounding, (control & FloatControl.FlushToZero) != 0, alternativeHalf: false, ref flags);

    /// <summary>Rounds a 128-bit exact significand: narrows it to 64 bits with a sticky bit first.</summary>
    public static ulong Round(in FloatFormat format, bool sign, int exponent, UInt128 significand, FloatRounding rounding, uint control, ref uint flags)
    {
        ulong narrow = Narrow(significand, ref exponent);
        return Round(format, sign, exponent, narrow, rounding, control, ref flags);
    }

    /// <summary>
    /// Narrows a 128-bit significand to at most 63 bits, jamming the discarded bits into bit 0. 63 bits keep every
    /// format's significand plus round and sticky positions, so rounding the narrowed value gives the same result.
    /// </summary>
    public static ulong Narrow(UInt128 significand, ref int exponent)
    {
        ulong high = (ulong)(significand >> 64);
        if (high == 0 && (ulong)significand <= long.MaxValue)
        {
            return (ulong)significand;
        }

        int msb = 127 - (int)UInt128.LeadingZeroCount(significand);
        int shift = msb - 62;
        bool lost = (significand & ((UInt128.One << shift) - 1)) != 0;
        exponent += shift;
        return (ulong)(significand >> shift) | (lost ? 1UL : 0);
    }

    private static ulong RoundCore(in FloatFormat format, bool sign, int exponent, ulong significand, FloatRounding rounding,
        bool flushToZero, bool alternativeHalf, ref uint flags)
    {
        int fractionBits = format.FractionBits;
        int exponentBits = format.ExponentBits;
        ulong signBit = sign ? format.SignBit : 0;
        int msb = 63 - BitOperations.LeadingZeroCount(significand);
        int unbiased = exponent + msb; // floor(log2(value)) before rounding
        int minimumExponent = format.MinimumExponent;
        if (flushToZero && unbiased < minimumExponent)
        {
            flags |= FloatControl.Underflow;
            return signBit;
        }

        int biased = Math.Max(unbiased - minimumExponent + 1, 0);
        int lsbExponent = (biased == 0 ? minimumExponent : unbiased) - fractionBits;
        int shift = lsbExponent - exponent;
        ulong mantissa;
        bool roundBit;
        bool sticky;
        if (shift <= 0)
        {
            mantissa = significand << -shift;
            roundBit = false;
            sticky = false;
        }
        else if (shift <= 64)
        {
            mantissa = shift == 64 ? 0 : significand >> shift;
            roundBit = ((significand >> (shift - 1)) & 1) != 0;
            sticky = (significand & ((1UL << (shift - 1)) - 1)) != 0;
        }
        else
        {
            mantissa = 0;
            roundBit = false;
            sticky = true;
        }

        bool inexact = roundBit || sticky;
        if (biased == 0 && inexact)
        {
            flags |= FloatControl.Underflow;
        }

        bool roundUp;
        bool overflowToInfinity;
        switch (rounding)
        {
            case FloatRounding.TieEven:
                roundUp = roundBit && (sticky || (mantissa & 1) != 0);
                overflowToInfinity = true;
                break;
            case FloatRounding.TieAway:
                roundUp = roundBit;
                overflowToInfinity = true;
                break;
            case FloatRounding.PlusInfinity:
                roundUp = inexact && !sign;
                overflowToInfinity = !sign;
                break;
            case FloatRounding.MinusInfinity:
                roundUp = inexact && sign;
                overflowToInfinity = sign;
                break;
            case FloatRounding.Odd:
                // Round to odd: truncate, then force the low bit when anything was discarded.
                roundUp = false;
                overflowToInfinity = false;
                if (inexact)
                {
                    mantissa |= 1;
                }

                break;
            default:
                roundUp = false;
                overflowToInfinity = false;
                break;
        }

        if (roundUp)
        {
            mantissa++;
            if (mantissa == 1UL << fractionBits)
            {
                biased = 1; // a denormal rounded up to the smallest normal
            }

            if (mantissa == 1UL << (fractionBits + 1))
            {
                biased++;
                mantissa >>= 1;
            }
        }

        if (alternativeHalf)
        {
            if (biased >= 1 << exponentBits)
            {
                flags |= FloatControl.InvalidOperation;
                return signBit | 0x7FFF;
            }
        }
        else if (biased >= (1 << exponentBits) - 1)
        {
            flags |= FloatControl.Overflow | FloatControl.Inexact;
            return overflowToInfinity ? format.Infinity(sign) : format.MaxNormal(sign);
        }

        if (inexact)
        {
            flags |= FloatControl.Inexact;
        }

        return signBit | ((ulong)biased << fractionBits) | (mantissa & format.FractionField);
    }
}
