namespace EdgeVisor.Emulation.CortexM;

/// <summary>The M-profile architecture versions a model implements.</summary>
public enum MProfileArchitecture
{
    /// <summary>ARMv6-M: Thumb plus a handful of 32-bit system instructions (M0, M0+).</summary>
    V6M,

    /// <summary>ARMv7-M: full Thumb-2, hardware divide, bit-field, saturation, exclusives (M3).</summary>
    V7M,

    /// <summary>ARMv7E-M: ARMv7-M plus the DSP extension (M4, M7).</summary>
    V7EM,
}

/// <summary>The floating-point unit a model carries.</summary>
public enum FpuKind
{
    None,

    /// <summary>FPv4-SP: single precision, VFPv4-D16 register file (Cortex-M4F).</summary>
    FPv4SP,

    /// <summary>FPv5 single precision: FPv4-SP plus VSEL, VMAXNM/VMINNM, VRINT*, VCVT{A,N,P,M} (Cortex-M7 SP).</summary>
    FPv5SP,
}

/// <summary>
/// A CPU model: which instructions exist, what the ID registers say, what the system block holds.
/// The decoder and the system registers consult it; an instruction the model lacks is UNDEFINED.
/// </summary>
public sealed record CortexMModel(string Name, MProfileArchitecture Architecture, FpuKind Fpu, bool HasMpu, uint CpuId)
{
    public static readonly IReadOnlyList<CortexMModel> All =
    [
        new("cortex-m0", MProfileArchitecture.V6M, FpuKind.None, false, 0x410CC200),
        new("cortex-m0plus", MProfileArchitecture.V6M, FpuKind.None, true, 0x410CC601),
        new("cortex-m3", MProfileArchitecture.V7M, FpuKind.None, true, 0x412FC231),
        new("cortex-m4", MProfileArchitecture.V7EM, FpuKind.None, true, 0x410FC241),
        new("cortex-m4f", MProfileArchitecture.V7EM, FpuKind.FPv4SP, true, 0x410FC241),
        new("cortex-m7", MProfileArchitecture.V7EM, FpuKind.FPv5SP, true, 0x411FC272),
    ];

    public bool IsV6M => Architecture == MProfileArchitecture.V6M;

    /// <summary>32-bit Thumb-2 data processing, IT, CBZ/CBNZ, exclusives, bit-field, saturation, divide.</summary>
    public bool HasThumb2 => Architecture != MProfileArchitecture.V6M;

    /// <summary>The DSP extension: SIMD add/sub, saturating arithmetic, packing, long multiplies with accumulation.</summary>
    public bool HasDsp => Architecture == MProfileArchitecture.V7EM;

    public bool HasFpu => Fpu != FpuKind.None;

    public static CortexMModel? Find(string name) =>
        All.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase));
}
