using EdgeVisor.Emulation.Arm64.SystemInstructions;

namespace EdgeVisor.Emulation.Linux.Loading;

/// <summary>Auxiliary vector entry types (uapi/linux/auxvec.h, arm64's asm/auxvec.h).</summary>
public static class AuxiliaryVector
{
    public const ulong Null = 0;
    public const ulong ProgramHeaders = 3;
    public const ulong ProgramHeaderEntrySize = 4;
    public const ulong ProgramHeaderCount = 5;
    public const ulong PageSize = 6;
    public const ulong InterpreterBase = 7;
    public const ulong Flags = 8;
    public const ulong Entry = 9;
    public const ulong Uid = 11;
    public const ulong EffectiveUid = 12;
    public const ulong Gid = 13;
    public const ulong EffectiveGid = 14;
    public const ulong Platform = 15;
    public const ulong HardwareCapabilities = 16;
    public const ulong ClockTicks = 17;
    public const ulong Secure = 23;
    public const ulong Random = 25;
    public const ulong HardwareCapabilities2 = 26;
    public const ulong ExecutableName = 31;
    public const ulong MinimumSignalStackSize = 51;

    /// <summary>sysconf(_SC_CLK_TCK): Linux reports USER_HZ = 100.</summary>
    public const ulong ClockTicksPerSecond = 100;

    /// <summary>
    /// AT_MINSIGSTKSZ: the arm64 kernel reports the size of its signal frame without SVE/SME state, which is the
    /// MINSIGSTKSZ of arm64's asm/signal.h.
    /// </summary>
    public const ulong MinimumSignalStack = 5120;
}

/// <summary>
/// AT_HWCAP and AT_HWCAP2: derived from what the core declares it implements (<see cref="CpuFeatures"/>). glibc picks
/// its string and memory routines from these, so a feature must never be advertised before the core runs it.
/// </summary>
public static class HardwareCapabilities
{
    /// <summary>AT_HWCAP.</summary>
    public static ulong Default => CpuFeatures.LinuxHwcap;

    /// <summary>AT_HWCAP2.</summary>
    public static ulong Default2 => CpuFeatures.LinuxHwcap2;
}
