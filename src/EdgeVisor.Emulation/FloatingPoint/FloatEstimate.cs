namespace EdgeVisor.Emulation.FloatingPoint;

/// <summary>
/// FPRecipEstimate (FRECPE), FPRSqrtEstimate (FRSQRTE) and FPRecpX (FRECPX): Arm's table-free 8-bit estimates,
/// computed with the integer recurrences of the pseudocode on the operand's bit fields.
/// </summary>
public static class FloatEstimate
{
    /// <summary>FPRecipEstimate.</summary>
    public static ulong RecipEstimate(in FloatFormat format, ulong a, uint control, ref uint flags)
    {
        bool flush = FloatControl.FlushesArithmetic(format, control);
        var x = UnpackedFloat.Unpack(format, a, flush, ref flags);
        if (x.IsNaN)
        {
            return FloatNaN.Process(format, x.Class, a, control, ref flags);
        }

        if (x.IsInfinity)
        {
            return format.Zero(x.Sign);
        }

        if (x.IsZero)
        {
            flags |= FloatControl.DivideByZero;
            return format.Infinity(x.Sign);
        }

        // Below 2^-(Bias + 1) (the pseudocode's 2^-16, 2^-128, 2^-1024) the reciprocal overflows.
        int log2 = x.Exponent + format.FractionBits; // floor(log2(|value|)): the significand's top bit is bit F
        if (log2 < -(format.Bias + 1))
        {
            bool toInfinity = FloatControl.Rounding(control) switch
            {
                FloatRounding.TieEven => true,
                FloatRounding.PlusInfinity => !x.Sign,
                FloatRounding.MinusInfinity => x.Sign,
                _ => false,
            };
            flags |= FloatControl.Overflow | FloatControl.Inexact;
            return toInfinity ? format.Infinity(x.Sign) : format.MaxNormal(x.Sign);
        }

        if (flush && log2 >= format.Bias - 1)
        {
            // The reciprocal would be denormal: flushed to zero, UFC only.
            flags |= FloatControl.Underflow;
            return format.Zero(x.Sign);
        }

        // Fraction left-aligned to 52 bits and the biased exponent, as the pseudocode widens every format.
        ulong fraction = (a & format.FractionField) << (52 - format.FractionBits);
        int exponent = (int)((a >> format.FractionBits) & ((1UL << format.ExponentBits) - 1));
        if (exponent == 0)
        {
            if ((fraction >> 51) == 0)
            {
                exponent = -1;
                fraction = (fraction << 2) & ((1UL << 52) - 1);
            }
            else
            {
                fraction = (fraction << 1) & ((1UL << 52) - 1);
            }
        }

        int scaled = (int)(0x100 | (fraction >> 44));
        int resultExponent = (2 * format.Bias) - 1 - exponent; // 29, 253 or 2045 minus the exponent
        ulong estimate = (ulong)RecipEstimateInteger(scaled);
        ulong resultFraction = (estimate & 0xFF) << 44;
        if (resultExponent == 0)
        {
            resultFraction = (1UL << 51) | (resultFraction >> 1);
        }
        else if (resultExponent == -1)
        {
            resultFraction = (1UL << 50) | (resultFraction >> 2);
            resultExponent = 0;
        }

        return format.Zero(x.Sign) | ((ulong)resultExponent << format.FractionBits) | (resultFraction >> (52 - format.FractionBits));
    }

    /// <summary>FPRSqrtEstimate.</summary>
    public static ulong RSqrtEstimate(in FloatFormat format, ulong a, uint control, ref uint flags)
    {
        var x = UnpackedFloat.Unpack(format, a, FloatControl.FlushesArithmetic(format, control), ref flags);
        if (x.IsNaN)
        {
            return FloatNaN.Process(format, x.Class, a, control, ref flags);
        }

        if (x.IsZero)
        {
            flags |= FloatControl.DivideByZero;
            return format.Infinity(x.Sign);
        }

        if (x.Sign)
        {
            return FloatNaN.Invalid(format, ref flags);
        }

        if (x.IsInfinity)
        {
            return format.Zero(false);
        }

        ulong fraction = (a & format.FractionField) << (52 - format.FractionBits);
        int exponent = (int)((a >> format.FractionBits) & ((1UL << format.ExponentBits) - 1));
        if (exponent == 0)
        {
            while ((fraction >> 51) == 0)
            {
                fraction <<= 1;
                exponent--;
            }

            fraction = (fraction << 1) & ((1UL << 52) - 1);
        }

        int scaled = (exponent & 1) == 0 ? (int)(0x100 | (fraction >> 44)) : (int)(0x80 | (fraction >> 45));
        int resultExponent = ((3 * format.Bias) - 1 - exponent) >> 1; // (44|380|3068 - exp) DIV 2, always positive
        ulong estimate = (ulong)RSqrtEstimateInteger(scaled);
        return ((ulong)resultExponent << format.FractionBits) | ((estimate & 0xFF) << (format.FractionBits - 8));
    }

    /// <summary>FPRecpX: the exponent field inverted, fraction cleared (zeros and denormals give the largest exponent - 1).</summary>
    public static ulong RecipExponent(in FloatFormat format, ulong a, uint control, ref uint flags)
    {
        var x = UnpackedFloat.Unpack(format, a, FloatControl.FlushesArithmetic(format, control), ref flags);
        if (x.IsNaN)
        {
            return FloatNaN.Process(format, x.Class, a, control, ref flags);
        }

        ulong exponentField = a & format.ExponentField;
        ulong inverted = exponentField == 0 ? format.ExponentField - (1UL << format.FractionBits) : ~exponentField & format.ExponentField;
        return format.Zero(x.Sign) | inverted;
    }

    /// <summary>RecipEstimate: 256 ≤ a &lt; 512 (a fixed-point value in [0.5, 1)) to 256..511 (in [1, 2)).</summary>
    private static int RecipEstimateInteger(int a)
    {
        a = (a * 2) + 1;
        int b = (1 << 19) / a;
        return (b + 1) / 2;
    }

    /// <summary>RecipSqrtEstimate: 128 ≤ a &lt; 512 (a value in [0.25, 1)) to 256..511.</summary>
    private static int RSqrtEstimateInteger(int a)
    {
        if (a < 256)
        {
            a = (a * 2) + 1;
        }
        else
        {
            a = (a >> 1) << 1;
            a = (a + 1) * 2;
        }

        long b = 512;
        while (a * (b + 1) * (b + 1) < (1L << 28))
        {
            b++;
        }

        return (int)((b + 1) / 2);
    }
}
