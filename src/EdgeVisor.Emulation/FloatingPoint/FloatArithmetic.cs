using System.Numerics;

namespace EdgeVisor.Emulation.FloatingPoint;

/// <summary>
/// FPAdd, FPSub, FPMul, FPMulX, FPDiv, FPSqrt and FPMulAdd with Arm's rules on raw bit patterns of any
/// <see cref="FloatFormat"/>. Integer arithmetic on significands: products are exact (128-bit for double), quotients
/// and roots carry several bits beyond the rounding point plus a sticky bit, so results and flags are exact.
/// </summary>
public static class FloatArithmetic
{
    /// <summary>FPAdd.</summary>
    public static ulong Add(in FloatFormat format, ulong a, ulong b, uint control, ref uint flags)
    {
        if (HostFastPath.TryAdd(format, a, b, subtract: false, control, ref flags, out ulong fast))
        {
            return fast;
        }

        bool flush = FloatControl.FlushesArithmetic(format, control);
        var x = UnpackedFloat.Unpack(format, a, flush, ref flags);
        var y = UnpackedFloat.Unpack(format, b, flush, ref flags);
        if (FloatNaN.TryProcess(format, x, a, y, b, control, ref flags, out ulong nan))
        {
            return nan;
        }

        return AddUnpacked(format, x, y, control, ref flags);
    }

    /// <summary>FPSub.</summary>
    public static ulong Sub(in FloatFormat format, ulong a, ulong b, uint control, ref uint flags)
    {
        if (HostFastPath.TryAdd(format, a, b, subtract: true, control, ref flags, out ulong fast))
        {
            return fast;
        }

        bool flush = FloatControl.FlushesArithmetic(format, control);
        var x = UnpackedFloat.Unpack(format, a, flush, ref flags);
        var y = UnpackedFloat.Unpack(format, b, flush, ref flags);
        if (FloatNaN.TryProcess(format, x, a, y, b, control, ref flags, out ulong nan))
        {
            return nan;
        }

        return AddUnpacked(format, x, new UnpackedFloat(y.Class, !y.Sign, y.Exponent, y.Significand), control, ref flags);
    }

    /// <summary>FPMul.</summary>
    public static ulong Mul(in FloatFormat format, ulong a, ulong b, uint control, ref uint flags) =>
        Multiply(format, a, b, control, ref flags, extended: false);

    /// <summary>FPMulX (FMULX): as <see cref="Mul"/>, but zero times infinity is ±2.0.</summary>
    public static ulong MulX(in FloatFormat format, ulong a, ulong b, uint control, ref uint flags) =>
        Multiply(format, a, b, control, ref flags, extended: true);

    /// <summary>FPDiv.</summary>
    public static ulong Div(in FloatFormat format, ulong a, ulong b, uint control, ref uint flags)
    {
        bool flush = FloatControl.FlushesArithmetic(format, control);
        var x = UnpackedFloat.Unpack(format, a, flush, ref flags);
        var y = UnpackedFloat.Unpack(format, b, flush, ref flags);
        if (FloatNaN.TryProcess(format, x, a, y, b, control, ref flags, out ulong nan))
        {
            return nan;
        }

        bool sign = x.Sign ^ y.Sign;
        if ((x.IsInfinity && y.IsInfinity) || (x.IsZero && y.IsZero))
        {
            return FloatNaN.Invalid(format, ref flags);
        }

        if (x.IsInfinity)
        {
            return format.Infinity(sign);
        }

        if (y.IsZero)
        {
            flags |= FloatControl.DivideByZero;
            return format.Infinity(sign);
        }

        if (x.IsZero || y.IsInfinity)
        {
            return format.Zero(sign);
        }

        FloatRounding rounding = FloatControl.Rounding(control);
        if (format.FractionBits <= 30)
        {
            // Significands of at most 31 bits: (x << (62 - F)) fits a ulong and the quotient keeps > 30 bits.
            int shift = 62 - format.FractionBits;
            ulong dividend = x.Significand << shift;
            ulong quotient = dividend / y.Significand;
            if (quotient * y.Significand != dividend)
            {
                quotient |= 1;
            }

            return FloatRounder.Round(format, sign, x.Exponent - y.Exponent - shift, quotient, rounding, control, ref flags);
        }

        // Double: a 62-bit shift leaves a quotient of 61 or 62 bits, well past the 53 + round + sticky needed.
        UInt128 wideDividend = (UInt128)x.Significand << 62;
        UInt128 wideQuotient = wideDividend / y.Significand;
        ulong q = (ulong)wideQuotient;
        if (wideQuotient * y.Significand != wideDividend)
        {
            q |= 1;
        }

        return FloatRounder.Round(format, sign, x.Exponent - y.Exponent - 62, q, rounding, control, ref flags);
    }

    /// <summary>FPSqrt.</summary>
    public static ulong Sqrt(in FloatFormat format, ulong a, uint control, ref uint flags)
    {
        var x = UnpackedFloat.Unpack(format, a, FloatControl.FlushesArithmetic(format, control), ref flags);
        if (x.IsNaN)
        {
            return FloatNaN.Process(format, x.Class, a, control, ref flags);
        }

        if (x.IsZero)
        {
            return format.Zero(x.Sign);
        }

        if (x.Sign)
        {
            return FloatNaN.Invalid(format, ref flags);
        }

        if (x.IsInfinity)
        {
            return format.Infinity(false);
        }

        FloatRounding rounding = FloatControl.Rounding(control);
        if (format.FractionBits <= 30)
        {
            // Radicand of 61-62 bits with an even exponent: the root has over 30 bits.
            int shift = 61 - format.FractionBits;
            if (((x.Exponent - shift) & 1) != 0)
            {
                shift++;
            }

            ulong radicand = x.Significand << shift;
            ulong root = IntegerSqrt(radicand);
            if (root * root != radicand)
            {
                root |= 1;
            }

            return FloatRounder.Round(format, false, (x.Exponent - shift) / 2, root, rounding, control, ref flags);
        }

        // Double: radicand of 113-114 bits, root of 57 bits (53 + round + sticky room).
        int wideShift = 60;
        if (((x.Exponent - wideShift) & 1) != 0)
        {
            wideShift++;
        }

        UInt128 wideRadicand = (UInt128)x.Significand << wideShift;
        ulong wideRoot = IntegerSqrt(wideRadicand);
        if ((UInt128)wideRoot * wideRoot != wideRadicand)
        {
            wideRoot |= 1;
        }

        return FloatRounder.Round(format, false, (x.Exponent - wideShift) / 2, wideRoot, rounding, control, ref flags);
    }

    /// <summary>
    /// FPMulAdd: <c>addend + a × b</c> with one rounding. A quiet-NaN addend does not hide the invalid 0 × ∞ product
    /// (default NaN and IOC).
    /// </summary>
    public static ulong MulAdd(in FloatFormat format, ulong addend, ulong a, ulong b, uint control, ref uint flags)
    {
        bool flush = FloatControl.FlushesArithmetic(format, control);
        var c = UnpackedFloat.Unpack(format, addend, flush, ref flags);
        var x = UnpackedFloat.Unpack(format, a, flush, ref flags);
        var y = UnpackedFloat.Unpack(format, b, flush, ref flags);
        bool infinityTimesZero = (x.IsInfinity && y.IsZero) || (x.IsZero && y.IsInfinity);
        if (FloatNaN.TryProcess(format, c, addend, x, a, y, b, control, ref flags, out ulong nan))
        {
            return c.Class == FloatClass.QuietNaN && infinityTimesZero ? FloatNaN.Invalid(format, ref flags) : nan;
        }

        bool productSign = x.Sign ^ y.Sign;
        bool productInfinite = x.IsInfinity || y.IsInfinity;
        if (infinityTimesZero || (c.IsInfinity && productInfinite && c.Sign != productSign))
        {
            return FloatNaN.Invalid(format, ref flags);
        }

        if (c.IsInfinity)
        {
            return format.Infinity(c.Sign);
        }

        if (productInfinite)
        {
            return format.Infinity(productSign);
        }

        bool productZero = x.IsZero || y.IsZero;
        if (productZero && c.IsZero && c.Sign == productSign)
        {
            return format.Zero(c.Sign);
        }

        FloatRounding rounding = FloatControl.Rounding(control);
        if (productZero)
        {
            // The exact sum is the addend (zeros of opposite signs give +0, or -0 rounding down).
            return c.IsZero ? format.Zero(rounding == FloatRounding.MinusInfinity) : PackExact(format, c, control, ref flags);
        }

        UInt128 product = (UInt128)x.Significand * y.Significand;
        int productExponent = x.Exponent + y.Exponent;
        return AddToProduct(format, c, productSign, productExponent, product, 0, rounding, control, ref flags);
    }

    /// <summary>
    /// FPRecipStepFused (FRECPS, <c>2 - a × b</c>) and FPRSqrtStepFused (FRSQRTS, <c>(3 - a × b) / 2</c>). The first
    /// operand is negated before NaN processing, as the pseudocode does; 0 × ∞ gives 2.0 or 1.5.
    /// </summary>
    public static ulong StepFused(in FloatFormat format, ulong a, ulong b, bool reciprocalSquareRoot, uint control, ref uint flags)
    {
        a = (a ^ format.SignBit) & format.Mask;
        bool flush = FloatControl.FlushesArithmetic(format, control);
        var x = UnpackedFloat.Unpack(format, a, flush, ref flags);
        var y = UnpackedFloat.Unpack(format, b, flush, ref flags);
        if (FloatNaN.TryProcess(format, x, a, y, b, control, ref flags, out ulong nan))
        {
            return nan;
        }

        if ((x.IsInfinity && y.IsZero) || (x.IsZero && y.IsInfinity))
        {
            // FPTwo or FPOnePointFive, positive.
            return reciprocalSquareRoot ? format.PowerOfTwo(false, 0) | format.QuietBit : format.PowerOfTwo(false, 1);
        }

        if (x.IsInfinity || y.IsInfinity)
        {
            return format.Infinity(x.Sign ^ y.Sign);
        }

        FloatRounding rounding = FloatControl.Rounding(control);
        int halve = reciprocalSquareRoot ? 1 : 0;

        // The constant 3 or 2 as an unpacked value with its top bit at bit F, like every unpacked significand.
        var constant = reciprocalSquareRoot
            ? new UnpackedFloat(FloatClass.Finite, false, 1 - format.FractionBits, 3UL << (format.FractionBits - 1))
            : new UnpackedFloat(FloatClass.Finite, false, 1 - format.FractionBits, 1UL << format.FractionBits);
        if (x.IsZero || y.IsZero)
        {
            return FloatRounder.Round(format, false, constant.Exponent - halve, constant.Significand, rounding, control, ref flags);
        }

        UInt128 product = (UInt128)x.Significand * y.Significand;
        return AddToProduct(format, constant, x.Sign ^ y.Sign, x.Exponent + y.Exponent, product, halve, rounding, control, ref flags);
    }

    /// <summary>Packs an unpacked finite value again (exact; only a flush-to-zero can change it).</summary>
    private static ulong PackExact(in FloatFormat format, in UnpackedFloat value, uint control, ref uint flags) =>
        FloatRounder.Round(format, value.Sign, value.Exponent, value.Significand, FloatRounding.Zero, control, ref flags);

    /// <summary>
    /// Rounds <c>(addend + product) / 2^halve</c> where the product is a finite nonzero exact 128-bit significand and
    /// the addend is finite (possibly zero).
    /// </summary>
    private static ulong AddToProduct(in FloatFormat format, in UnpackedFloat addend, bool productSign, int productExponent, UInt128 product,
        int halve, FloatRounding rounding, uint control, ref uint flags)
    {
        if (addend.IsZero)
        {
            return FloatRounder.Round(format, productSign, productExponent - halve, product, rounding, control, ref flags);
        }

        if (!ExactSum(addend.Sign, addend.Exponent, addend.Significand, productSign, productExponent, product,
                out bool sign, out int exponent, out UInt128 magnitude))
        {
            return format.Zero(rounding == FloatRounding.MinusInfinity);
        }

        return FloatRounder.Round(format, sign, exponent - halve, magnitude, rounding, control, ref flags);
    }

    private static ulong Multiply(in FloatFormat format, ulong a, ulong b, uint control, ref uint flags, bool extended)
    {
        if (HostFastPath.TryMul(format, a, b, control, ref flags, out ulong fast))
        {
            return fast;
        }

        bool flush = FloatControl.FlushesArithmetic(format, control);
        var x = UnpackedFloat.Unpack(format, a, flush, ref flags);
        var y = UnpackedFloat.Unpack(format, b, flush, ref flags);
        if (FloatNaN.TryProcess(format, x, a, y, b, control, ref flags, out ulong nan))
        {
            return nan;
        }

        bool sign = x.Sign ^ y.Sign;
        if ((x.IsInfinity && y.IsZero) || (x.IsZero && y.IsInfinity))
        {
            return extended ? format.PowerOfTwo(sign, 1) : FloatNaN.Invalid(format, ref flags);
        }

        if (x.IsInfinity || y.IsInfinity)
        {
            return format.Infinity(sign);
        }

        if (x.IsZero || y.IsZero)
        {
            return format.Zero(sign);
        }

        FloatRounding rounding = FloatControl.Rounding(control);
        if (format.FractionBits <= 30)
        {
            return FloatRounder.Round(format, sign, x.Exponent + y.Exponent, x.Significand * y.Significand, rounding, control, ref flags);
        }

        // Double: pre-shift the 53-bit significands to bits 63 and 62 so the high half of the 128-bit product holds
        // 62-63 significant bits; the low half only matters as a sticky bit.
        int shiftX = BitOperations.LeadingZeroCount(x.Significand);
        int shiftY = BitOperations.LeadingZeroCount(y.Significand) - 1;
        ulong high = Math.BigMul(x.Significand << shiftX, y.Significand << shiftY, out ulong low);
        high |= low != 0 ? 1UL : 0;
        return FloatRounder.Round(format, sign, x.Exponent + y.Exponent - shiftX - shiftY + 64, high, rounding, control, ref flags);
    }

    /// <summary>Sum of two non-NaN values: the infinity and signed-zero rules of FPAdd, then one rounding.</summary>
    private static ulong AddUnpacked(in FloatFormat format, in UnpackedFloat x, in UnpackedFloat y, uint control, ref uint flags)
    {
        if (x.IsInfinity && y.IsInfinity && x.Sign != y.Sign)
        {
            return FloatNaN.Invalid(format, ref flags);
        }

        if (x.IsInfinity)
        {
            return format.Infinity(x.Sign);
        }

        if (y.IsInfinity)
        {
            return format.Infinity(y.Sign);
        }

        FloatRounding rounding = FloatControl.Rounding(control);
        if (x.IsZero && y.IsZero)
        {
            return format.Zero(x.Sign == y.Sign ? x.Sign : rounding == FloatRounding.MinusInfinity);
        }

        if (y.IsZero)
        {
            return PackExact(format, x, control, ref flags);
        }

        if (x.IsZero)
        {
            return PackExact(format, y, control, ref flags);
        }

        // Both significands have at most 53 bits: align the larger at bit 62 and jam what the smaller loses into bit 0.
        // Cancellation of more than one bit only happens when nothing was shifted out, so the sticky bit stays honest.
        int xShift = BitOperations.LeadingZeroCount(x.Significand) - 1;
        int yShift = BitOperations.LeadingZeroCount(y.Significand) - 1;
        ulong mx = x.Significand << xShift;
        ulong my = y.Significand << yShift;
        int ex = x.Exponent - xShift;
        int ey = y.Exponent - yShift;
        bool sx = x.Sign;
        bool sy = y.Sign;
        if (ey > ex || (ey == ex && my > mx))
        {
            (mx, my) = (my, mx);
            (ex, ey) = (ey, ex);
            (sx, sy) = (sy, sx);
        }

        int distance = ex - ey;
        if (distance >= 63)
        {
            my = 1;
        }
        else if (distance > 0)
        {
            bool lost = (my & ((1UL << distance) - 1)) != 0;
            my = (my >> distance) | (lost ? 1UL : 0);
        }

        ulong magnitude = sx == sy ? mx + my : mx - my;
        if (magnitude == 0)
        {
            // Equal values of opposite signs: +0, or -0 when rounding towards minus infinity.
            return format.Zero(rounding == FloatRounding.MinusInfinity);
        }

        return FloatRounder.Round(format, sx, ex, magnitude, rounding, control, ref flags);
    }

    /// <summary>
    /// Exact (sticky-jammed) sum of a finite nonzero value and a finite nonzero 128-bit product, both aligned with the
    /// larger at bit 125. Returns false when the sum is exactly zero.
    /// </summary>
    private static bool ExactSum(bool signA, int exponentA, UInt128 significandA, bool signB, int exponentB, UInt128 significandB,
        out bool sign, out int exponent, out UInt128 magnitude)
    {
        int shiftA = (int)UInt128.LeadingZeroCount(significandA) - 2;
        int shiftB = (int)UInt128.LeadingZeroCount(significandB) - 2;
        UInt128 ma = significandA << shiftA;
        UInt128 mb = significandB << shiftB;
        int ea = exponentA - shiftA;
        int eb = exponentB - shiftB;
        if (eb > ea || (eb == ea && mb > ma))
        {
            (ma, mb) = (mb, ma);
            (ea, eb) = (eb, ea);
            (signA, signB) = (signB, signA);
        }

        int distance = ea - eb;
        if (distance >= 126)
        {
            mb = 1;
        }
        else if (distance > 0)
        {
            bool lost = (mb & ((UInt128.One << distance) - 1)) != 0;
            mb = (mb >> distance) | (lost ? UInt128.One : UInt128.Zero);
        }

        sign = signA;
        exponent = ea;
        magnitude = signA == signB ? ma + mb : ma - mb;
        return magnitude != 0;
    }

    private static ulong IntegerSqrt(ulong value)
    {
        ulong root = (ulong)Math.Sqrt(value);
        while (root * root > value)
        {
            root--;
        }

        while ((root + 1) * (root + 1) <= value)
        {
            root++;
        }

        return root;
    }

    private static ulong IntegerSqrt(UInt128 value)
    {
        // The double estimate is within a few units of the 57-bit root; step to the exact floor.
        ulong root = (ulong)Math.Sqrt((double)value);
        while ((UInt128)root * root > value)
        {
            root--;
        }

        while ((UInt128)(root + 1) * (root + 1) <= value)
        {
            root++;
        }

        return root;
    }
}
