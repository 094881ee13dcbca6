namespace EdgeVisor.Emulation.CortexM.FloatingPoint;

/// <summary>FPCompare (VCMP/VCMPE) and the FPv5 selection operations FPMaxNum/FPMinNum (VMAXNM/VMINNM).</summary>
public static class FpCompare
{
    /// <summary>NZCV for "unordered" (either operand a NaN).</summary>
    public const uint Unordered = 0x3;

    /// <summary>
    /// FPCompare: returns NZCV in bits 3..0 (equal 0110, less 1000, greater 0010, unordered 0011). A signalling NaN always
    /// raises IOC; a quiet NaN only when <paramref name="signalOnQuietNaN"/> (VCMPE).
    /// </summary>
    public static uint Compare(uint a, uint b, bool signalOnQuietNaN, ref uint fpscr)
    {
        var x = FpValue.Unpack(a, ref fpscr);
        var y = FpValue.Unpack(b, ref fpscr);
        if (x.IsNaN || y.IsNaN)
        {
            if (x.Class == FpClass.SignalingNaN || y.Class == FpClass.SignalingNaN || signalOnQuietNaN)
            {
                fpscr |= Fpscr.Ioc;
            }

            return Unordered;
        }

        int order = Order(x, y);
        return order == 0 ? 0x6u : order < 0 ? 0x8u : 0x2u;
    }

    /// <summary>Writes a comparison result into FPSCR.NZCV (what VCMP does).</summary>
    public static void CompareIntoFpscr(uint a, uint b, bool signalOnQuietNaN, ref uint fpscr)
    {
        uint nzcv = Compare(a, b, signalOnQuietNaN, ref fpscr);
        fpscr = (fpscr & ~Fpscr.NzcvMask) | (nzcv << 28);
    }

    /// <summary>FPMaxNum (VMAXNM): a single quiet NaN loses to a number; otherwise FPMax.</summary>
    public static uint MaxNum(uint a, uint b, ref uint fpscr) => MinMaxNum(a, b, max: true, ref fpscr);

    /// <summary>FPMinNum (VMINNM).</summary>
    public static uint MinNum(uint a, uint b, ref uint fpscr) => MinMaxNum(a, b, max: false, ref fpscr);

    private static uint MinMaxNum(uint a, uint b, bool max, ref uint fpscr)
    {
        bool aQuiet = IsQuietNaN(a);
        bool bQuiet = IsQuietNaN(b);
        if (aQuiet && !bQuiet)
        {
            a = FpRounder.Inf(max);
        }
        else if (!aQuiet && bQuiet)
        {
            b = FpRounder.Inf(max);
        }

        var x = FpValue.Unpack(a, ref fpscr);
        var y = FpValue.Unpack(b, ref fpscr);
        if (FpNaN.TryProcess(x, a, y, b, ref fpscr, out uint nan))
        {
            return nan;
        }

        if (x.IsZero && y.IsZero)
        {
            // +0 is larger than -0 here: max of zeros is negative only if both are, min if either is.
            return FpRounder.Zero(max ? x.Sign && y.Sign : x.Sign || y.Sign);
        }

        int order = Order(x, y);
        bool pickX = max ? order > 0 : order < 0;
        var chosen = pickX ? x : y;
        uint bits = pickX ? a : b;
        return chosen.IsZero ? FpRounder.Zero(chosen.Sign) : bits;
    }

    private static bool IsQuietNaN(uint bits) => (bits & 0x7FC0_0000) == 0x7FC0_0000;

    /// <summary>Orders two non-NaN values as reals (-1, 0, +1); both zeros compare equal.</summary>
    private static int Order(in FpValue x, in FpValue y)
    {
        int kx = Key(x, out int ex, out ulong mx);
        int ky = Key(y, out int ey, out ulong my);
        if (kx != ky)
        {
            return kx < ky ? -1 : 1;
        }

        if (kx == 0 || x.IsInfinity)
        {
            return 0;
        }

        // Same sign, both finite nonzero: compare magnitudes (normalised 24-bit significands).
        int magnitude = ex != ey ? (ex < ey ? -1 : 1) : mx.CompareTo(my);
        return x.Sign ? -magnitude : magnitude;
    }

    /// <summary>Coarse order: -2 -inf, -1 negative, 0 zero, 1 positive, 2 +inf.</summary>
    private static int Key(in FpValue v, out int exponent, out ulong significand)
    {
        exponent = v.Exponent;
        significand = v.Significand;
        if (v.IsZero)
        {
            return 0;
        }

        int magnitude = v.IsInfinity ? 2 : 1;
        return v.Sign ? -magnitude : magnitude;
    }
}
