using EdgeVisor.Emulation.Arm64.Decoding;

namespace EdgeVisor.Emulation.Arm64.Integer;

/// <summary>
/// Handlers for the data-processing-immediate instructions, one per shape and width. 32-bit forms write a zero-extended
/// result. Operands were prepared by <see cref="ImmediateDecoders"/>.
/// </summary>
internal static class ImmediateHandlers
{
    /// <summary>MOVZ, MOVN, MOV (bitmask), ADR, ADRP: the value was computed at decode time.</summary>
    public static void MoveImmediate(Arm64Cpu cpu, ref Op op) => cpu.X[op.Rd] = op.Imm;

    /// <summary>MOV to/from SP (ADD #0).</summary>
    public static void Move64(Arm64Cpu cpu, ref Op op) => cpu.X[op.Rd] = cpu.X[op.Rn];

    public static void MoveKeep64(Arm64Cpu cpu, ref Op op) => cpu.X[op.Rd] = (cpu.X[op.Rd] & ~(0xFFFFUL << op.Amount)) | op.Imm;

    public static void MoveKeep32(Arm64Cpu cpu, ref Op op) => cpu.X[op.Rd] = (uint)((cpu.X[op.Rd] & ~(0xFFFFUL << op.Amount)) | op.Imm);

    public static void AddImmediate64(Arm64Cpu cpu, ref Op op) => cpu.X[op.Rd] = cpu.X[op.Rn] + op.Imm;

    public static void SubImmediate64(Arm64Cpu cpu, ref Op op) => cpu.X[op.Rd] = cpu.X[op.Rn] - op.Imm;

    public static void AddImmediate32(Arm64Cpu cpu, ref Op op) => cpu.X[op.Rd] = (uint)(cpu.X[op.Rn] + op.Imm);

    public static void SubImmediate32(Arm64Cpu cpu, ref Op op) => cpu.X[op.Rd] = (uint)(cpu.X[op.Rn] - op.Imm);

    public static void AddsImmediate64(Arm64Cpu cpu, ref Op op)
    {
        ulong a = cpu.X[op.Rn];
        ulong result = a + op.Imm;
        NzcvFlags.Add64(cpu, a, op.Imm, result);
        cpu.X[op.Rd] = result;
    }

    public static void SubsImmediate64(Arm64Cpu cpu, ref Op op)
    {
        ulong a = cpu.X[op.Rn];
        ulong result = a - op.Imm;
        NzcvFlags.Sub64(cpu, a, op.Imm, result);
        cpu.X[op.Rd] = result;
    }

    public static void AddsImmediate32(Arm64Cpu cpu, ref Op op)
    {
        uint a = (uint)cpu.X[op.Rn];
        uint result = a + (uint)op.Imm;
        NzcvFlags.Add32(cpu, a, (uint)op.Imm, result);
        cpu.X[op.Rd] = result;
    }

    public static void SubsImmediate32(Arm64Cpu cpu, ref Op op)
    {
        uint a = (uint)cpu.X[op.Rn];
        uint result = a - (uint)op.Imm;
        NzcvFlags.Sub32(cpu, a, (uint)op.Imm, result);
        cpu.X[op.Rd] = result;
    }

    public static void AndImmediate(Arm64Cpu cpu, ref Op op) => cpu.X[op.Rd] = cpu.X[op.Rn] & op.Imm;

    public static void OrrImmediate64(Arm64Cpu cpu, ref Op op) => cpu.X[op.Rd] = cpu.X[op.Rn] | op.Imm;

    public static void OrrImmediate32(Arm64Cpu cpu, ref Op op) => cpu.X[op.Rd] = (uint)(cpu.X[op.Rn] | op.Imm);

    public static void EorImmediate64(Arm64Cpu cpu, ref Op op) => cpu.X[op.Rd] = cpu.X[op.Rn] ^ op.Imm;

    public static void EorImmediate32(Arm64Cpu cpu, ref Op op) => cpu.X[op.Rd] = (uint)(cpu.X[op.Rn] ^ op.Imm);

    public static void AndsImmediate64(Arm64Cpu cpu, ref Op op)
    {
        ulong result = cpu.X[op.Rn] & op.Imm;
        NzcvFlags.Logical64(cpu, result);
        cpu.X[op.Rd] = result;
    }

    public static void AndsImmediate32(Arm64Cpu cpu, ref Op op)
    {
        uint result = (uint)(cpu.X[op.Rn] & op.Imm);
        NzcvFlags.Logical32(cpu, result);
        cpu.X[op.Rd] = result;
    }

    /// <summary>LSR (immediate): the field runs to the top bit, so no mask is needed.</summary>
    public static void ShiftRightLogical(Arm64Cpu cpu, ref Op op) => cpu.X[op.Rd] = (cpu.X[op.Rn] & op.Imm << op.Amount) >> op.Amount;

    /// <summary>UBFX, UXTB, UXTH (and 32-bit LSR): Imm is the field mask, Amount its lsb.</summary>
    public static void UnsignedExtract(Arm64Cpu cpu, ref Op op) => cpu.X[op.Rd] = (cpu.X[op.Rn] >> op.Amount) & op.Imm;

    /// <summary>LSL (immediate), UBFIZ: the low field moved up to Amount.</summary>
    public static void UnsignedInsertZero64(Arm64Cpu cpu, ref Op op) => cpu.X[op.Rd] = (cpu.X[op.Rn] & op.Imm) << op.Amount;

    public static void UnsignedInsertZero32(Arm64Cpu cpu, ref Op op) => cpu.X[op.Rd] = (uint)((cpu.X[op.Rn] & op.Imm) << op.Amount);

    /// <summary>ASR (immediate), SBFX, SXTB/SXTH/SXTW: shift the field's top bit to bit 63, then arithmetic shift down.</summary>
    public static void SignedExtract64(Arm64Cpu cpu, ref Op op) => cpu.X[op.Rd] = (ulong)((long)(cpu.X[op.Rn] << op.A) >> op.B);

    public static void SignedExtract32(Arm64Cpu cpu, ref Op op) => cpu.X[op.Rd] = (uint)((int)((uint)cpu.X[op.Rn] << op.A) >> op.B);

    /// <summary>SBFIZ: sign-extend the low field, then shift it up to its lsb.</summary>
    public static void SignedInsertZero64(Arm64Cpu cpu, ref Op op) => cpu.X[op.Rd] = (ulong)(((long)(cpu.X[op.Rn] << op.A) >> op.B) << op.C);

    public static void SignedInsertZero32(Arm64Cpu cpu, ref Op op) => cpu.X[op.Rd] = (uint)(((int)((uint)cpu.X[op.Rn] << op.A) >> op.B) << op.C);

    /// <summary>BFXIL: the extracted field replaces the low bits of Rd.</summary>
    public static void BitfieldExtractInsert64(Arm64Cpu cpu, ref Op op) => cpu.X[op.Rd] = (cpu.X[op.Rd] & ~op.Imm) | ((cpu.X[op.Rn] >> op.Amount) & op.Imm);

    public static void BitfieldExtractInsert32(Arm64Cpu cpu, ref Op op) => cpu.X[op.Rd] = (uint)((cpu.X[op.Rd] & ~op.Imm) | (((uint)cpu.X[op.Rn] >> op.Amount) & op.Imm));

    /// <summary>BFI: the low field of Rn replaces the bits of Rd at Amount.</summary>
    public static void BitfieldInsert64(Arm64Cpu cpu, ref Op op) => cpu.X[op.Rd] = (cpu.X[op.Rd] & ~(op.Imm << op.Amount)) | ((cpu.X[op.Rn] & op.Imm) << op.Amount);

    public static void BitfieldInsert32(Arm64Cpu cpu, ref Op op) => cpu.X[op.Rd] = (uint)((cpu.X[op.Rd] & ~(op.Imm << op.Amount)) | ((cpu.X[op.Rn] & op.Imm) << op.Amount));

    public static void ExtractNone64(Arm64Cpu cpu, ref Op op) => cpu.X[op.Rd] = cpu.X[op.Rm];

    /// <summary>EXTR/ROR: bits [lsb+63:lsb] of Rn:Rm.</summary>
    public static void Extract64(Arm64Cpu cpu, ref Op op) => cpu.X[op.Rd] = (cpu.X[op.Rm] >> op.Amount) | (cpu.X[op.Rn] << (64 - op.Amount));

    public static void Extract32(Arm64Cpu cpu, ref Op op) => cpu.X[op.Rd] = (uint)((((cpu.X[op.Rn] << 32) | (uint)cpu.X[op.Rm])) >> op.Amount);
}
