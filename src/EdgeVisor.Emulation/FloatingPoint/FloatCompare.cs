namespace EdgeVisor.Emulation.FloatingPoint;

/// <summary>FPCompare (NZCV), FPCompareEQ/GE/GT, FPMax/FPMin and FPMaxNum/FPMinNum.</summary>
public static class FloatCompare
{
    /// <summary>NZCV for "equal".</summary>
    public const uint Equal = 0b0110;

    /// <summary>NZCV for "less than".</summary>
    public const uint Less = 0b1000;

    /// <summary>NZCV for "greater than".</summary>
    public const uint Greater = 0b0010;

    /// <summary>NZCV for "unordered".</summary>
    public const uint Unordered = 0b0011;

    /// <summary>FPCompare: NZCV in bits 3..0. IOC for a signalling NaN, or any NaN with <paramref name="signalAllNaNs"/>.</summary>
    public static uint Compare(in FloatFormat format, ulong a, ulong b, bool signalAllNaNs, uint control, ref uint flags)
    {
        bool flush = FloatControl.FlushesArithmetic(format, control);
        var x = UnpackedFloat.Unpack(format, a, flush, ref flags);
        var y = UnpackedFloat.Unpack(format, b, flush, ref flags);
        if (x.IsNaN || y.IsNaN)
        {
            if (signalAllNaNs || x.Class == FloatClass.SignalingNaN || y.Class == FloatClass.SignalingNaN)
            {
                flags |= FloatControl.InvalidOperation;
            }

            return Unordered;
        }

        return UnpackedFloat.CompareValues(x, y) switch
        {
            0 => Equal,
            < 0 => Less,
            _ => Greater,
        };
    }

    /// <summary>FPCompareEQ: false for NaNs, IOC only for a signalling NaN.</summary>
    public static bool CompareEqual(in FloatFormat format, ulong a, ulong b, uint control, ref uint flags) =>
        Compare(format, a, b, signalAllNaNs: false, control, ref flags) == Equal;

    /// <summary>FPCompareGE: false for NaNs, IOC for any NaN.</summary>
    public static bool CompareGreaterEqual(in FloatFormat format, ulong a, ulong b, uint control, ref uint flags) =>
        Compare(format, a, b, signalAllNaNs: true, control, ref flags) is Equal or Greater;

    /// <summary>FPCompareGT: false for NaNs, IOC for any NaN.</summary>
    public static bool CompareGreater(in FloatFormat format, ulong a, ulong b, uint control, ref uint flags) =>
        Compare(format, a, b, signalAllNaNs: true, control, ref flags) == Greater;

    /// <summary>FPMax: NaNs propagate; max(+0, -0) is +0.</summary>
    public static ulong Max(in FloatFormat format, ulong a, ulong b, uint control, ref uint flags) =>
        Select(format, a, b, control, ref flags, maximum: true);

    /// <summary>FPMin: NaNs propagate; min(+0, -0) is -0.</summary>
    public static ulong Min(in FloatFormat format, ulong a, ulong b, uint control, ref uint flags) =>
        Select(format, a, b, control, ref flags, maximum: false);

    /// <summary>FPMaxNum: a single quiet NaN reads as -∞ so the number wins; signalling NaNs still propagate.</summary>
    public static ulong MaxNum(in FloatFormat format, ulong a, ulong b, uint control, ref uint flags)
    {
        QuietNaNLoses(format, ref a, ref b, format.Infinity(true), control, ref flags);
        return Select(format, a, b, control, ref flags, maximum: true);
    }

    /// <summary>FPMinNum: a single quiet NaN reads as +∞ so the number wins.</summary>
    public static ulong MinNum(in FloatFormat format, ulong a, ulong b, uint control, ref uint flags)
    {
        QuietNaNLoses(format, ref a, ref b, format.Infinity(false), control, ref flags);
        return Select(format, a, b, control, ref flags, maximum: false);
    }

    private static void QuietNaNLoses(in FloatFormat format, ref ulong a, ref ulong b, ulong replacement, uint control, ref uint flags)
    {
        bool flush = FloatControl.FlushesArithmetic(format, control);
        var x = UnpackedFloat.Unpack(format, a, flush, ref flags);
        var y = UnpackedFloat.Unpack(format, b, flush, ref flags);
        if (x.Class == FloatClass.QuietNaN && y.Class != FloatClass.QuietNaN)
        {
            a = replacement;
        }
        else if (x.Class != FloatClass.QuietNaN && y.Class == FloatClass.QuietNaN)
        {
            b = replacement;
        }
    }

    private static ulong Select(in FloatFormat format, ulong a, ulong b, uint control, ref uint flags, bool maximum)
    {
        bool flush = FloatControl.FlushesArithmetic(format, control);
        var x = UnpackedFloat.Unpack(format, a, flush, ref flags);
        var y = UnpackedFloat.Unpack(format, b, flush, ref flags);
        if (FloatNaN.TryProcess(format, x, a, y, b, control, ref flags, out ulong nan))
        {
            return nan;
        }

        int order = UnpackedFloat.CompareValues(x, y);
        bool pickFirst = maximum ? order > 0 : order < 0;
        ref readonly UnpackedFloat chosen = ref pickFirst ? ref x : ref y;
        if (chosen.IsZero)
        {
            // The pseudocode's zero rule: max takes sign1 AND sign2, min sign1 OR sign2 (so max(+0, -0) = +0).
            return format.Zero(maximum ? x.Sign && y.Sign : x.Sign || y.Sign);
        }

        if (chosen.IsInfinity)
        {
            return format.Infinity(chosen.Sign);
        }

        return (pickFirst ? a : b) & format.Mask;
    }
}
