using System.Numerics;
using System.Runtime.CompilerServices;

namespace EdgeVisor.Emulation.FloatingPoint;

/// <summary>What an FP bit pattern holds after FPUnpack (denormals are <see cref="Finite"/> unless flushed).</summary>
public enum FloatClass : byte
{
    /// <summary>A signed zero (or a flushed denormal).</summary>
    Zero,

    /// <summary>A nonzero finite number, normal or denormal.</summary>
    Finite,

    /// <summary>A signed infinity.</summary>
    Infinity,

    /// <summary>A quiet NaN.</summary>
    QuietNaN,

    /// <summary>A signalling NaN.</summary>
    SignalingNaN,
}

/// <summary>
/// An operand after the ARM ARM's FPUnpack: a finite nonzero value is exactly <c>Significand × 2^Exponent</c> with the
/// significand normalised so that bit <see cref="FloatFormat.FractionBits"/> is its top bit (denormals included),
/// which makes exponents of different operands directly comparable.
/// </summary>
public readonly struct UnpackedFloat
{
    /// <summary>The kind of value.</summary>
    public readonly FloatClass Class;

    /// <summary>Sign (true = negative); meaningful for zeros and infinities too.</summary>
    public readonly bool Sign;

    /// <summary>Power of two of the significand's least significant bit.</summary>
    public readonly int Exponent;

    /// <summary>The significand (finite values only).</summary>
    public readonly ulong Significand;

    /// <summary>Creates an unpacked value.</summary>
    public UnpackedFloat(FloatClass cls, bool sign, int exponent, ulong significand)
    {
        Class = cls;
        Sign = sign;
        Exponent = exponent;
        Significand = significand;
    }

    /// <summary>Either kind of NaN.</summary>
    public bool IsNaN => Class >= FloatClass.QuietNaN;

    /// <summary>A zero.</summary>
    public bool IsZero => Class == FloatClass.Zero;

    /// <summary>An infinity.</summary>
    public bool IsInfinity => Class == FloatClass.Infinity;

    /// <summary>
    /// FPUnpack. With <paramref name="flushDenormals"/> a denormal reads as a zero of its sign, which sets IDC for
    /// single and double but not for half (FZ16 flushes silently). <paramref name="alternativeHalf"/> reads a half
    /// with the all-ones exponent as a normal number (FPCR.AHP, conversions only).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static UnpackedFloat Unpack(in FloatFormat format, ulong bits, bool flushDenormals, ref uint flags, bool alternativeHalf = false)
    {
        int fractionBits = format.FractionBits;
        bool sign = ((bits >> (format.Width - 1)) & 1) != 0;
        int exponent = (int)((bits >> fractionBits) & ((1UL << format.ExponentBits) - 1));
        ulong fraction = bits & format.FractionField;
        if (exponent == 0)
        {
            if (fraction == 0)
            {
                return new UnpackedFloat(FloatClass.Zero, sign, 0, 0);
            }

            if (flushDenormals)
            {
                if (!format.IsHalf)
                {
                    flags |= FloatControl.InputDenormal;
                }

                return new UnpackedFloat(FloatClass.Zero, sign, 0, 0);
            }

            // Denormal: fraction × 2^(emin - F); normalise so the top bit sits at bit F like a normal number's.
            int shift = BitOperations.LeadingZeroCount(fraction) - (63 - fractionBits);
            return new UnpackedFloat(FloatClass.Finite, sign, format.MinimumExponent - fractionBits - shift, fraction << shift);
        }

        if (exponent == (1 << format.ExponentBits) - 1 && !alternativeHalf)
        {
            if (fraction == 0)
            {
                return new UnpackedFloat(FloatClass.Infinity, sign, 0, 0);
            }

            return new UnpackedFloat((fraction & format.QuietBit) != 0 ? FloatClass.QuietNaN : FloatClass.SignalingNaN, sign, 0, 0);
        }

        return new UnpackedFloat(FloatClass.Finite, sign, exponent - format.Bias - fractionBits, fraction | (1UL << fractionBits));
    }

    /// <summary>Orders two non-NaN values by real value: -1, 0 (equal, including +0 and -0) or 1.</summary>
    public static int CompareValues(in UnpackedFloat x, in UnpackedFloat y)
    {
        bool xNegative = x.Sign && !x.IsZero;
        bool yNegative = y.Sign && !y.IsZero;
        if (xNegative != yNegative)
        {
            return xNegative ? -1 : 1;
        }

        int magnitude = CompareMagnitudes(x, y);
        return xNegative ? -magnitude : magnitude;
    }

    private static int CompareMagnitudes(in UnpackedFloat x, in UnpackedFloat y)
    {
        if (x.Class != y.Class)
        {
            // Zero < finite < infinity.
            return x.Class < y.Class ? -1 : 1;
        }

        if (x.Class != FloatClass.Finite)
        {
            return 0;
        }

        if (x.Exponent != y.Exponent)
        {
            return x.Exponent < y.Exponent ? -1 : 1;
        }

        return x.Significand.CompareTo(y.Significand);
    }
}
