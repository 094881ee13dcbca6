using System.Runtime.Intrinsics;

namespace EdgeVisor.Emulation.Arm64.Tests.Crypto;

/// <summary>FIPS-197 KeyExpansion for AES-128 on the host, with its own S-box built from the definition.</summary>
internal static class Aes128KeySchedule
{
    private static readonly byte[] SBox = BuildSBox();

    /// <summary>The 11 round keys, bytes in the order the state uses them.</summary>
    public static Vector128<byte>[] Expand(byte[] key)
    {
        var words = new byte[44][];
        for (int i = 0; i < 4; i++)
        {
            words[i] = key[(4 * i)..((4 * i) + 4)];
        }

        byte rcon = 1;
        for (int i = 4; i < 44; i++)
        {
            byte[] t = (byte[])words[i - 1].Clone();
            if (i % 4 == 0)
            {
                t = [(byte)(SBox[t[1]] ^ rcon), SBox[t[2]], SBox[t[3]], SBox[t[0]]];
                rcon = Times2(rcon);
            }

            words[i] = [.. words[i - 4].Zip(t, (a, b) => (byte)(a ^ b))];
        }

        return [.. Enumerable.Range(0, 11).Select(r => Vector128.Create(words.Skip(4 * r).Take(4).SelectMany(w => w).ToArray()))];
    }

    private static byte Times2(int a) => (byte)((a << 1) ^ ((a & 0x80) != 0 ? 0x1B : 0));

    private static byte[] BuildSBox()
    {
        var box = new byte[256];
        for (int x = 0; x < 256; x++)
        {
            // Inverse by search (test code: clarity over speed).
            int inverse = 0;
            for (int y = 1; y < 256 && x != 0; y++)
            {
                if (Multiply(x, y) == 1)
                {
                    inverse = y;
                    break;
                }
            }

            int b = inverse;
            int s = b;
            for (int k = 1; k <= 4; k++)
            {
                s ^= ((b << k) | (b >> (8 - k))) & 0xFF;
            }

            box[x] = (byte)(s ^ 0x63);
        }

        return box;
    }

    private static int Multiply(int a, int b)
    {
        int product = 0;
        for (; b != 0; b >>= 1)
        {
            if ((b & 1) != 0)
            {
                product ^= a;
            }

            a = Times2(a);
        }

        return product;
    }
}
