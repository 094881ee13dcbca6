namespace EdgeVisor.Emulation.CortexM.Execution;

/// <summary>Which lanes a parallel add/subtract combines (ARMv7E-M ADD16, ASX, SAX, SUB16, ADD8, SUB8).</summary>
public enum ParallelOperation : byte
{
    /// <summary>Bytes: four additions.</summary>
    Add8 = 0,

    /// <summary>Halfwords: two additions.</summary>
    Add16 = 1,

    /// <summary>Halfwords: low = a.lo - b.hi, high = a.hi + b.lo (add/subtract with exchange).</summary>
    AddSubtractExchange = 2,

    /// <summary>Bytes: four subtractions.</summary>
    Subtract8 = 4,

    /// <summary>Halfwords: two subtractions.</summary>
    Subtract16 = 5,

    /// <summary>Halfwords: low = a.lo + b.hi, high = a.hi - b.lo (subtract/add with exchange).</summary>
    SubtractAddExchange = 6,
}

/// <summary>How a parallel lane result is produced (the mnemonic prefix).</summary>
public enum ParallelKind : byte
{
    /// <summary>S: signed modulo, sets GE.</summary>
    Signed,

    /// <summary>Q: signed saturating.</summary>
    SignedSaturating,

    /// <summary>SH: signed halving.</summary>
    SignedHalving,

    /// <summary>U: unsigned modulo, sets GE.</summary>
    Unsigned,

    /// <summary>UQ: unsigned saturating.</summary>
    UnsignedSaturating,

    /// <summary>UH: unsigned halving.</summary>
    UnsignedHalving,
}

/// <summary>The SIMD-within-a-register add/subtract family of the DSP extension, as pure functions.</summary>
public static class DspParallel
{
    /// <summary>
    /// Computes one parallel add/subtract. Returns the result; <paramref name="ge"/> receives APSR.GE for the S and U
    /// kinds (unchanged for the others, which leave GE alone).
    /// </summary>
    public static uint Compute(ParallelOperation operation, ParallelKind kind, uint a, uint b, ref uint ge)
    {
        bool bytes = operation is ParallelOperation.Add8 or ParallelOperation.Subtract8;
        return bytes ? Bytes(operation == ParallelOperation.Subtract8, kind, a, b, ref ge) : Halves(operation, kind, a, b, ref ge);
    }

    private static uint Halves(ParallelOperation operation, ParallelKind kind, uint a, uint b, ref uint ge)
    {
        bool signed = kind <= ParallelKind.SignedHalving;
        int aLo = Lane(a, 0, 16, signed);
        int aHi = Lane(a, 16, 16, signed);
        int bLo = Lane(b, 0, 16, signed);
        int bHi = Lane(b, 16, 16, signed);
        int lo;
        int hi;
        bool loAdds;
        bool hiAdds;
        switch (operation)
        {
            case ParallelOperation.Add16:
                (lo, hi, loAdds, hiAdds) = (aLo + bLo, aHi + bHi, true, true);
                break;
            case ParallelOperation.Subtract16:
                (lo, hi, loAdds, hiAdds) = (aLo - bLo, aHi - bHi, false, false);
                break;
            case ParallelOperation.AddSubtractExchange:
                (lo, hi, loAdds, hiAdds) = (aLo - bHi, aHi + bLo, false, true);
                break;
            default:
                (lo, hi, loAdds, hiAdds) = (aLo + bHi, aHi - bLo, true, false);
                break;
        }

        uint result = Finish(kind, lo, 16) | (Finish(kind, hi, 16) << 16);
        if (kind is ParallelKind.Signed or ParallelKind.Unsigned)
        {
            ge = (GreaterOrEqual(kind, lo, 16, loAdds) ? 0x3u : 0) | (GreaterOrEqual(kind, hi, 16, hiAdds) ? 0xCu : 0);
        }

        return result;
    }

    private static uint Bytes(bool subtract, ParallelKind kind, uint a, uint b, ref uint ge)
    {
        bool signed = kind <= ParallelKind.SignedHalving;
        uint result = 0;
        uint flags = 0;
        for (int lane = 0; lane < 4; lane++)
        {
            int x = Lane(a, lane * 8, 8, signed);
            int y = Lane(b, lane * 8, 8, signed);
            int r = subtract ? x - y : x + y;
            result |= Finish(kind, r, 8) << (lane * 8);
            if (GreaterOrEqual(kind, r, 8, !subtract))
            {
                flags |= 1u << lane;
            }
        }

        if (kind is ParallelKind.Signed or ParallelKind.Unsigned)
        {
            ge = flags;
        }

        return result;
    }

    private static int Lane(uint value, int shift, int width, bool signed)
    {
        uint raw = (value >> shift) & ((1u << width) - 1);
        return signed ? (int)(raw << (32 - width)) >> (32 - width) : (int)raw;
    }

    /// <summary>The lane's bits in the result: wrapped, saturated or halved according to the kind.</summary>
    private static uint Finish(ParallelKind kind, int value, int width)
    {
        uint mask = (1u << width) - 1;
        switch (kind)
        {
            case ParallelKind.SignedSaturating:
                {
                    int max = (1 << (width - 1)) - 1;
                    return (uint)Math.Clamp(value, -max - 1, max) & mask;
                }

            case ParallelKind.UnsignedSaturating:
                return (uint)Math.Clamp(value, 0, (int)mask);
            case ParallelKind.SignedHalving:
            case ParallelKind.UnsignedHalving:
                return (uint)(value >> 1) & mask;
            default:
                return (uint)value & mask;
        }
    }

    /// <summary>GE per lane: signed result >= 0; unsigned add carries out; unsigned subtract does not borrow.</summary>
    private static bool GreaterOrEqual(ParallelKind kind, int value, int width, bool adds) =>
        kind == ParallelKind.Signed ? value >= 0 : adds ? value >= 1 << width : value >= 0;
}
