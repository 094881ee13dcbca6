using EdgeVisor.Emulation.FloatingPoint;

namespace EdgeVisor.Emulation.CortexM.FloatingPoint;

/// <summary>FPSCR bit positions and the rounding-mode field, as the ARMv7-M ARM defines them for the M profile.</summary>
public static class Fpscr
{
    /// <summary>Invalid Operation cumulative flag.</summary>
    public const uint Ioc = FloatControl.InvalidOperation;

    /// <summary>Division by Zero cumulative flag.</summary>
    public const uint Dzc = FloatControl.DivideByZero;

    /// <summary>Overflow cumulative flag.</summary>
    public const uint Ofc = FloatControl.Overflow;

    /// <summary>Underflow cumulative flag.</summary>
    public const uint Ufc = FloatControl.Underflow;

    /// <summary>Inexact cumulative flag.</summary>
    public const uint Ixc = FloatControl.Inexact;

    /// <summary>Input Denormal cumulative flag (set when flush-to-zero replaces a denormal input).</summary>
    public const uint Idc = FloatControl.InputDenormal;

    /// <summary>Flush-to-zero mode.</summary>
    public const uint Fz = FloatControl.FlushToZero;

    /// <summary>Default NaN mode.</summary>
    public const uint Dn = FloatControl.DefaultNaN;

    /// <summary>Alternative half-precision format (no infinities or NaNs in half precision).</summary>
    public const uint Ahp = FloatControl.AlternativeHalf;

    /// <summary>Bits software can change on M-profile FPUs: NZCV, AHP, DN, FZ, RMode and the cumulative flags.</summary>
    public const uint WritableMask = 0xF7C0_009F;

    /// <summary>The NZCV comparison result bits 31..28.</summary>
    public const uint NzcvMask = 0xF000_0000;

    /// <summary>The rounding mode FPSCR.RMode selects.</summary>
    public static FloatRounding RoundingMode(uint fpscr) => FloatControl.Rounding(fpscr);

    /// <summary>FPSCR with RMode replaced, used by instructions that force a rounding mode (VCVT to integer rounds toward zero).</summary>
    public static uint WithRounding(uint fpscr, FloatRounding mode) => (fpscr & ~(3u << 22)) | ((uint)mode << 22);
}
