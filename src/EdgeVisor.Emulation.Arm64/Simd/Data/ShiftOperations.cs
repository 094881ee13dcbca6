namespace EdgeVisor.Emulation.Arm64.Simd.Data;

// One struct per shift-by-immediate lane operation (ARM ARM "Advanced SIMD shift by immediate"). Right shifts take
// 1..esize, left shifts 0..esize-1; narrowing forms get the double-width source and the narrow size.
#pragma warning disable CA1812 // instantiated only as generic arguments

/// <summary>SSHR.</summary>
internal readonly struct SignedShiftRight : ILaneOperation
{
    public static ulong Apply(ulong n, ulong m, ulong d, int amount, int size, ref bool saturated) =>
        (ulong)LaneMath.ShiftRight(LaneMath.SignExtend(n, size), amount) & LaneMath.Mask(size);
}

/// <summary>USHR.</summary>
internal readonly struct UnsignedShiftRight : ILaneOperation
{
    public static ulong Apply(ulong n, ulong m, ulong d, int amount, int size, ref bool saturated) => LaneMath.ShiftRight(n, amount);
}

/// <summary>SSRA.</summary>
internal readonly struct SignedShiftRightAccumulate : ILaneOperation
{
    public static ulong Apply(ulong n, ulong m, ulong d, int amount, int size, ref bool saturated) =>
        (d + (ulong)LaneMath.ShiftRight(LaneMath.SignExtend(n, size), amount)) & LaneMath.Mask(size);
}

/// <summary>USRA.</summary>
internal readonly struct UnsignedShiftRightAccumulate : ILaneOperation
{
    public static ulong Apply(ulong n, ulong m, ulong d, int amount, int size, ref bool saturated) =>
        (d + LaneMath.ShiftRight(n, amount)) & LaneMath.Mask(size);
}

/// <summary>SRSHR.</summary>
internal readonly struct SignedRoundingShiftRight : ILaneOperation
{
    public static ulong Apply(ulong n, ulong m, ulong d, int amount, int size, ref bool saturated) =>
        (ulong)(long)LaneMath.RoundingShiftRight((Int128)LaneMath.SignExtend(n, size), amount) & LaneMath.Mask(size);
}

/// <summary>URSHR.</summary>
internal readonly struct UnsignedRoundingShiftRight : ILaneOperation
{
    public static ulong Apply(ulong n, ulong m, ulong d, int amount, int size, ref bool saturated) =>
        (ulong)LaneMath.RoundingShiftRight((UInt128)n, amount) & LaneMath.Mask(size);
}

/// <summary>SRSRA.</summary>
internal readonly struct SignedRoundingShiftRightAccumulate : ILaneOperation
{
    public static ulong Apply(ulong n, ulong m, ulong d, int amount, int size, ref bool saturated) =>
        (d + (ulong)(long)LaneMath.RoundingShiftRight((Int128)LaneMath.SignExtend(n, size), amount)) & LaneMath.Mask(size);
}

/// <summary>URSRA.</summary>
internal readonly struct UnsignedRoundingShiftRightAccumulate : ILaneOperation
{
    public static ulong Apply(ulong n, ulong m, ulong d, int amount, int size, ref bool saturated) =>
        (d + (ulong)LaneMath.RoundingShiftRight((UInt128)n, amount)) & LaneMath.Mask(size);
}

/// <summary>SRI: the shifted value replaces the bits it reaches; the top <c>amount</c> bits of Vd stay.</summary>
internal readonly struct ShiftRightInsert : ILaneOperation
{
    public static ulong Apply(ulong n, ulong m, ulong d, int amount, int size, ref bool saturated)
    {
        ulong inserted = LaneMath.ShiftRight(LaneMath.Mask(size), amount);
        return (d & ~inserted & LaneMath.Mask(size)) | LaneMath.ShiftRight(n, amount);
    }
}

/// <summary>SHL.</summary>
internal readonly struct ShiftLeft : ILaneOperation
{
    public static ulong Apply(ulong n, ulong m, ulong d, int amount, int size, ref bool saturated) => (n << amount) & LaneMath.Mask(size);
}

/// <summary>SLI: the shifted value replaces the bits it reaches; the low <c>amount</c> bits of Vd stay.</summary>
internal readonly struct ShiftLeftInsert : ILaneOperation
{
    public static ulong Apply(ulong n, ulong m, ulong d, int amount, int size, ref bool saturated)
    {
        ulong inserted = (LaneMath.Mask(size) << amount) & LaneMath.Mask(size);
        return (d & ~inserted & LaneMath.Mask(size)) | ((n << amount) & inserted);
    }
}

/// <summary>SQSHL (immediate).</summary>
internal readonly struct SignedSaturatingShiftLeft : ILaneOperation
{
    public static ulong Apply(ulong n, ulong m, ulong d, int amount, int size, ref bool saturated) =>
        LaneMath.SaturateSigned((Int128)LaneMath.SignExtend(n, size) << amount, size, ref saturated);
}

/// <summary>UQSHL (immediate).</summary>
internal readonly struct UnsignedSaturatingShiftLeft : ILaneOperation
{
    public static ulong Apply(ulong n, ulong m, ulong d, int amount, int size, ref bool saturated) =>
        LaneMath.SaturateUnsigned((UInt128)n << amount, size, ref saturated);
}

/// <summary>SQSHLU: signed source, unsigned saturation.</summary>
internal readonly struct SignedSaturatingShiftLeftUnsigned : ILaneOperation
{
    public static ulong Apply(ulong n, ulong m, ulong d, int amount, int size, ref bool saturated) =>
        LaneMath.SaturateUnsigned((Int128)LaneMath.SignExtend(n, size) << amount, size, ref saturated);
}

/// <summary>SHRN: truncating.</summary>
internal readonly struct ShiftRightNarrow : ILaneOperation
{
    public static ulong Apply(ulong n, ulong m, ulong d, int amount, int size, ref bool saturated) => n >> amount;
}

/// <summary>RSHRN.</summary>
internal readonly struct RoundingShiftRightNarrow : ILaneOperation
{
    public static ulong Apply(ulong n, ulong m, ulong d, int amount, int size, ref bool saturated) =>
        (ulong)LaneMath.RoundingShiftRight((UInt128)n, amount);
}

/// <summary>SQSHRN.</summary>
internal readonly struct SignedSaturatingShiftRightNarrow : ILaneOperation
{
    public static ulong Apply(ulong n, ulong m, ulong d, int amount, int size, ref bool saturated) =>
        LaneMath.SaturateSigned(LaneMath.SignExtend(n, size + 1) >> amount, size, ref saturated);
}

/// <summary>SQRSHRN.</summary>
internal readonly struct SignedSaturatingRoundingShiftRightNarrow : ILaneOperation
{
    public static ulong Apply(ulong n, ulong m, ulong d, int amount, int size, ref bool saturated) =>
        LaneMath.SaturateSigned(LaneMath.RoundingShiftRight((Int128)LaneMath.SignExtend(n, size + 1), amount), size, ref saturated);
}

/// <summary>UQSHRN.</summary>
internal readonly struct UnsignedSaturatingShiftRightNarrow : ILaneOperation
{
    public static ulong Apply(ulong n, ulong m, ulong d, int amount, int size, ref bool saturated) =>
        LaneMath.SaturateUnsigned((UInt128)(n >> amount), size, ref saturated);
}

/// <summary>UQRSHRN.</summary>
internal readonly struct UnsignedSaturatingRoundingShiftRightNarrow : ILaneOperation
{
    public static ulong Apply(ulong n, ulong m, ulong d, int amount, int size, ref bool saturated) =>
        LaneMath.SaturateUnsigned(LaneMath.RoundingShiftRight((UInt128)n, amount), size, ref saturated);
}

/// <summary>SQSHRUN: signed source, unsigned saturation.</summary>
internal readonly struct SignedSaturatingShiftRightUnsignedNarrow : ILaneOperation
{
    public static ulong Apply(ulong n, ulong m, ulong d, int amount, int size, ref bool saturated) =>
        LaneMath.SaturateUnsigned((Int128)(LaneMath.SignExtend(n, size + 1) >> amount), size, ref saturated);
}

/// <summary>SQRSHRUN.</summary>
internal readonly struct SignedSaturatingRoundingShiftRightUnsignedNarrow : ILaneOperation
{
    public static ulong Apply(ulong n, ulong m, ulong d, int amount, int size, ref bool saturated) =>
        LaneMath.SaturateUnsigned(LaneMath.RoundingShiftRight((Int128)LaneMath.SignExtend(n, size + 1), amount), size, ref saturated);
}

/// <summary>SSHLL (SXTL with shift 0).</summary>
internal readonly struct SignedShiftLeftLong : ILaneOperation
{
    public static ulong Apply(ulong n, ulong m, ulong d, int amount, int size, ref bool saturated) =>
        (ulong)(LaneMath.SignExtend(n, size) << amount) & LaneMath.Mask(size + 1);
}

/// <summary>USHLL (UXTL with shift 0).</summary>
internal readonly struct UnsignedShiftLeftLong : ILaneOperation
{
    public static ulong Apply(ulong n, ulong m, ulong d, int amount, int size, ref bool saturated) => n << amount;
}
