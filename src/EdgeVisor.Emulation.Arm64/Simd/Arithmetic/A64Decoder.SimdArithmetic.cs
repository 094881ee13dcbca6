using EdgeVisor.Emulation.Arm64.Simd.Arithmetic.Decoding;

namespace EdgeVisor.Emulation.Arm64.Decoding;

public static partial class A64Decoder
{
    /// <summary>
    /// The arithmetic classes of Advanced SIMD (ARM ARM C4.1, "Data Processing -- Scalar Floating-Point and Advanced
    /// SIMD"): three same, three different, two-register miscellaneous, across lanes, and the scalar three same, three
    /// different, two-register miscellaneous and pairwise classes. Each class pattern is matched on all its fixed bits;
    /// anything else (including the FP16 and three-register-extension classes) returns false.
    /// </summary>
    private static bool DecodeSimdArithmetic(uint raw, ref Op op) => SimdArithmeticDecoder.Decode(raw, ref op);
}
