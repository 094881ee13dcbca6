using EdgeVisor.Emulation.Semihosting;

namespace EdgeVisor.Emulation.CortexM;

/// <summary>How a board configures its core: the NVIC's shape, the reset vector table, and the semihosting host.</summary>
public sealed record CortexMConfiguration
{
    /// <summary>Implemented priority bits (3 on MPS2, 4 on STM32F4, 2 on M0).</summary>
    public int PriorityBits { get; init; } = 3;

    /// <summary>External interrupt lines (1..496).</summary>
    public int Interrupts { get; init; } = 32;

    /// <summary>VTOR at reset.</summary>
    public uint InitialVtor { get; init; }

    /// <summary>
    /// Frequency of SysTick's reference clock (CLKSOURCE=0) in Hz; SYST_CALIB.TENMS derives from it.
    /// 0, or a value not below the core clock, means there is none (CALIB.NOREF, CLKSOURCE reads 1).
    /// </summary>
    public ulong SysTickReferenceHz { get; init; } = 1_000_000;

    /// <summary>Services BKPT 0xAB; null means semihosting calls are ordinary breakpoints.</summary>
    public SemihostingHost? Semihosting { get; init; }
}
