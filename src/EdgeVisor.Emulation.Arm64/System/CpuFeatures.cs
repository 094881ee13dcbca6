namespace EdgeVisor.Emulation.Arm64.SystemInstructions;

/// <summary>Architecture features of the A64 core that software can discover.</summary>
[Flags]
public enum CpuFeature
{
    None = 0,

    /// <summary>Floating point (single and double; no half-precision arithmetic).</summary>
    Fp = 1 << 0,

    /// <summary>Advanced SIMD (no FP16 arithmetic).</summary>
    AdvSimd = 1 << 1,

    /// <summary>AESE/AESD/AESMC/AESIMC.</summary>
    Aes = 1 << 2,

    /// <summary>PMULL/PMULL2 with 64-bit elements.</summary>
    Pmull = 1 << 3,

    Sha1 = 1 << 4,

    /// <summary>SHA256 (not SHA512).</summary>
    Sha2 = 1 << 5,

    /// <summary>CRC32 and CRC32C instructions.</summary>
    Crc32 = 1 << 6,

    /// <summary>LSE atomics (CAS, SWP, LDADD …).</summary>
    Atomics = 1 << 7,

    /// <summary>DC CVAP (FEAT_DPB).</summary>
    DcCvap = 1 << 8,

    /// <summary>ID registers readable from EL0 (emulated as the Linux kernel does).</summary>
    CpuId = 1 << 9,
}

/// <summary>
/// The one place that says what the core implements. The ID registers (<see cref="SystemRegisters"/>) and the Linux
/// auxiliary vector (<see cref="LinuxHwcap"/> for AT_HWCAP, <see cref="LinuxHwcap2"/> for AT_HWCAP2) are derived from it.
/// Not advertised, and undefined if used: SVE, PAuth, BTI, MTE, FP16, DotProd, RDM, FlagM, SHA3, SHA512, SB, LRCPC.
/// </summary>
public static class CpuFeatures
{
    /// <summary>What the core implements.</summary>
    public const CpuFeature Implemented = CpuFeature.Fp | CpuFeature.AdvSimd | CpuFeature.Aes | CpuFeature.Pmull | CpuFeature.Sha1
        | CpuFeature.Sha2 | CpuFeature.Crc32 | CpuFeature.Atomics | CpuFeature.DcCvap | CpuFeature.CpuId;

    /// <summary>AT_HWCAP as arm64 Linux reports it (bit numbers from the kernel's uapi hwcap.h).</summary>
    public static ulong LinuxHwcap => Bit(CpuFeature.Fp, 0) | Bit(CpuFeature.AdvSimd, 1) | Bit(CpuFeature.Aes, 3) | Bit(CpuFeature.Pmull, 4)
        | Bit(CpuFeature.Sha1, 5) | Bit(CpuFeature.Sha2, 6) | Bit(CpuFeature.Crc32, 7) | Bit(CpuFeature.Atomics, 8)
        | Bit(CpuFeature.CpuId, 11) | Bit(CpuFeature.DcCvap, 16);

    /// <summary>AT_HWCAP2: none of its features are implemented.</summary>
    public static ulong LinuxHwcap2 => 0;

    /// <summary>Linux's "Features" line of /proc/cpuinfo for these features.</summary>
    public static string CpuInfoFeatures => string.Join(' ', new (CpuFeature Feature, string Name)[]
    {
        (CpuFeature.Fp, "fp"), (CpuFeature.AdvSimd, "asimd"), (CpuFeature.Aes, "aes"), (CpuFeature.Pmull, "pmull"),
        (CpuFeature.Sha1, "sha1"), (CpuFeature.Sha2, "sha2"), (CpuFeature.Crc32, "crc32"), (CpuFeature.Atomics, "atomics"),
        (CpuFeature.CpuId, "cpuid"), (CpuFeature.DcCvap, "dcpop"),
    }.Where(f => Has(f.Feature)).Select(f => f.Name));

    public static bool Has(CpuFeature feature) => (Implemented & feature) == feature;

    private static ulong Bit(CpuFeature feature, int bit) => Has(feature) ? 1UL << bit : 0;
}
