using System.Runtime.Intrinsics;
using System.Security.Cryptography;
using EdgeVisor.Emulation.Arm64.Tests.TestKit;

namespace EdgeVisor.Emulation.Arm64.Tests.Crypto;

public sealed class AesTests
{
    // AESE/AESMC for rounds 1..9, AESE for round 10; the last AddRoundKey is done by the caller (an EOR).
    private static readonly string EncryptBlock = string.Join('\n', Enumerable.Range(1, 9)
        .Select(r => $"aese v0.16b, v{r}.16b\naesmc v0.16b, v0.16b")
        .Append("aese v0.16b, v10.16b"));

    // Equivalent inverse cipher: InvMixColumns of round keys 1..9, then AESD/AESIMC from key 10 down.
    private static readonly string DecryptBlock = string.Join('\n', Enumerable.Range(2, 9)
        .Select(r => $"aesimc v{r}.16b, v{r}.16b")
        .Append("aesd v0.16b, v11.16b\naesimc v0.16b, v0.16b")
        .Concat(Enumerable.Range(3, 8).Reverse().Select(r => $"aesd v0.16b, v{r}.16b\naesimc v0.16b, v0.16b"))
        .Append("aesd v0.16b, v2.16b"));

    [Fact]
    public void Aes128_encrypts_and_decrypts_the_fips_197_example()
    {
        byte[] key = Convert.FromHexString("000102030405060708090a0b0c0d0e0f");
        byte[] plain = Convert.FromHexString("00112233445566778899aabbccddeeff");
        byte[] cipher = Convert.FromHexString("69c4e0d86a7b0430d8cdb78070b4c55a");
        Assert.Equal(cipher, Encrypt(key, plain));
        Assert.Equal(plain, Decrypt(key, cipher));
    }

    [Fact]
    public void Aes128_through_the_instructions_matches_the_host_implementation_on_random_blocks()
    {
        int seed = Environment.TickCount;
        var random = new Random(seed);
        for (int i = 0; i < 20; i++)
        {
            byte[] key = new byte[16];
            byte[] plain = new byte[16];
            random.NextBytes(key);
            random.NextBytes(plain);
            using var aes = Aes.Create();
            aes.Key = key;
            byte[] expected = aes.EncryptEcb(plain, PaddingMode.None);
            Assert.True(expected.AsSpan().SequenceEqual(Encrypt(key, plain)), $"seed {seed}, block {i}");
            Assert.True(plain.AsSpan().SequenceEqual(Decrypt(key, expected)), $"seed {seed}, block {i}");
        }
    }

    private static byte[] Encrypt(byte[] key, byte[] plain)
    {
        Vector128<byte>[] roundKeys = Aes128KeySchedule.Expand(key);
        using var machine = new A64Machine().Assemble(EncryptBlock);
        machine.Cpu.V[0] = Vector128.Create(plain);
        for (int r = 0; r <= 10; r++)
        {
            machine.Cpu.V[r + 1] = roundKeys[r];
        }

        Assert.Equal(Arm64StopKind.InstructionLimit, machine.Run(19).Kind);
        return ToBytes(machine.Cpu.V[0] ^ roundKeys[10]);
    }

    private static byte[] Decrypt(byte[] key, byte[] cipher)
    {
        Vector128<byte>[] roundKeys = Aes128KeySchedule.Expand(key);
        using var machine = new A64Machine().Assemble(DecryptBlock);
        machine.Cpu.V[0] = Vector128.Create(cipher);
        for (int r = 0; r <= 10; r++)
        {
            machine.Cpu.V[r + 1] = roundKeys[r];
        }

        Assert.Equal(Arm64StopKind.InstructionLimit, machine.Run(9 + 19).Kind);
        return ToBytes(machine.Cpu.V[0] ^ roundKeys[0]);
    }

    private static byte[] ToBytes(Vector128<byte> v)
    {
        byte[] bytes = new byte[16];
        v.CopyTo(bytes);
        return bytes;
    }
}
