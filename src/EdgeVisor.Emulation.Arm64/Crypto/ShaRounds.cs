using System.Numerics;
using System.Runtime.Intrinsics;

namespace EdgeVisor.Emulation.Arm64.Crypto;

/// <summary>
/// The SHA-1 and SHA-256 (FIPS 180-4) steps of the A64 SHA instructions, on 128-bit registers seen as four 32-bit
/// words (word 0 lowest), following the ARM ARM pseudocode: four rounds per hash instruction, then the 160- or
/// 256-bit working state rotated by one word.
/// </summary>
internal static class ShaRounds
{
    /// <summary>The SHA-1 round function a hash instruction uses.</summary>
    public enum Sha1Function
    {
        /// <summary>SHA1C: Ch.</summary>
        Choose,

        /// <summary>SHA1P: Parity.</summary>
        Parity,

        /// <summary>SHA1M: Maj.</summary>
        Majority,
    }

    /// <summary>SHA1C/SHA1P/SHA1M: four rounds on abcd (<paramref name="x"/>), e (<paramref name="e"/>) and W+K (<paramref name="w"/>).</summary>
    public static Vector128<byte> Sha1Hash(Vector128<byte> x, uint e, Vector128<byte> w, Sha1Function function)
    {
        Vector128<uint> words = x.AsUInt32();
        uint x0 = words[0], x1 = words[1], x2 = words[2], x3 = words[3];
        uint y = e;
        for (int i = 0; i < 4; i++)
        {
            uint t = function switch
            {
                Sha1Function.Choose => ((x2 ^ x3) & x1) ^ x3,
                Sha1Function.Parity => x1 ^ x2 ^ x3,
                _ => (x1 & x2) | ((x1 | x2) & x3),
            };
            y += BitOperations.RotateLeft(x0, 5) + t + w.AsUInt32()[i];
            x1 = BitOperations.RotateLeft(x1, 30);

            // Rotate y:x left by one word: y takes x3, the words of x move up and x0 takes y.
            (y, x3, x2, x1, x0) = (x3, x2, x1, x0, y);
        }

        return Vector128.Create(x0, x1, x2, x3).AsByte();
    }

    /// <summary>SHA1H: e rotated by 30.</summary>
    public static uint Sha1FixedRotate(uint e) => BitOperations.RotateLeft(e, 30);

    /// <summary>SHA1SU0: (Vn[1:0]:Vd[3:2]) XOR Vd XOR Vm.</summary>
    public static Vector128<byte> Sha1ScheduleUpdate0(Vector128<byte> d, Vector128<byte> n, Vector128<byte> m)
    {
        Vector128<ulong> mixed = Vector128.Create(d.AsUInt64()[1], n.AsUInt64()[0]);
        return mixed.AsByte() ^ d ^ m;
    }

    /// <summary>SHA1SU1: T = Vd XOR (Vn &gt;&gt; 32); each word of T rotated by 1, the top one also XOR T[0] rotated by 2.</summary>
    public static Vector128<byte> Sha1ScheduleUpdate1(Vector128<byte> d, Vector128<byte> n)
    {
        Vector128<uint> nw = n.AsUInt32();
        Vector128<uint> t = d.AsUInt32() ^ Vector128.Create(nw[1], nw[2], nw[3], 0u);
        return Vector128.Create(
            BitOperations.RotateLeft(t[0], 1),
            BitOperations.RotateLeft(t[1], 1),
            BitOperations.RotateLeft(t[2], 1),
            BitOperations.RotateLeft(t[3], 1) ^ BitOperations.RotateLeft(t[0], 2)).AsByte();
    }

    /// <summary>
    /// SHA256hash: four rounds on abcd (<paramref name="x"/>) and efgh (<paramref name="y"/>) with W+K
    /// (<paramref name="w"/>); SHA256H returns the new abcd (<paramref name="part1"/>), SHA256H2 the new efgh.
    /// </summary>
    public static Vector128<byte> Sha256Hash(Vector128<byte> x, Vector128<byte> y, Vector128<byte> w, bool part1)
    {
        Vector128<uint> xw = x.AsUInt32();
        Vector128<uint> yw = y.AsUInt32();
        uint x0 = xw[0], x1 = xw[1], x2 = xw[2], x3 = xw[3];
        uint y0 = yw[0], y1 = yw[1], y2 = yw[2], y3 = yw[3];
        for (int i = 0; i < 4; i++)
        {
            uint choose = ((y1 ^ y2) & y0) ^ y2;
            uint majority = (x0 & x1) | ((x0 | x1) & x2);
            uint t = y3 + Sigma1(y0) + choose + w.AsUInt32()[i];
            x3 = t + x3;
            y3 = t + Sigma0(x0) + majority;

            // Rotate y:x left by one word.
            (y3, y2, y1, y0, x3, x2, x1, x0) = (y2, y1, y0, x3, x2, x1, x0, y3);
        }

        return part1 ? Vector128.Create(x0, x1, x2, x3).AsByte() : Vector128.Create(y0, y1, y2, y3).AsByte();
    }

    /// <summary>SHA256SU0: Vd[i] + σ0 of the next schedule word (Vn[0]:Vd[3:1]).</summary>
    public static Vector128<byte> Sha256ScheduleUpdate0(Vector128<byte> d, Vector128<byte> n)
    {
        Vector128<uint> dw = d.AsUInt32();
        Vector128<uint> t = Vector128.Create(dw[1], dw[2], dw[3], n.AsUInt32()[0]);
        return Vector128.Create(
            dw[0] + SmallSigma0(t[0]),
            dw[1] + SmallSigma0(t[1]),
            dw[2] + SmallSigma0(t[2]),
            dw[3] + SmallSigma0(t[3])).AsByte();
    }

    /// <summary>SHA256SU1: Vd[i] + (Vm[0]:Vn[3:1])[i] + σ1 of Vm[3:2], then of the two words just produced.</summary>
    public static Vector128<byte> Sha256ScheduleUpdate1(Vector128<byte> d, Vector128<byte> n, Vector128<byte> m)
    {
        Vector128<uint> dw = d.AsUInt32();
        Vector128<uint> nw = n.AsUInt32();
        Vector128<uint> mw = m.AsUInt32();
        uint r0 = SmallSigma1(mw[2]) + dw[0] + nw[1];
        uint r1 = SmallSigma1(mw[3]) + dw[1] + nw[2];
        uint r2 = SmallSigma1(r0) + dw[2] + nw[3];
        uint r3 = SmallSigma1(r1) + dw[3] + mw[0];
        return Vector128.Create(r0, r1, r2, r3).AsByte();
    }

    private static uint Sigma0(uint x) => BitOperations.RotateRight(x, 2) ^ BitOperations.RotateRight(x, 13) ^ BitOperations.RotateRight(x, 22);

    private static uint Sigma1(uint x) => BitOperations.RotateRight(x, 6) ^ BitOperations.RotateRight(x, 11) ^ BitOperations.RotateRight(x, 25);

    private static uint SmallSigma0(uint x) => BitOperations.RotateRight(x, 7) ^ BitOperations.RotateRight(x, 18) ^ (x >> 3);

    private static uint SmallSigma1(uint x) => BitOperations.RotateRight(x, 17) ^ BitOperations.RotateRight(x, 19) ^ (x >> 10);
}
