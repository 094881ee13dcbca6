namespace EdgeVisor.Emulation.CortexM.Tests.FloatingPoint;

/// <summary>Which FPU an instruction needs.</summary>
internal enum FpLevel
{
    FPv4,
    FPv5,
}

/// <summary>
/// The FP instructions the differential test generates, as data: mnemonic, encoding with all register fields zero
/// (assembled with arm-none-eabi-as and the fields cleared), operand shape and FPU level.
/// </summary>
internal static class FpInstructionTemplates
{
    /// <summary>Sd, Sn, Sm arithmetic and selection.</summary>
    public static readonly (string Name, uint Encoding, FpLevel Level)[] ThreeRegister =
    [
        ("vmla", 0xEE000A00, FpLevel.FPv4), ("vmls", 0xEE000A40, FpLevel.FPv4),
        ("vnmls", 0xEE100A00, FpLevel.FPv4), ("vnmla", 0xEE100A40, FpLevel.FPv4),
        ("vmul", 0xEE200A00, FpLevel.FPv4), ("vnmul", 0xEE200A40, FpLevel.FPv4),
        ("vadd", 0xEE300A00, FpLevel.FPv4), ("vsub", 0xEE300A40, FpLevel.FPv4),
        ("vdiv", 0xEE800A00, FpLevel.FPv4),
        ("vfnma", 0xEE900A40, FpLevel.FPv4), ("vfnms", 0xEE900A00, FpLevel.FPv4),
        ("vfma", 0xEEA00A00, FpLevel.FPv4), ("vfms", 0xEEA00A40, FpLevel.FPv4),
        ("vseleq", 0xFE000A00, FpLevel.FPv5), ("vselvs", 0xFE100A00, FpLevel.FPv5),
        ("vselge", 0xFE200A00, FpLevel.FPv5), ("vselgt", 0xFE300A00, FpLevel.FPv5),
        ("vmaxnm", 0xFE800A00, FpLevel.FPv5), ("vminnm", 0xFE800A40, FpLevel.FPv5),
    ];

    /// <summary>Sd, Sm operations (moves, square root, conversions, compares, VRINT).</summary>
    public static readonly (string Name, uint Encoding, FpLevel Level)[] TwoRegister =
    [
        ("vmov", 0xEEB00A40, FpLevel.FPv4), ("vabs", 0xEEB00AC0, FpLevel.FPv4),
        ("vneg", 0xEEB10A40, FpLevel.FPv4), ("vsqrt", 0xEEB10AC0, FpLevel.FPv4),
        ("vcvtb.f32.f16", 0xEEB20A40, FpLevel.FPv4), ("vcvtt.f32.f16", 0xEEB20AC0, FpLevel.FPv4),
        ("vcvtb.f16.f32", 0xEEB30A40, FpLevel.FPv4), ("vcvtt.f16.f32", 0xEEB30AC0, FpLevel.FPv4),
        ("vcmp", 0xEEB40A40, FpLevel.FPv4), ("vcmpe", 0xEEB40AC0, FpLevel.FPv4),
        ("vcvt.f32.s32", 0xEEB80AC0, FpLevel.FPv4), ("vcvt.f32.u32", 0xEEB80A40, FpLevel.FPv4),
        ("vcvt.s32.f32", 0xEEBD0AC0, FpLevel.FPv4), ("vcvt.u32.f32", 0xEEBC0AC0, FpLevel.FPv4),
        ("vcvtr.s32.f32", 0xEEBD0A40, FpLevel.FPv4), ("vcvtr.u32.f32", 0xEEBC0A40, FpLevel.FPv4),
        ("vrintr", 0xEEB60A40, FpLevel.FPv5), ("vrintz", 0xEEB60AC0, FpLevel.FPv5), ("vrintx", 0xEEB70A40, FpLevel.FPv5),
        ("vrinta", 0xFEB80A40, FpLevel.FPv5), ("vrintn", 0xFEB90A40, FpLevel.FPv5),
        ("vrintp", 0xFEBA0A40, FpLevel.FPv5), ("vrintm", 0xFEBB0A40, FpLevel.FPv5),
        ("vcvta.s32", 0xFEBC0AC0, FpLevel.FPv5), ("vcvtn.u32", 0xFEBD0A40, FpLevel.FPv5),
        ("vcvtp.s32", 0xFEBE0AC0, FpLevel.FPv5), ("vcvtm.u32", 0xFEBF0A40, FpLevel.FPv5),
        ("vcvta.u32", 0xFEBC0A40, FpLevel.FPv5), ("vcvtm.s32", 0xFEBF0AC0, FpLevel.FPv5),
    ];
}
