namespace EdgeVisor.Emulation.Arm64.Simd.Data;

// One struct per integer by-element lane operation (MUL/MLA/MLS are whole-register: VectorByElement) (ARM ARM "Advanced SIMD vector x indexed element"). Sizes are
// H or S, so every product fits in a long; widening forms return the double-width result.
#pragma warning disable CA1812 // instantiated only as generic arguments

/// <summary>SMULL (by element).</summary>
internal readonly struct SignedMultiplyLong : ILaneOperation
{
    public static ulong Apply(ulong n, ulong m, ulong d, int amount, int size, ref bool saturated) =>
        (ulong)(LaneMath.SignExtend(n, size) * LaneMath.SignExtend(m, size)) & LaneMath.Mask(size + 1);
}

/// <summary>UMULL (by element).</summary>
internal readonly struct UnsignedMultiplyLong : ILaneOperation
{
    public static ulong Apply(ulong n, ulong m, ulong d, int amount, int size, ref bool saturated) => n * m;
}

/// <summary>SMLAL (by element).</summary>
internal readonly struct SignedMultiplyAddLong : ILaneOperation
{
    public static ulong Apply(ulong n, ulong m, ulong d, int amount, int size, ref bool saturated) =>
        (d + (ulong)(LaneMath.SignExtend(n, size) * LaneMath.SignExtend(m, size))) & LaneMath.Mask(size + 1);
}

/// <summary>SMLSL (by element).</summary>
internal readonly struct SignedMultiplySubtractLong : ILaneOperation
{
    public static ulong Apply(ulong n, ulong m, ulong d, int amount, int size, ref bool saturated) =>
        (d - (ulong)(LaneMath.SignExtend(n, size) * LaneMath.SignExtend(m, size))) & LaneMath.Mask(size + 1);
}

/// <summary>UMLAL (by element).</summary>
internal readonly struct UnsignedMultiplyAddLong : ILaneOperation
{
    public static ulong Apply(ulong n, ulong m, ulong d, int amount, int size, ref bool saturated) => (d + (n * m)) & LaneMath.Mask(size + 1);
}

/// <summary>UMLSL (by element).</summary>
internal readonly struct UnsignedMultiplySubtractLong : ILaneOperation
{
    public static ulong Apply(ulong n, ulong m, ulong d, int amount, int size, ref bool saturated) => (d - (n * m)) & LaneMath.Mask(size + 1);
}

/// <summary>SQDMULL (by element): 2·n·m saturated to the double width (only MIN × MIN saturates).</summary>
internal readonly struct SignedSaturatingDoublingMultiplyLong : ILaneOperation
{
    public static ulong Apply(ulong n, ulong m, ulong d, int amount, int size, ref bool saturated) =>
        (ulong)DoublingProduct(n, m, size, ref saturated) & LaneMath.Mask(size + 1);

    /// <summary>SignedSatQ(2 · n · m, 2 × esize) as a signed value.</summary>
    public static long DoublingProduct(ulong n, ulong m, int size, ref bool saturated)
    {
        Int128 product = 2 * (Int128)LaneMath.SignExtend(n, size) * LaneMath.SignExtend(m, size);
        return LaneMath.SignExtend(LaneMath.SaturateSigned(product, size + 1, ref saturated), size + 1);
    }
}

/// <summary>SQDMLAL (by element): the doubled product and the sum each saturate.</summary>
internal readonly struct SignedSaturatingDoublingMultiplyAddLong : ILaneOperation
{
    public static ulong Apply(ulong n, ulong m, ulong d, int amount, int size, ref bool saturated)
    {
        long product = SignedSaturatingDoublingMultiplyLong.DoublingProduct(n, m, size, ref saturated);
        return LaneMath.SaturateSigned((Int128)LaneMath.SignExtend(d, size + 1) + product, size + 1, ref saturated);
    }
}

/// <summary>SQDMLSL (by element).</summary>
internal readonly struct SignedSaturatingDoublingMultiplySubtractLong : ILaneOperation
{
    public static ulong Apply(ulong n, ulong m, ulong d, int amount, int size, ref bool saturated)
    {
        long product = SignedSaturatingDoublingMultiplyLong.DoublingProduct(n, m, size, ref saturated);
        return LaneMath.SaturateSigned((Int128)LaneMath.SignExtend(d, size + 1) - product, size + 1, ref saturated);
    }
}

/// <summary>SQDMULH (by element): high half of 2·n·m.</summary>
internal readonly struct SignedSaturatingDoublingMultiplyHigh : ILaneOperation
{
    public static ulong Apply(ulong n, ulong m, ulong d, int amount, int size, ref bool saturated)
    {
        Int128 product = 2 * (Int128)LaneMath.SignExtend(n, size) * LaneMath.SignExtend(m, size);
        return LaneMath.SaturateSigned(product >> (8 << size), size, ref saturated);
    }
}

/// <summary>SQRDMULH (by element): rounded high half of 2·n·m.</summary>
internal readonly struct SignedSaturatingRoundingDoublingMultiplyHigh : ILaneOperation
{
    public static ulong Apply(ulong n, ulong m, ulong d, int amount, int size, ref bool saturated)
    {
        Int128 product = 2 * (Int128)LaneMath.SignExtend(n, size) * LaneMath.SignExtend(m, size);
        return LaneMath.SaturateSigned(LaneMath.RoundingShiftRight(product, 8 << size), size, ref saturated);
    }
}
