using EdgeVisor.Emulation.Arm64.Decoding;

namespace EdgeVisor.Emulation.Arm64.Crypto;

/// <summary>
/// Decoders and handlers of the advertised crypto classes: "Cryptographic AES", "Cryptographic three-register SHA"
/// and "Cryptographic two-register SHA" (FEAT_AES, FEAT_SHA1, FEAT_SHA256). size must be 00 in all three.
/// SHA512, SHA3, SM3 and SM4 are not advertised and stay undefined.
/// </summary>
internal static unsafe class CryptoInstructions
{
    /// <summary>01001110 00 10100 opcode 10 Rn Rd (the size bits are part of the caller's match).</summary>
    public static bool DecodeAes(uint raw, ref Op op)
    {
        delegate*<Arm64Cpu, ref Op, void> handler = ((raw >> 12) & 0x1F) switch
        {
            0b00100 => &AesEncrypt,
            0b00101 => &AesDecrypt,
            0b00110 => &AesMixColumns,
            0b00111 => &AesInverseMixColumns,
            _ => null,
        };
        return SetRegisters(raw, ref op, handler);
    }

    /// <summary>01011110 00 0 Rm 0 opcode 00 Rn Rd.</summary>
    public static bool DecodeShaThreeRegister(uint raw, ref Op op)
    {
        delegate*<Arm64Cpu, ref Op, void> handler = ((raw >> 12) & 7) switch
        {
            0b000 => &Sha1Choose,
            0b001 => &Sha1Parity,
            0b010 => &Sha1Majority,
            0b011 => &Sha1ScheduleUpdate0,
            0b100 => &Sha256Hash,
            0b101 => &Sha256Hash2,
            0b110 => &Sha256ScheduleUpdate1,
            _ => null,
        };
        op.Rm = (byte)((raw >> 16) & 0x1F);
        return SetRegisters(raw, ref op, handler);
    }

    /// <summary>01011110 00 10100 opcode 10 Rn Rd.</summary>
    public static bool DecodeShaTwoRegister(uint raw, ref Op op)
    {
        delegate*<Arm64Cpu, ref Op, void> handler = ((raw >> 12) & 0x1F) switch
        {
            0b00000 => &Sha1FixedRotate,
            0b00001 => &Sha1ScheduleUpdate1,
            0b00010 => &Sha256ScheduleUpdate0,
            _ => null,
        };
        return SetRegisters(raw, ref op, handler);
    }

    private static bool SetRegisters(uint raw, ref Op op, delegate*<Arm64Cpu, ref Op, void> handler)
    {
        if (handler == null)
        {
            return false;
        }

        op.Rd = (byte)(raw & 0x1F);
        op.Rn = (byte)((raw >> 5) & 0x1F);
        op.Handler = handler;
        return true;
    }

    private static void AesEncrypt(Arm64Cpu cpu, ref Op op) => cpu.V[op.Rd] = AesRound.Encrypt(cpu.V[op.Rd], cpu.V[op.Rn]);

    private static void AesDecrypt(Arm64Cpu cpu, ref Op op) => cpu.V[op.Rd] = AesRound.Decrypt(cpu.V[op.Rd], cpu.V[op.Rn]);

    private static void AesMixColumns(Arm64Cpu cpu, ref Op op) => cpu.V[op.Rd] = AesRound.MixColumns(cpu.V[op.Rn]);

    private static void AesInverseMixColumns(Arm64Cpu cpu, ref Op op) => cpu.V[op.Rd] = AesRound.InverseMixColumns(cpu.V[op.Rn]);

    private static void Sha1Choose(Arm64Cpu cpu, ref Op op) => Sha1Hash(cpu, ref op, ShaRounds.Sha1Function.Choose);

    private static void Sha1Parity(Arm64Cpu cpu, ref Op op) => Sha1Hash(cpu, ref op, ShaRounds.Sha1Function.Parity);

    private static void Sha1Majority(Arm64Cpu cpu, ref Op op) => Sha1Hash(cpu, ref op, ShaRounds.Sha1Function.Majority);

    private static void Sha1Hash(Arm64Cpu cpu, ref Op op, ShaRounds.Sha1Function function) =>
        cpu.V[op.Rd] = ShaRounds.Sha1Hash(cpu.V[op.Rd], (uint)cpu.GetD(op.Rn), cpu.V[op.Rm], function);

    private static void Sha1ScheduleUpdate0(Arm64Cpu cpu, ref Op op) =>
        cpu.V[op.Rd] = ShaRounds.Sha1ScheduleUpdate0(cpu.V[op.Rd], cpu.V[op.Rn], cpu.V[op.Rm]);

    private static void Sha256Hash(Arm64Cpu cpu, ref Op op) =>
        cpu.V[op.Rd] = ShaRounds.Sha256Hash(cpu.V[op.Rd], cpu.V[op.Rn], cpu.V[op.Rm], part1: true);

    private static void Sha256Hash2(Arm64Cpu cpu, ref Op op) =>
        cpu.V[op.Rd] = ShaRounds.Sha256Hash(cpu.V[op.Rn], cpu.V[op.Rd], cpu.V[op.Rm], part1: false);

    private static void Sha256ScheduleUpdate1(Arm64Cpu cpu, ref Op op) =>
        cpu.V[op.Rd] = ShaRounds.Sha256ScheduleUpdate1(cpu.V[op.Rd], cpu.V[op.Rn], cpu.V[op.Rm]);

    private static void Sha1FixedRotate(Arm64Cpu cpu, ref Op op) => cpu.SetD(op.Rd, ShaRounds.Sha1FixedRotate((uint)cpu.GetD(op.Rn)));

    private static void Sha1ScheduleUpdate1(Arm64Cpu cpu, ref Op op) => cpu.V[op.Rd] = ShaRounds.Sha1ScheduleUpdate1(cpu.V[op.Rd], cpu.V[op.Rn]);

    private static void Sha256ScheduleUpdate0(Arm64Cpu cpu, ref Op op) => cpu.V[op.Rd] = ShaRounds.Sha256ScheduleUpdate0(cpu.V[op.Rd], cpu.V[op.Rn]);
}
