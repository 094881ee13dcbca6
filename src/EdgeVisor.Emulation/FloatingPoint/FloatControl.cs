namespace EdgeVisor.Emulation.FloatingPoint;

/// <summary>
/// Control and cumulative-flag bits in Arm's layout (A64 FPCR/FPSR, and the M-profile FPSCR which puts them in the
/// same positions). The soft-float routines read modes from a control word and OR exception flags into a flag word.
/// </summary>
public static class FloatControl
{
    /// <summary>Alternative half-precision format (no infinities or NaNs) for conversions.</summary>
    public const uint AlternativeHalf = 1u << 26;

    /// <summary>Default NaN: every NaN result is the default NaN.</summary>
    public const uint DefaultNaN = 1u << 25;

    /// <summary>Flush-to-zero for single and double precision.</summary>
    public const uint FlushToZero = 1u << 24;

    /// <summary>Position of the two-bit rounding-mode field.</summary>
    public const int RoundingShift = 22;

    /// <summary>Flush-to-zero for half-precision arithmetic (FEAT_FP16).</summary>
    public const uint FlushToZeroHalf = 1u << 19;

    /// <summary>Invalid operation (IOC).</summary>
    public const uint InvalidOperation = 1u << 0;

    /// <summary>Division by zero (DZC).</summary>
    public const uint DivideByZero = 1u << 1;

    /// <summary>Overflow (OFC).</summary>
    public const uint Overflow = 1u << 2;

    /// <summary>Underflow (UFC).</summary>
    public const uint Underflow = 1u << 3;

    /// <summary>Inexact (IXC).</summary>
    public const uint Inexact = 1u << 4;

    /// <summary>Input denormal flushed to zero (IDC).</summary>
    public const uint InputDenormal = 1u << 7;

    /// <summary>The rounding mode the control word selects.</summary>
    public static FloatRounding Rounding(uint control) => (FloatRounding)((control >> RoundingShift) & 3);

    /// <summary>Whether arithmetic in <paramref name="format"/> flushes denormals (FZ, or FZ16 for half).</summary>
    public static bool FlushesArithmetic(in FloatFormat format, uint control) =>
        (control & (format.IsHalf ? FlushToZeroHalf : FlushToZero)) != 0;
}

/// <summary>Rounding modes. The first four are the encodings of the FPCR/FPSCR RMode field.</summary>
public enum FloatRounding : byte
{
    /// <summary>To nearest, ties to even.</summary>
    TieEven = 0,

    /// <summary>Towards plus infinity.</summary>
    PlusInfinity = 1,

    /// <summary>Towards minus infinity.</summary>
    MinusInfinity = 2,

    /// <summary>Towards zero.</summary>
    Zero = 3,

    /// <summary>To nearest, ties away from zero.</summary>
    TieAway = 4,

    /// <summary>Round to odd (von Neumann rounding).</summary>
    Odd = 5,
}
