using EdgeVisor.Emulation.Arm64.Tests.Unicorn;

namespace EdgeVisor.Emulation.Arm64.Tests.Crypto;

/// <summary>The crypto classes on random registers against Unicorn's Cortex-A72 (AES, SHA1, SHA2), reserved sizes and opcodes included.</summary>
public sealed class CryptoDifferentialTests
{
    private static readonly InstructionTemplate[] Templates =
    [
        new("Cryptographic AES (whole class)", "01001110 ss 10100 ooooo 10 nnnnn ddddd"),
        new InstructionTemplate("AESE/AESD/AESMC/AESIMC", "01001110 00 10100 ooooo 10 nnnnn ddddd").With('o', FieldConstraints.Range(4, 7)),
        new("Cryptographic three-register SHA (whole class)", "01011110 ss 0 mmmmm 0 ooo 00 nnnnn ddddd"),
        new InstructionTemplate("SHA1C/P/M/SU0, SHA256H/H2/SU1", "01011110 00 0 mmmmm 0 ooo 00 nnnnn ddddd").With('o', FieldConstraints.Range(0, 6)),
        new("Cryptographic two-register SHA (whole class)", "01011110 ss 10100 ooooo 10 nnnnn ddddd"),
        new InstructionTemplate("SHA1H/SHA1SU1/SHA256SU0", "01011110 00 10100 ooooo 10 nnnnn ddddd").With('o', FieldConstraints.Range(0, 2)),
    ];

    [Fact]
    public void Aes_and_sha_instructions_match_Unicorn()
    {
        UnicornDifferential.RunRandom(Templates, 2400, seed: 0xC0DE).AssertEveryTemplateExecuted();
    }

    [Fact]
    public void Unadvertised_crypto_classes_are_undefined_as_on_a_cortex_a72()
    {
        InstructionTemplate[] unadvertised =
        [
            new("SHA512 three-register", "11001110 011 mmmmm 1 o 00 pp nnnnn ddddd"),
            new("SHA512 two-register", "11001110 110000001000 oo nnnnn ddddd"),
            new("SHA3/SM3 four-register", "11001110 0 oo mmmmm 0 aaaaa nnnnn ddddd"),
            new("SM3/SM4/XAR", "11001110 100 mmmmm ii iiii nnnnn ddddd"),
        ];
        var report = UnicornDifferential.RunRandom(unadvertised, 400, seed: 0x5A3);
        Assert.Equal(report.Cases, report.Undefined);
    }
}
