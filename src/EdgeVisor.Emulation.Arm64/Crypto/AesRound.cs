using System.Runtime.Intrinsics;
using X86Aes = System.Runtime.Intrinsics.X86.Aes;

namespace EdgeVisor.Emulation.Arm64.Crypto;

/// <summary>
/// The AES round steps (FIPS-197) as the A64 AES instructions apply them to a 128-bit state whose byte i is row
/// i mod 4, column i / 4 (the byte order x86's AES-NI uses too). On hosts with AES-NI the steps are composed from
/// those instructions, which give identical results; elsewhere the portable versions run. The S-boxes are built once
/// from their definition (multiplicative inverse in GF(2^8) followed by the affine map) rather than typed in; the
/// known-answer tests check them.
/// </summary>
internal static class AesRound
{
    private static readonly byte[] SBox = BuildSBox();
    private static readonly byte[] InverseSBox = Invert(SBox);

    /// <summary>AESE: SubBytes(ShiftRows(state XOR key)).</summary>
    public static Vector128<byte> Encrypt(Vector128<byte> state, Vector128<byte> key) =>
        X86Aes.IsSupported ? X86Aes.EncryptLast(state ^ key, Vector128<byte>.Zero) : PortableEncrypt(state, key);

    /// <summary>AESD: InvSubBytes(InvShiftRows(state XOR key)).</summary>
    public static Vector128<byte> Decrypt(Vector128<byte> state, Vector128<byte> key) =>
        X86Aes.IsSupported ? X86Aes.DecryptLast(state ^ key, Vector128<byte>.Zero) : PortableDecrypt(state, key);

    /// <summary>AESMC: MixColumns. With AES-NI: a full encryption round undoes a last decryption round except for MixColumns.</summary>
    public static Vector128<byte> MixColumns(Vector128<byte> state) =>
        X86Aes.IsSupported ? X86Aes.Encrypt(X86Aes.DecryptLast(state, Vector128<byte>.Zero), Vector128<byte>.Zero) : PortableMixColumns(state);

    /// <summary>AESIMC: InvMixColumns.</summary>
    public static Vector128<byte> InverseMixColumns(Vector128<byte> state) =>
        X86Aes.IsSupported ? X86Aes.InverseMixColumns(state) : PortableInverseMixColumns(state);

    /// <summary>AESE without AES-NI.</summary>
    internal static Vector128<byte> PortableEncrypt(Vector128<byte> state, Vector128<byte> key)
    {
        Vector128<byte> x = state ^ key;
        Vector128<byte> result = Vector128<byte>.Zero;
        for (int column = 0; column < 4; column++)
        {
            for (int row = 0; row < 4; row++)
            {
                // ShiftRows moves row r left by r columns.
                byte value = x.GetElement(row + (4 * ((column + row) & 3)));
                result = result.WithElement(row + (4 * column), SBox[value]);
            }
        }

        return result;
    }

    /// <summary>AESD without AES-NI.</summary>
    internal static Vector128<byte> PortableDecrypt(Vector128<byte> state, Vector128<byte> key)
    {
        Vector128<byte> x = state ^ key;
        Vector128<byte> result = Vector128<byte>.Zero;
        for (int column = 0; column < 4; column++)
        {
            for (int row = 0; row < 4; row++)
            {
                byte value = x.GetElement(row + (4 * ((column - row) & 3)));
                result = result.WithElement(row + (4 * column), InverseSBox[value]);
            }
        }

        return result;
    }

    /// <summary>AESMC without AES-NI.</summary>
    internal static Vector128<byte> PortableMixColumns(Vector128<byte> state) => Mix(state, 2, 3, 1, 1);

    /// <summary>AESIMC without AES-NI.</summary>
    internal static Vector128<byte> PortableInverseMixColumns(Vector128<byte> state) => Mix(state, 14, 11, 13, 9);

    /// <summary>Multiplies each column by the circulant matrix with first row (c0 c1 c2 c3).</summary>
    private static Vector128<byte> Mix(Vector128<byte> state, int c0, int c1, int c2, int c3)
    {
        Vector128<byte> result = Vector128<byte>.Zero;
        for (int column = 0; column < 4; column++)
        {
            int b = 4 * column;
            byte a0 = state.GetElement(b);
            byte a1 = state.GetElement(b + 1);
            byte a2 = state.GetElement(b + 2);
            byte a3 = state.GetElement(b + 3);
            result = result.WithElement(b, (byte)(Multiply(a0, c0) ^ Multiply(a1, c1) ^ Multiply(a2, c2) ^ Multiply(a3, c3)));
            result = result.WithElement(b + 1, (byte)(Multiply(a0, c3) ^ Multiply(a1, c0) ^ Multiply(a2, c1) ^ Multiply(a3, c2)));
            result = result.WithElement(b + 2, (byte)(Multiply(a0, c2) ^ Multiply(a1, c3) ^ Multiply(a2, c0) ^ Multiply(a3, c1)));
            result = result.WithElement(b + 3, (byte)(Multiply(a0, c1) ^ Multiply(a1, c2) ^ Multiply(a2, c3) ^ Multiply(a3, c0)));
        }

        return result;
    }

    private static byte[] BuildSBox()
    {
        var box = new byte[256];
        for (int x = 0; x < 256; x++)
        {
            int s = x == 0 ? 0 : Inverse((byte)x);
            box[x] = (byte)(s ^ RotateLeft(s, 1) ^ RotateLeft(s, 2) ^ RotateLeft(s, 3) ^ RotateLeft(s, 4) ^ 0x63);
        }

        return box;
    }

    private static byte[] Invert(byte[] box)
    {
        var inverse = new byte[256];
        for (int x = 0; x < 256; x++)
        {
            inverse[box[x]] = (byte)x;
        }

        return inverse;
    }

    /// <summary>Product in GF(2^8) modulo x^8 + x^4 + x^3 + x + 1.</summary>
    private static int Multiply(int a, int b)
    {
        int product = 0;
        while (b != 0)
        {
            if ((b & 1) != 0)
            {
                product ^= a;
            }

            a = (a << 1) ^ ((a & 0x80) != 0 ? 0x11B : 0);
            b >>= 1;
        }

        return product;
    }

    /// <summary>a^254 = a^-1 in GF(2^8).</summary>
    private static byte Inverse(byte a)
    {
        int result = 1;
        int power = a;
        for (int e = 254; e != 0; e >>= 1)
        {
            if ((e & 1) != 0)
            {
                result = Multiply(result, power);
            }

            power = Multiply(power, power);
        }

        return (byte)result;
    }

    private static int RotateLeft(int value, int count) => ((value << count) | (value >> (8 - count))) & 0xFF;
}
