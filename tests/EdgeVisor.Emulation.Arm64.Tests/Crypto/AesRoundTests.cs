using System.Runtime.Intrinsics;
using EdgeVisor.Emulation.Arm64.Crypto;

namespace EdgeVisor.Emulation.Arm64.Tests.Crypto;

/// <summary>
/// The portable AES steps against the ones the instructions use on this host (AES-NI where present), so the
/// fallback for hosts without AES-NI is checked too; without AES-NI both sides are the portable code and the
/// instruction-level tests cover it.
/// </summary>
public sealed class AesRoundTests
{
    [Fact]
    public void Portable_aes_steps_agree_with_the_host_path_on_random_states()
    {
        int seed = Environment.TickCount;
        var random = new Random(seed);
        var bytes = new byte[32];
        for (int i = 0; i < 2000; i++)
        {
            random.NextBytes(bytes);
            Vector128<byte> state = Vector128.Create(bytes.AsSpan(0, 16));
            Vector128<byte> key = Vector128.Create(bytes.AsSpan(16, 16));
            Assert.True(AesRound.PortableEncrypt(state, key) == AesRound.Encrypt(state, key), $"AESE, seed {seed}");
            Assert.True(AesRound.PortableDecrypt(state, key) == AesRound.Decrypt(state, key), $"AESD, seed {seed}");
            Assert.True(AesRound.PortableMixColumns(state) == AesRound.MixColumns(state), $"AESMC, seed {seed}");
            Assert.True(AesRound.PortableInverseMixColumns(state) == AesRound.InverseMixColumns(state), $"AESIMC, seed {seed}");
        }
    }

    [Fact]
    public void Mix_columns_of_the_fips_197_round_1_state_matches_the_standard()
    {
        // FIPS-197 appendix B, round 1: after ShiftRows d4bf5d30e0b452aeb84111f11e2798e5, after MixColumns 046681e5e0cb199a48f8d37a2806264c.
        Vector128<byte> shifted = Vector128.Create(Convert.FromHexString("d4bf5d30e0b452aeb84111f11e2798e5"));
        Vector128<byte> mixed = Vector128.Create(Convert.FromHexString("046681e5e0cb199a48f8d37a2806264c"));
        Assert.Equal(mixed, AesRound.PortableMixColumns(shifted));
        Assert.Equal(mixed, AesRound.MixColumns(shifted));
        Assert.Equal(shifted, AesRound.PortableInverseMixColumns(mixed));
    }
}
