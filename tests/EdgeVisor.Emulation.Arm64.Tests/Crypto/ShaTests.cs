using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.Intrinsics;
using System.Security.Cryptography;

namespace EdgeVisor.Emulation.Arm64.Tests.Crypto;

/// <summary>
/// SHA-1 and SHA-256 computed with the A64 SHA instructions (the usual four-rounds-per-instruction schedule) on the
/// FIPS 180 example and on random messages, compared with the host's implementation.
/// </summary>
public sealed class ShaTests
{
    private static readonly uint[] Sha256RoundConstants = CubeRootFractions(64);

    private static readonly string[] Sha256Listing =
    [
        "sha256h q0, q1, v16.4s",
        "sha256h2 q1, q2, v16.4s",
        .. Enumerable.Range(0, 4).Select(i => $"sha256su0 v{4 + i}.4s, v{4 + ((i + 1) % 4)}.4s"),
        .. Enumerable.Range(0, 4).Select(i => $"sha256su1 v{4 + i}.4s, v{4 + ((i + 2) % 4)}.4s, v{4 + ((i + 3) % 4)}.4s"),
    ];

    private static readonly string[] Sha1Listing =
    [
        "sha1h s2, s0",
        "sha1c q0, s1, v16.4s",
        "sha1p q0, s1, v16.4s",
        "sha1m q0, s1, v16.4s",
        .. Enumerable.Range(0, 4).Select(i => $"sha1su0 v{4 + i}.4s, v{4 + ((i + 1) % 4)}.4s, v{4 + ((i + 2) % 4)}.4s"),
        .. Enumerable.Range(0, 4).Select(i => $"sha1su1 v{4 + i}.4s, v{4 + ((i + 3) % 4)}.4s"),
    ];

    [Fact]
    public void Sha256_of_abc_is_the_fips_180_digest()
    {
        Assert.Equal(
            "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD",
            Convert.ToHexString(Sha256(System.Text.Encoding.ASCII.GetBytes("abc"))));
    }

    [Fact]
    public void Sha1_of_abc_is_the_fips_180_digest()
    {
        Assert.Equal("A9993E364706816ABA3E25717850C26C9CD0D89D", Convert.ToHexString(Sha1(System.Text.Encoding.ASCII.GetBytes("abc"))));
    }

    [Fact]
    public void Sha_instructions_match_the_host_digests_on_random_messages()
    {
        int seed = Environment.TickCount;
        var random = new Random(seed);
        for (int i = 0; i < 10; i++)
        {
            byte[] message = new byte[random.Next(0, 200)];
            random.NextBytes(message);
            Assert.True(SHA256.HashData(message).AsSpan().SequenceEqual(Sha256(message)), $"SHA-256, seed {seed}, message {i}");
#pragma warning disable CA5350 // SHA-1 is the algorithm under test, not a security choice
            Assert.True(SHA1.HashData(message).AsSpan().SequenceEqual(Sha1(message)), $"SHA-1, seed {seed}, message {i}");
#pragma warning restore CA5350
        }
    }

    private static byte[] Sha256(byte[] message)
    {
        using var stepper = new InstructionStepper(Sha256Listing);
        Arm64Cpu cpu = stepper.Cpu;
        uint[] hash = [0x6A09E667, 0xBB67AE85, 0x3C6EF372, 0xA54FF53A, 0x510E527F, 0x9B05688C, 0x1F83D9AB, 0x5BE0CD19];
        foreach (uint[] block in Blocks(message))
        {
            cpu.V[0] = Vector128.Create(hash[0], hash[1], hash[2], hash[3]).AsByte();
            cpu.V[1] = Vector128.Create(hash[4], hash[5], hash[6], hash[7]).AsByte();
            for (int i = 0; i < 4; i++)
            {
                cpu.V[4 + i] = Vector128.Create(block[(4 * i)..((4 * i) + 4)]).AsByte();
            }

            for (int quad = 0; quad < 16; quad++)
            {
                int msg = 4 + (quad % 4);
                cpu.V[16] = (cpu.V[msg].AsUInt32() + Vector128.Create(Sha256RoundConstants[(4 * quad)..((4 * quad) + 4)])).AsByte();
                cpu.V[2] = cpu.V[0];
                stepper.Execute(Sha256Listing[0]);
                stepper.Execute(Sha256Listing[1]);
                if (quad < 12)
                {
                    stepper.Execute(Sha256Listing[2 + (quad % 4)]);
                    stepper.Execute(Sha256Listing[6 + (quad % 4)]);
                }
            }

            uint[] words = [.. Words(cpu.V[0]), .. Words(cpu.V[1])];
            for (int i = 0; i < 8; i++)
            {
                hash[i] += words[i];
            }
        }

        return BigEndian(hash);
    }

    private static byte[] Sha1(byte[] message)
    {
        using var stepper = new InstructionStepper(Sha1Listing);
        Arm64Cpu cpu = stepper.Cpu;
        uint[] hash = [0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0];
        uint[] constants = [0x5A827999, 0x6ED9EBA1, 0x8F1BBCDC, 0xCA62C1D6];
        foreach (uint[] block in Blocks(message))
        {
            cpu.V[0] = Vector128.Create(hash[0], hash[1], hash[2], hash[3]).AsByte();
            cpu.V[1] = Vector128.Create(hash[4], 0u, 0u, 0u).AsByte();
            for (int i = 0; i < 4; i++)
            {
                cpu.V[4 + i] = Vector128.Create(block[(4 * i)..((4 * i) + 4)]).AsByte();
            }

            for (int quad = 0; quad < 20; quad++)
            {
                int msg = 4 + (quad % 4);
                cpu.V[16] = (cpu.V[msg].AsUInt32() + Vector128.Create(constants[quad / 5])).AsByte();
                stepper.Execute(Sha1Listing[0]);
                stepper.Execute(Sha1Listing[(quad / 5) switch { 0 => 1, 2 => 3, _ => 2 }]);
                cpu.V[1] = cpu.V[2];
                if (quad < 16)
                {
                    stepper.Execute(Sha1Listing[4 + (quad % 4)]);
                    stepper.Execute(Sha1Listing[8 + (quad % 4)]);
                }
            }

            uint[] words = [.. Words(cpu.V[0]), Words(cpu.V[1])[0]];
            for (int i = 0; i < 5; i++)
            {
                hash[i] += words[i];
            }
        }

        return BigEndian(hash);
    }

    /// <summary>The padded message as 16-word big-endian blocks (both algorithms pad the same way).</summary>
    private static IEnumerable<uint[]> Blocks(byte[] message)
    {
        int length = ((message.Length + 8) / 64 * 64) + 64;
        byte[] padded = new byte[length];
        message.CopyTo(padded, 0);
        padded[message.Length] = 0x80;
        BinaryPrimitives.WriteUInt64BigEndian(padded.AsSpan(length - 8), (ulong)message.Length * 8);
        for (int offset = 0; offset < length; offset += 64)
        {
            yield return [.. Enumerable.Range(0, 16).Select(i => BinaryPrimitives.ReadUInt32BigEndian(padded.AsSpan(offset + (4 * i))))];
        }
    }

    private static uint[] Words(Vector128<byte> v) => [v.AsUInt32()[0], v.AsUInt32()[1], v.AsUInt32()[2], v.AsUInt32()[3]];

    private static byte[] BigEndian(uint[] words)
    {
        byte[] bytes = new byte[4 * words.Length];
        for (int i = 0; i < words.Length; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(4 * i), words[i]);
        }

        return bytes;
    }

    /// <summary>SHA-256's K: the first 32 fraction bits of the cube roots of the first primes, by exact integer cube root.</summary>
    private static uint[] CubeRootFractions(int count)
    {
        var result = new uint[count];
        int found = 0;
        for (int p = 2; found < count; p++)
        {
            if (Enumerable.Range(2, Math.Max(0, (int)Math.Sqrt(p) - 1)).Any(d => p % d == 0))
            {
                continue;
            }

            BigInteger target = new BigInteger(p) << 96;
            BigInteger root = new BigInteger(Math.Cbrt(p) * 4294967296.0);
            while (root * root * root > target)
            {
                root--;
            }

            while ((root + 1) * (root + 1) * (root + 1) <= target)
            {
                root++;
            }

            result[found++] = (uint)(root & uint.MaxValue);
        }

        return result;
    }
}
