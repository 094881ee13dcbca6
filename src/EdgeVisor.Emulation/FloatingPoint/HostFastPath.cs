using System.Runtime.CompilerServices;

namespace EdgeVisor.Emulation.FloatingPoint;

/// <summary>
/// The common case of single and double addition and multiplication on the host's IEEE arithmetic, taken only when
/// it provably gives the same bits and flags as the soft-float path:
/// <list type="bullet">
/// <item>round to nearest even (the host's only mode), so the rounded value is the same;</item>
/// <item>both operands normal: no NaN processing, no input flush (FZ, IDC), DN irrelevant;</item>
/// <item>the rounded result finite and at least 2^(emin+1) in magnitude: then the exact result is at least 2^emin, so
/// it is not tiny before rounding (no UFC, no output flush) and did not overflow (no OFC);</item>
/// <item>IXC exactly when the error-free transformation (TwoSum for sums, an FMA residual for products) is nonzero;
/// both are exact here: TwoSum without overflow, the FMA residual because the product's exponent keeps it above the
/// denormal range (the residual is a multiple of 2^(ea+eb-104), and |product| ≥ 2^(emin+F+2) is required).</item>
/// </list>
/// Anything else returns false and goes through the soft-float path. .NET runs with the host's default floating-point
/// environment (no flush-to-zero, no denormals-are-zero).
/// </summary>
internal static class HostFastPath
{
    private const uint RoundingMask = 3u << FloatControl.RoundingShift;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryAdd(in FloatFormat format, ulong a, ulong b, bool subtract, uint control, ref uint flags, out ulong result)
    {
        if ((control & RoundingMask) == 0)
        {
            if (format.FractionBits == 52)
            {
                return TryAddDouble(a, subtract ? b ^ (1UL << 63) : b, ref flags, out result);
            }

            if (format.FractionBits == 23)
            {
                return TryAddSingle((uint)a, subtract ? (uint)b ^ 0x8000_0000 : (uint)b, ref flags, out result);
            }
        }

        result = 0;
        return false;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryMul(in FloatFormat format, ulong a, ulong b, uint control, ref uint flags, out ulong result)
    {
        if ((control & RoundingMask) == 0)
        {
            if (format.FractionBits == 52)
            {
                return TryMulDouble(a, b, ref flags, out result);
            }

            if (format.FractionBits == 23)
            {
                return TryMulSingle((uint)a, (uint)b, ref flags, out result);
            }
        }

        result = 0;
        return false;
    }

    private static bool IsNormalDouble(ulong bits) => ((uint)(bits >> 52) & 0x7FF) - 1 < 0x7FE;

    private static bool IsNormalSingle(uint bits) => ((bits >> 23) & 0xFF) - 1 < 0xFE;

    /// <summary>Finite and at least 2^(emin+1): the biased exponent field is in 2 .. max-1.</summary>
    private static bool IsSafeDouble(ulong bits) => ((uint)(bits >> 52) & 0x7FF) - 2 < 0x7FD;

    private static bool IsSafeSingle(uint bits) => ((bits >> 23) & 0xFF) - 2 < 0xFD;

    private static bool TryAddDouble(ulong a, ulong b, ref uint flags, out ulong result)
    {
        result = 0;
        if (!IsNormalDouble(a) || !IsNormalDouble(b))
        {
            return false;
        }

        double x = BitConverter.UInt64BitsToDouble(a);
        double y = BitConverter.UInt64BitsToDouble(b);
        double sum = x + y;
        result = BitConverter.DoubleToUInt64Bits(sum);
        if (!IsSafeDouble(result))
        {
            return false;
        }

        double yVirtual = sum - x;
        double error = (x - (sum - yVirtual)) + (y - yVirtual);
        if (error != 0)
        {
            flags |= FloatControl.Inexact;
        }

        return true;
    }

    private static bool TryAddSingle(uint a, uint b, ref uint flags, out ulong result)
    {
        result = 0;
        if (!IsNormalSingle(a) || !IsNormalSingle(b))
        {
            return false;
        }

        float x = BitConverter.UInt32BitsToSingle(a);
        float y = BitConverter.UInt32BitsToSingle(b);
        float sum = x + y;
        uint bits = BitConverter.SingleToUInt32Bits(sum);
        if (!IsSafeSingle(bits))
        {
            return false;
        }

        float yVirtual = sum - x;
        float error = (x - (sum - yVirtual)) + (y - yVirtual);
        if (error != 0)
        {
            flags |= FloatControl.Inexact;
        }

        result = bits;
        return true;
    }

    private static bool TryMulDouble(ulong a, ulong b, ref uint flags, out ulong result)
    {
        result = 0;
        if (!IsNormalDouble(a) || !IsNormalDouble(b))
        {
            return false;
        }

        double x = BitConverter.UInt64BitsToDouble(a);
        double y = BitConverter.UInt64BitsToDouble(b);
        double product = x * y;
        ulong bits = BitConverter.DoubleToUInt64Bits(product);

        // Biased exponent at least 1 + 54 (|product| ≥ 2^-968) keeps the FMA residual exact; below max: finite.
        if (((uint)(bits >> 52) & 0x7FF) - 55 >= 0x7FF - 55)
        {
            return false;
        }

        if (Math.FusedMultiplyAdd(x, y, -product) != 0)
        {
            flags |= FloatControl.Inexact;
        }

        result = bits;
        return true;
    }

    private static bool TryMulSingle(uint a, uint b, ref uint flags, out ulong result)
    {
        result = 0;
        if (!IsNormalSingle(a) || !IsNormalSingle(b))
        {
            return false;
        }

        float x = BitConverter.UInt32BitsToSingle(a);
        float y = BitConverter.UInt32BitsToSingle(b);
        float product = x * y;
        uint bits = BitConverter.SingleToUInt32Bits(product);

        // Biased exponent at least 1 + 25 (|product| ≥ 2^-101) keeps the FMA residual exact; below max: finite.
        if (((bits >> 23) & 0xFF) - 26 >= 0xFF - 26)
        {
            return false;
        }

        if (MathF.FusedMultiplyAdd(x, y, -product) != 0)
        {
            flags |= FloatControl.Inexact;
        }

        result = bits;
        return true;
    }
}
