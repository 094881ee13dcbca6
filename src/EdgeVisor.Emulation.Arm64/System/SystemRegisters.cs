namespace EdgeVisor.Emulation.Arm64.SystemInstructions;

/// <summary>How an EL0-visible system register is read and written.</summary>
public enum SystemRegisterKind : byte
{
    /// <summary>Read-only, value fixed at decode time (ID registers, CTR_EL0, DCZID_EL0, CNTFRQ_EL0).</summary>
    Constant,
    Nzcv,
    Fpcr,
    Fpsr,
    TpidrEl0,

    /// <summary>TPIDRRO_EL0: read-only at EL0.</summary>
    TpidrroEl0,

    /// <summary>CNTVCT_EL0 / CNTPCT_EL0: the generic timer count.</summary>
    Counter,
}

/// <summary>One system register visible at EL0: its encoding (op0, op1, CRn, CRm, op2), access and, for constants, value.</summary>
public sealed record SystemRegister(string Name, int Op0, int Op1, int CRn, int CRm, int Op2, SystemRegisterKind Kind, bool Writable, ulong Value = 0)
{
    /// <summary>op0:op1:CRn:CRm:op2 as bits 20:5 of MRS/MSR hold them.</summary>
    public uint Key => SystemRegisters.KeyOf(Op0, Op1, CRn, CRm, Op2);
}

/// <summary>
/// The system registers EL0 code may access on this core under Linux, as data. ID registers hold the values
/// Linux's MRS emulation returns (sanitised: only user-visible fields, hidden fields at their safe values), derived
/// from <see cref="CpuFeatures"/>. Anything else in the ID space (op0=3, op1=0, CRn=0, CRm=0 or 2..7) reads as
/// zero, as Linux emulates it; every other register is undefined at EL0.
/// </summary>
public static class SystemRegisters
{
    /// <summary>MIDR_EL1: implementer 0 (software), architecture 0xF, part 0xE01.</summary>
    public const ulong Midr = 0x000F_E010;

    /// <summary>CTR_EL0: 64-byte I and D lines (IminLine = DminLine = 4), PIPT I-cache, ERG/CWG 64 words, IDC = DIC = 0 so software cleans and invalidates (JITs then issue IC IVAU, which drops decoded blocks).</summary>
    public const ulong Ctr = 0x8444_C004;

    /// <summary>DCZID_EL0: DC ZVA allowed, 2^4 words = 64-byte blocks.</summary>
    public const ulong Dczid = 4;

    /// <summary>Bytes DC ZVA zeroes.</summary>
    public const int ZeroBlockSize = 4 << (int)Dczid;

    public static IReadOnlyList<SystemRegister> All { get; } =
    [
        new("NZCV", 3, 3, 4, 2, 0, SystemRegisterKind.Nzcv, Writable: true),
        new("FPCR", 3, 3, 4, 4, 0, SystemRegisterKind.Fpcr, Writable: true),
        new("FPSR", 3, 3, 4, 4, 1, SystemRegisterKind.Fpsr, Writable: true),
        new("TPIDR_EL0", 3, 3, 13, 0, 2, SystemRegisterKind.TpidrEl0, Writable: true),
        new("TPIDRRO_EL0", 3, 3, 13, 0, 3, SystemRegisterKind.TpidrroEl0, Writable: false),
        new("CTR_EL0", 3, 3, 0, 0, 1, SystemRegisterKind.Constant, Writable: false, Ctr),
        new("DCZID_EL0", 3, 3, 0, 0, 7, SystemRegisterKind.Constant, Writable: false, Dczid),
        new("CNTFRQ_EL0", 3, 3, 14, 0, 0, SystemRegisterKind.Constant, Writable: false, GenericTimer.Frequency),
        new("CNTPCT_EL0", 3, 3, 14, 0, 1, SystemRegisterKind.Counter, Writable: false),
        new("CNTVCT_EL0", 3, 3, 14, 0, 2, SystemRegisterKind.Counter, Writable: false),
        new("MIDR_EL1", 3, 0, 0, 0, 0, SystemRegisterKind.Constant, Writable: false, Midr),
        new("MPIDR_EL1", 3, 0, 0, 0, 5, SystemRegisterKind.Constant, Writable: false, 0x8000_0000),
        new("REVIDR_EL1", 3, 0, 0, 0, 6, SystemRegisterKind.Constant, Writable: false, 0),
        new("ID_AA64PFR0_EL1", 3, 0, 0, 4, 0, SystemRegisterKind.Constant, Writable: false, IdAa64Pfr0()),
        new("ID_AA64PFR1_EL1", 3, 0, 0, 4, 1, SystemRegisterKind.Constant, Writable: false, 0),
        new("ID_AA64ZFR0_EL1", 3, 0, 0, 4, 4, SystemRegisterKind.Constant, Writable: false, 0),
        new("ID_AA64DFR0_EL1", 3, 0, 0, 5, 0, SystemRegisterKind.Constant, Writable: false, 6), // DebugVer at its safe value (ARMv8)
        new("ID_AA64DFR1_EL1", 3, 0, 0, 5, 1, SystemRegisterKind.Constant, Writable: false, 0),
        new("ID_AA64ISAR0_EL1", 3, 0, 0, 6, 0, SystemRegisterKind.Constant, Writable: false, IdAa64Isar0()),
        new("ID_AA64ISAR1_EL1", 3, 0, 0, 6, 1, SystemRegisterKind.Constant, Writable: false, IdAa64Isar1()),
        new("ID_AA64ISAR2_EL1", 3, 0, 0, 6, 2, SystemRegisterKind.Constant, Writable: false, 0),
        new("ID_AA64MMFR0_EL1", 3, 0, 0, 7, 0, SystemRegisterKind.Constant, Writable: false, 0),
        new("ID_AA64MMFR1_EL1", 3, 0, 0, 7, 1, SystemRegisterKind.Constant, Writable: false, 0),
        new("ID_AA64MMFR2_EL1", 3, 0, 0, 7, 2, SystemRegisterKind.Constant, Writable: false, 0),
    ];

    private static readonly Dictionary<uint, SystemRegister> ByKey = All.ToDictionary(r => r.Key);

    public static uint KeyOf(int op0, int op1, int crn, int crm, int op2) =>
        (uint)(((op0 & 3) << 14) | ((op1 & 7) << 11) | ((crn & 15) << 7) | ((crm & 15) << 3) | (op2 & 7));

    /// <summary>The register MRS/MSR with <paramref name="key"/> (bits 20:5) accesses at EL0, or null if undefined there.</summary>
    public static SystemRegister? Find(uint key)
    {
        if (ByKey.TryGetValue(key, out var register))
        {
            return register;
        }

        // Linux emulates the whole ID space for EL0 reads; registers it does not know read as zero.
        uint crm = (key >> 3) & 15;
        bool idSpace = (key >> 7) == KeyOf(3, 0, 0, 0, 0) >> 7 && crm is 0 or (>= 2 and <= 7);
        return idSpace && crm != 0 ? new SystemRegister($"ID space (CRm {crm}, op2 {key & 7})", 3, 0, 0, (int)crm, (int)(key & 7), SystemRegisterKind.Constant, Writable: false) : null;
    }

    private static ulong IdAa64Pfr0()
    {
        ulong fp = CpuFeatures.Has(CpuFeature.Fp) ? 0UL : 0xF; // 0: implemented without FP16
        ulong simd = CpuFeatures.Has(CpuFeature.AdvSimd) ? 0UL : 0xF;
        return (simd << 20) | (fp << 16) | 0x11; // EL1 and EL0: AArch64 only (their safe values)
    }

    private static ulong IdAa64Isar0()
    {
        ulong aes = CpuFeatures.Has(CpuFeature.Aes) ? (CpuFeatures.Has(CpuFeature.Pmull) ? 2UL : 1UL) : 0;
        return (Field(CpuFeature.Atomics, 2) << 20) | (Field(CpuFeature.Crc32, 1) << 16) | (Field(CpuFeature.Sha2, 1) << 12)
            | (Field(CpuFeature.Sha1, 1) << 8) | (aes << 4);
    }

    private static ulong IdAa64Isar1() => Field(CpuFeature.DcCvap, 1);

    private static ulong Field(CpuFeature feature, ulong value) => CpuFeatures.Has(feature) ? value : 0;
}
