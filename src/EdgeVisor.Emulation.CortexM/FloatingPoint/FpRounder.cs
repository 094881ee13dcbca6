using System.Numerics;

namespace EdgeVisor.Emulation.CortexM.FloatingPoint;

/// <summary>
/// The ARM ARM's FPRound: turns an exact (or sticky-jammed) real into a binary32 or binary16 bit pattern, raising
/// UFC (tininess detected before rounding, and only when inexact), OFC, IXC, and applying FPSCR.FZ to single results.
/// </summary>
internal static class FpRounder
{
    public const uint DefaultNaN = 0x7FC0_0000;
    public const uint MaxNormal = 0x7F7F_FFFF;
    public const uint Infinity = 0x7F80_0000;

    /// <summary>Rounds <c>significand * 2^exponent</c> (significand nonzero; bit 0 may be a sticky bit) to binary32.</summary>
    public static uint Round(bool sign, int exponent, ulong significand, FpRounding mode, ref uint fpscr) =>
        RoundTo(sign, exponent, significand, mode, ref fpscr, fractionBits: 23, exponentBits: 8, (fpscr & Fpscr.Fz) != 0, alternativeHalf: false);

    /// <summary>Rounds to binary16; FZ never applies to half-precision results, AHP replaces overflow by saturation + IOC.</summary>
    public static uint RoundHalf(bool sign, int exponent, ulong significand, FpRounding mode, ref uint fpscr) =>
        RoundTo(sign, exponent, significand, mode, ref fpscr, fractionBits: 10, exponentBits: 5, flushToZero: false, (fpscr & Fpscr.Ahp) != 0);

    public static uint Zero(bool sign) => sign ? 0x8000_0000u : 0;

    public static uint Inf(bool sign) => sign ? 0xFF80_0000u : Infinity;

    private static uint RoundTo(bool sign, int exponent, ulong significand, FpRounding mode, ref uint fpscr,
        int fractionBits, int exponentBits, bool flushToZero, bool alternativeHalf)
    {
        uint signBit = sign ? 1u << (fractionBits + exponentBits) : 0;
        int msb = 63 - BitOperations.LeadingZeroCount(significand);
        int unbiased = exponent + msb; // floor(log2(value)) before rounding
        int minimumExponent = 2 - (1 << (exponentBits - 1));
        if (flushToZero && unbiased < minimumExponent)
        {
            // Flushed results set UFC but not IXC.
            fpscr |= Fpscr.Ufc;
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
            fpscr |= Fpscr.Ufc;
        }

        bool roundUp;
        bool overflowToInfinity;
        switch (mode)
        {
            case FpRounding.TiesEven:
                roundUp = roundBit && (sticky || (mantissa & 1) != 0);
                overflowToInfinity = true;
                break;
            case FpRounding.TiesAway:
                roundUp = roundBit;
                overflowToInfinity = true;
                break;
            case FpRounding.PlusInfinity:
                roundUp = inexact && !sign;
                overflowToInfinity = !sign;
                break;
            case FpRounding.MinusInfinity:
                roundUp = inexact && sign;
                overflowToInfinity = sign;
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
                fpscr |= Fpscr.Ioc;
                return signBit | 0x7FFF;
            }
        }
        else if (biased >= (1 << exponentBits) - 1)
        {
            fpscr |= Fpscr.Ofc | Fpscr.Ixc;
            uint infinity = ((1u << exponentBits) - 1) << fractionBits;
            return signBit | (overflowToInfinity ? infinity : infinity - 1);
        }

        if (inexact)
        {
            fpscr |= Fpscr.Ixc;
        }

        return signBit | ((uint)biased << fractionBits) | (uint)(mantissa & ((1UL << fractionBits) - 1));
    }
}
