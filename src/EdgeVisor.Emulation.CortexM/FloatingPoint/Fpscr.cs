namespace EdgeVisor.Emulation.CortexM.FloatingPoint;

/// <summary>FPSCR bit positions and the rounding-mode field, as the ARMv7-M ARM defines them for the M profile.</summary>
public static class Fpscr
{
    /// <summary>Invalid Operation cumulative flag.</summary>
    public const uint Ioc = 1u << 0;

    /// <summary>Division by Zero cumulative flag.</summary>
    public const uint Dzc = 1u << 1;

    /// <summary>Overflow cumulative flag.</summary>
    public const uint Ofc = 1u << 2;

    /// <summary>Underflow cumulative flag.</summary>
    public const uint Ufc = 1u << 3;

    /// <summary>Inexact cumulative flag.</summary>
    public const uint Ixc = 1u << 4;

    /// <summary>Input Denormal cumulative flag (set when flush-to-zero replaces a denormal input).</summary>
    public const uint Idc = 1u << 7;

    /// <summary>Flush-to-zero mode.</summary>
    public const uint Fz = 1u << 24;

    /// <summary>Default NaN mode.</summary>
    public const uint Dn = 1u << 25;

    /// <summary>Alternative half-precision format (no infinities or NaNs in half precision).</summary>
    public const uint Ahp = 1u << 26;

    /// <summary>Bits software can change on M-profile FPUs: NZCV, AHP, DN, FZ, RMode and the cumulative flags.</summary>
    public const uint WritableMask = 0xF7C0_009F;

    /// <summary>The NZCV comparison result bits 31..28.</summary>
    public const uint NzcvMask = 0xF000_0000;

    /// <summary>The rounding mode FPSCR.RMode selects.</summary>
    public static FpRounding RoundingMode(uint fpscr) => (FpRounding)((fpscr >> 22) & 3);

    /// <summary>FPSCR with RMode replaced, used by instructions that force a rounding mode (VCVT to integer rounds toward zero).</summary>
    public static uint WithRounding(uint fpscr, FpRounding mode) => (fpscr & ~(3u << 22)) | ((uint)mode << 22);
}

/// <summary>IEEE-754 rounding directions in FPSCR.RMode order; <see cref="TiesAway"/> is only reachable through VRINTA/VCVTA.</summary>
public enum FpRounding
{
    /// <summary>Round to nearest, ties to even (RN).</summary>
    TiesEven = 0,

    /// <summary>Round towards plus infinity (RP).</summary>
    PlusInfinity = 1,

    /// <summary>Round towards minus infinity (RM).</summary>
    MinusInfinity = 2,

    /// <summary>Round towards zero (RZ).</summary>
    Zero = 3,

    /// <summary>Round to nearest, ties away from zero (FPv5 VRINTA/VCVTA only).</summary>
    TiesAway = 4,
}
