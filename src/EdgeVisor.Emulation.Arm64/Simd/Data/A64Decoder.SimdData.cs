using EdgeVisor.Emulation.Arm64.Crypto;
using EdgeVisor.Emulation.Arm64.Simd.Data;

namespace EdgeVisor.Emulation.Arm64.Decoding;

public static unsafe partial class A64Decoder
{
    /// <summary>
    /// The data-movement half of Advanced SIMD and the crypto classes, as (mask, value) patterns of the ARM ARM
    /// "Data Processing -- Scalar Floating-Point and Advanced SIMD" table: every fixed bit of a class is in its
    /// mask, so no pattern overlaps another group's classes. Modified immediate precedes shift by immediate (the
    /// latter needs immh != 0).
    /// </summary>
    private static readonly SimdDataClass[] SimdDataClasses =
    [
        new(0x9FE08400, 0x0E000400, &SimdCopy.DecodeVector),                    // Advanced SIMD copy
        new(0xDFE08400, 0x5E000400, &SimdCopy.DecodeScalar),                    // Advanced SIMD scalar copy
        new(0xBFE08C00, 0x0E000000, &SimdPermute.DecodeTableLookup),            // Advanced SIMD table lookup (op2 = 00)
        new(0xBF208C00, 0x0E000800, &SimdPermute.DecodePermute),                // Advanced SIMD permute
        new(0xBFE08400, 0x2E000000, &SimdPermute.DecodeExtract),                // Advanced SIMD extract (op2 = 00)
        new(0x9FF80400, 0x0F000400, &SimdModifiedImmediate.Decode),             // Advanced SIMD modified immediate
        new(0x9F800400, 0x0F000400, &ShiftImmediateDecoder.DecodeVector),       // Advanced SIMD shift by immediate
        new(0xDF800400, 0x5F000400, &ShiftImmediateDecoder.DecodeScalar),       // Advanced SIMD scalar shift by immediate
        new(0x9F000400, 0x0F000000, &IndexedElementDecoder.DecodeVector),       // Advanced SIMD vector x indexed element
        new(0xDF000400, 0x5F000000, &IndexedElementDecoder.DecodeScalar),       // Advanced SIMD scalar x indexed element
        new(0xFFFE0C00, 0x4E280800, &CryptoInstructions.DecodeAes),             // Cryptographic AES (size = 00)
        new(0xFFE08C00, 0x5E000000, &CryptoInstructions.DecodeShaThreeRegister), // Cryptographic three-register SHA (size = 00)
        new(0xFFFE0C00, 0x5E280800, &CryptoInstructions.DecodeShaTwoRegister),  // Cryptographic two-register SHA (size = 00)
    ];

    private static bool DecodeSimdData(uint raw, ref Op op)
    {
        foreach (SimdDataClass encodingClass in SimdDataClasses)
        {
            if ((raw & encodingClass.Mask) == encodingClass.Value)
            {
                return encodingClass.Decode(raw, ref op);
            }
        }

        return false;
    }

    /// <summary>One encoding class: the instructions with <c>raw &amp; Mask == Value</c> and the decoder that sorts them out.</summary>
    private readonly struct SimdDataClass(uint mask, uint value, delegate*<uint, ref Op, bool> decode)
    {
        public readonly uint Mask = mask;
        public readonly uint Value = value;
        public readonly delegate*<uint, ref Op, bool> Decode = decode;
    }
}
