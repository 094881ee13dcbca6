using EdgeVisor.Emulation.Arm64.Tests.Unicorn;

namespace EdgeVisor.Emulation.Arm64.Tests.SystemInstructions;

/// <summary>
/// Random-encoding templates for the system instructions whose EL0 behaviour Unicorn (at EL1) shares: hints,
/// barriers and moves of NZCV/FPCR/FPSR/TPIDR_EL0. See Unicorn/README.md for what cannot be compared.
/// </summary>
internal static class SystemTemplates
{
    // CRn:CRm:op2 of the registers (op0 = 3, op1 = 3).
    private const uint Nzcv = (4 << 7) | (2 << 3) | 0;
    private const uint Fpcr = (4 << 7) | (4 << 3) | 0;
    private const uint Fpsr = (4 << 7) | (4 << 3) | 1;
    private const uint TpidrEl0 = (13 << 7) | (0 << 3) | 2;

    /// <summary>Register MSR FPCR reads; <see cref="PrepareFpcrSource"/> fills it.</summary>
    public const int FpcrSource = 9;

    /// <summary>Register MSR FPSR reads; <see cref="PrepareFpcrSource"/> fills it.</summary>
    public const int FpsrSource = 10;

    /// <summary>
    /// Puts random AHP/DN/FZ/RMode bits (the FPCR modes an A64 core without FP16 keeps) in X9 and random QC and
    /// cumulative flags (with junk in the reserved bits 26:8) in X10.
    /// </summary>
    public static void PrepareFpcrSource(A64State state, Random rng)
    {
        state.X[FpcrSource] = (ulong)rng.Next(32) << 22;
        state.X[FpsrSource] = (ulong)rng.Next(1 << 28) & 0x0FFF_FFFF;
    }

    public static IReadOnlyList<InstructionTemplate> All { get; } =
    [
        // YIELD, WFE and WFI (CRm:op2 1..3) make Unicorn leave the run loop; they are NOPs here (unit tested).
        new InstructionTemplate("hints", "11010101000000110010 hhhhhhh 11111").Reject(raw => ((raw >> 5) & 0x7F) is 1 or 2 or 3),
        new InstructionTemplate("barriers", "11010101000000110011 mmmm ooo 11111").Reject(raw => ((raw >> 5) & 7) is 0b011),
        new InstructionTemplate("MRS NZCV FPCR FPSR TPIDR_EL0", "1101010100 1 11 011 kkkkkkkkkkk ttttt")
            .With('k', FieldConstraints.OneOf(Nzcv, Fpcr, Fpsr, TpidrEl0)),
        new InstructionTemplate("MSR NZCV TPIDR_EL0", "1101010100 0 11 011 kkkkkkkkkkk ttttt")
            .With('k', FieldConstraints.OneOf(Nzcv, TpidrEl0)),
    ];

    /// <summary>MSR FPCR/FPSR from the prepared X9/X10: single-instruction runs only (in sequences other instructions overwrite the sources).</summary>
    public static IReadOnlyList<InstructionTemplate> FpStatus { get; } =
    [
        // FPSR: Unicorn's A72 (AArch32-capable) keeps bits 31:28; this core is AArch64-only, where they are RES0.
        new InstructionTemplate("MSR FPSR", "1101010100 0 11 011 kkkkkkkkkkk ttttt").Pin('k', Fpsr).Pin('t', FpsrSource),

        // FPCR: Unicorn's A72 also keeps the AArch32 Len/Stride bits and drops FZ16 (no FP16); the source register is
        // prepared to hold only the modes both keep (see PrepareFpcrSource).
        new InstructionTemplate("MSR FPCR", "1101010100 0 11 011 kkkkkkkkkkk ttttt").Pin('k', Fpcr).Pin('t', FpcrSource),
    ];

    /// <summary>Encoding-space neighbours of the hints and barriers (mostly undefined); kept out of <see cref="All"/> so sequences run long.</summary>
    public static IReadOnlyList<InstructionTemplate> Space { get; } =
    [
        // op0 = 0 with op1 = 3 and any CRn/Rt: hints, barriers and their unallocated neighbours. MSR (immediate)
        // (CRn = 4) is left out: EL1, where Unicorn runs, may write DAIF.
        new InstructionTemplate("op0=0 space", "1101010100 0 00 011 nnnn mmmm ooo ttttt")
            .With('t', FieldConstraints.OneOf(31, 31, 31, 0, 5))
            .Reject(raw => ((raw >> 12) & 15) == 4)
            .Reject(raw => ((raw >> 12) & 15) == 2 && ((raw >> 5) & 0x7F) is 1 or 2 or 3)
            .Reject(raw => ((raw >> 12) & 15) == 3 && ((raw >> 5) & 7) is 0b011),
    ];
}
