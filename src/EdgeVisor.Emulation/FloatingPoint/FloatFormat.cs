namespace EdgeVisor.Emulation.FloatingPoint;

/// <summary>
/// An IEEE 754 binary interchange format described by its exponent and fraction widths (half, single, double).
/// Every soft-float routine is written once against these parameters; bit patterns sit in the low bits of a ulong.
/// </summary>
public readonly struct FloatFormat
{
    /// <summary>binary16 (5-bit exponent, 10-bit fraction).</summary>
    public static readonly FloatFormat Half = new(5, 10);

    /// <summary>binary32 (8-bit exponent, 23-bit fraction).</summary>
    public static readonly FloatFormat Single = new(8, 23);

    /// <summary>binary64 (11-bit exponent, 52-bit fraction).</summary>
    public static readonly FloatFormat Double = new(11, 52);

    private FloatFormat(int exponentBits, int fractionBits)
    {
        ExponentBits = exponentBits;
        FractionBits = fractionBits;
    }

    /// <summary>Width of the exponent field.</summary>
    public int ExponentBits { get; }

    /// <summary>Width of the fraction field (the significand has one more, implicit, bit).</summary>
    public int FractionBits { get; }

    /// <summary>Total width in bits: 16, 32 or 64.</summary>
    public int Width => 1 + ExponentBits + FractionBits;

    /// <summary>Whether this is binary16 (its flush-to-zero and alternative-format rules differ).</summary>
    public bool IsHalf => FractionBits == 10;

    /// <summary>Exponent bias.</summary>
    public int Bias => (1 << (ExponentBits - 1)) - 1;

    /// <summary>Unbiased exponent of the smallest normal number (the ARM ARM's minimum_exp).</summary>
    public int MinimumExponent => 1 - Bias;

    /// <summary>Mask of all bits of the format.</summary>
    public ulong Mask => Width == 64 ? ulong.MaxValue : (1UL << Width) - 1;

    /// <summary>The sign bit.</summary>
    public ulong SignBit => 1UL << (Width - 1);

    /// <summary>The exponent field, all ones.</summary>
    public ulong ExponentField => ((1UL << ExponentBits) - 1) << FractionBits;

    /// <summary>The fraction field, all ones.</summary>
    public ulong FractionField => (1UL << FractionBits) - 1;

    /// <summary>The most significant fraction bit, set in quiet NaNs.</summary>
    public ulong QuietBit => 1UL << (FractionBits - 1);

    /// <summary>The default NaN: positive, quiet, zero payload.</summary>
    public ulong DefaultNaN => ExponentField | QuietBit;

    /// <summary>The format for an element of <paramref name="log2Bytes"/> (1 half, 2 single, 3 double).</summary>
    public static FloatFormat FromLog2Bytes(int log2Bytes) => log2Bytes switch
    {
        1 => Half,
        2 => Single,
        3 => Double,
        _ => throw new ArgumentOutOfRangeException(nameof(log2Bytes), log2Bytes, "floating-point element size must be 1 (half), 2 (single) or 3 (double)"),
    };

    /// <summary>Signed zero.</summary>
    public ulong Zero(bool sign) => sign ? SignBit : 0;

    /// <summary>Signed infinity.</summary>
    public ulong Infinity(bool sign) => (sign ? SignBit : 0) | ExponentField;

    /// <summary>Largest finite magnitude with the given sign.</summary>
    public ulong MaxNormal(bool sign) => ((sign ? SignBit : 0) | ExponentField) - 1;

    /// <summary>A positive or negative power of two 2^<paramref name="power"/> in the normal range (FPTwo, FPOnePointFive's base).</summary>
    public ulong PowerOfTwo(bool sign, int power) => (sign ? SignBit : 0) | ((ulong)(power + Bias) << FractionBits);
}
