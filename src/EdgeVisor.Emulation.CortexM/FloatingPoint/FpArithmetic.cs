using System.Numerics;

namespace EdgeVisor.Emulation.CortexM.FloatingPoint;

/// <summary>
/// Binary32 arithmetic with Arm semantics (FPAdd, FPSub, FPMul, FPDiv, FPSqrt, FPMulAdd), in integer soft-float so
/// every result and flag is exact whatever the host does. Operands and results are raw bit patterns; <c>fpscr</c> supplies
/// the modes and accumulates the exception flags.
/// </summary>
public static class FpArithmetic
{
    /// <summary>FPAdd.</summary>
    public static uint Add(uint a, uint b, ref uint fpscr)
    {
        var x = FpValue.Unpack(a, ref fpscr);
        var y = FpValue.Unpack(b, ref fpscr);
        if (FpNaN.TryProcess(x, a, y, b, ref fpscr, out uint nan))
        {
            return nan;
        }

        return AddUnpacked(x, y, ref fpscr);
    }

    /// <summary>FPSub.</summary>
    public static uint Sub(uint a, uint b, ref uint fpscr)
    {
        var x = FpValue.Unpack(a, ref fpscr);
        var y = FpValue.Unpack(b, ref fpscr);
        if (FpNaN.TryProcess(x, a, y, b, ref fpscr, out uint nan))
        {
            return nan;
        }

        return AddUnpacked(x, new FpValue(y.Class, !y.Sign, y.Exponent, y.Significand), ref fpscr);
    }

    /// <summary>FPMul.</summary>
    public static uint Mul(uint a, uint b, ref uint fpscr)
    {
        var x = FpValue.Unpack(a, ref fpscr);
        var y = FpValue.Unpack(b, ref fpscr);
        if (FpNaN.TryProcess(x, a, y, b, ref fpscr, out uint nan))
        {
            return nan;
        }

        bool sign = x.Sign ^ y.Sign;
        if ((x.IsInfinity && y.IsZero) || (x.IsZero && y.IsInfinity))
        {
            return FpNaN.Invalid(ref fpscr);
        }

        if (x.IsInfinity || y.IsInfinity)
        {
            return FpRounder.Inf(sign);
        }

        if (x.IsZero || y.IsZero)
        {
            return FpRounder.Zero(sign);
        }

        return FpRounder.Round(sign, x.Exponent + y.Exponent, x.Significand * y.Significand, Fpscr.RoundingMode(fpscr), ref fpscr);
    }

    /// <summary>FPDiv.</summary>
    public static uint Div(uint a, uint b, ref uint fpscr)
    {
        var x = FpValue.Unpack(a, ref fpscr);
        var y = FpValue.Unpack(b, ref fpscr);
        if (FpNaN.TryProcess(x, a, y, b, ref fpscr, out uint nan))
        {
            return nan;
        }

        bool sign = x.Sign ^ y.Sign;
        if ((x.IsInfinity && y.IsInfinity) || (x.IsZero && y.IsZero))
        {
            return FpNaN.Invalid(ref fpscr);
        }

        if (x.IsInfinity)
        {
            return FpRounder.Inf(sign);
        }

        if (y.IsZero)
        {
            fpscr |= Fpscr.Dzc;
            return FpRounder.Inf(sign);
        }

        if (x.IsZero || y.IsInfinity)
        {
            return FpRounder.Zero(sign);
        }

        // 24-bit significands: (x << 38) / y has at least 38 quotient bits; a nonzero remainder becomes a sticky bit.
        ulong dividend = x.Significand << 38;
        ulong quotient = dividend / y.Significand;
        if (quotient * y.Significand != dividend)
        {
            quotient |= 1;
        }

        return FpRounder.Round(sign, x.Exponent - y.Exponent - 38, quotient, Fpscr.RoundingMode(fpscr), ref fpscr);
    }

    /// <summary>FPSqrt.</summary>
    public static uint Sqrt(uint a, ref uint fpscr)
    {
        var x = FpValue.Unpack(a, ref fpscr);
        if (x.IsNaN)
        {
            return FpNaN.Process(x.Class, a, ref fpscr);
        }

        if (x.IsZero)
        {
            return FpRounder.Zero(x.Sign);
        }

        if (x.Sign)
        {
            return FpNaN.Invalid(ref fpscr);
        }

        if (x.IsInfinity)
        {
            return FpRounder.Infinity;
        }

        // Scale the 24-bit significand to about 62 bits with an even total exponent; the integer root has ~31 bits.
        int shift = (x.Exponent & 1) == 0 ? 38 : 39;
        ulong radicand = x.Significand << shift;
        ulong root = IntegerSqrt(radicand);
        if (root * root != radicand)
        {
            root |= 1;
        }

        return FpRounder.Round(false, (x.Exponent - shift) / 2, root, Fpscr.RoundingMode(fpscr), ref fpscr);
    }

    /// <summary>FPMulAdd: <c>addend + a*b</c> with a single rounding (VFMA and friends negate operands before calling).</summary>
    public static uint MulAdd(uint addend, uint a, uint b, ref uint fpscr)
    {
        var c = FpValue.Unpack(addend, ref fpscr);
        var x = FpValue.Unpack(a, ref fpscr);
        var y = FpValue.Unpack(b, ref fpscr);
        bool infTimesZero = (x.IsInfinity && y.IsZero) || (x.IsZero && y.IsInfinity);
        if (FpNaN.TryProcess(c, addend, x, a, y, b, ref fpscr, out uint nan))
        {
            // A quiet-NaN addend does not hide the invalid 0*inf product.
            return c.Class == FpClass.QuietNaN && infTimesZero ? FpNaN.Invalid(ref fpscr) : nan;
        }

        bool productSign = x.Sign ^ y.Sign;
        bool productInfinite = x.IsInfinity || y.IsInfinity;
        if (infTimesZero || (c.IsInfinity && productInfinite && c.Sign != productSign))
        {
            return FpNaN.Invalid(ref fpscr);
        }

        if (c.IsInfinity)
        {
            return FpRounder.Inf(c.Sign);
        }

        if (productInfinite)
        {
            return FpRounder.Inf(productSign);
        }

        bool productZero = x.IsZero || y.IsZero;
        if (productZero && c.IsZero && c.Sign == productSign)
        {
            return FpRounder.Zero(c.Sign);
        }

        var product = productZero
            ? new FpValue(FpClass.Zero, productSign, 0, 0)
            : new FpValue(FpClass.Finite, productSign, x.Exponent + y.Exponent, x.Significand * y.Significand);
        return AddUnpacked(c, product, ref fpscr);
    }

    /// <summary>FPNeg: flips the sign bit only (NaNs included, no flags).</summary>
    public static uint Neg(uint a) => a ^ 0x8000_0000;

    /// <summary>FPAbs: clears the sign bit only.</summary>
    public static uint Abs(uint a) => a & 0x7FFF_FFFF;

    /// <summary>Sum of two non-NaN unpacked values, rounded; handles the infinity and signed-zero rules of FPAdd.</summary>
    private static uint AddUnpacked(in FpValue x, in FpValue y, ref uint fpscr)
    {
        if (x.IsInfinity && y.IsInfinity && x.Sign != y.Sign)
        {
            return FpNaN.Invalid(ref fpscr);
        }

        if (x.IsInfinity)
        {
            return FpRounder.Inf(x.Sign);
        }

        if (y.IsInfinity)
        {
            return FpRounder.Inf(y.Sign);
        }

        FpRounding mode = Fpscr.RoundingMode(fpscr);
        if (x.IsZero && y.IsZero)
        {
            return FpRounder.Zero(x.Sign == y.Sign ? x.Sign : mode == FpRounding.MinusInfinity);
        }

        if (!ExactSum(x, y, out bool sign, out int exponent, out ulong magnitude))
        {
            // An exact zero from opposite-signed equal values is +0, or -0 when rounding towards minus infinity.
            return FpRounder.Zero(mode == FpRounding.MinusInfinity);
        }

        return FpRounder.Round(sign, exponent, magnitude, mode, ref fpscr);
    }

    /// <summary>
    /// Adds two finite values (either may be zero) whose significands have at most 62 bits. Both are aligned with the
    /// larger at bit 62; bits shifted out of the smaller are jammed into bit 0, which keeps rounding exact because
    /// cancellation of more than one bit only happens when nothing was shifted out. Returns false for an exact zero.
    /// </summary>
    private static bool ExactSum(in FpValue x, in FpValue y, out bool sign, out int exponent, out ulong magnitude)
    {
        if (y.IsZero)
        {
            (sign, exponent, magnitude) = (x.Sign, x.Exponent, x.Significand);
            return true;
        }

        if (x.IsZero)
        {
            (sign, exponent, magnitude) = (y.Sign, y.Exponent, y.Significand);
            return true;
        }

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

        sign = sx;
        exponent = ex;
        magnitude = sx == sy ? mx + my : mx - my;
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
}
