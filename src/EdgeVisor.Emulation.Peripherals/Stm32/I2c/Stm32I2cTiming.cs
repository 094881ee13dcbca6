using static EdgeVisor.Emulation.Peripherals.Stm32.I2c.Stm32I2cRegisters;

namespace EdgeVisor.Emulation.Peripherals.Stm32.I2c;

/// <summary>
/// How long things take on the wire, in core cycles: the SCL period follows CCR (RM0090 §27.6.8) in PCLK1 ticks
/// — standard mode T_high = T_low = CCR, fast mode 1:2 (CCR + 2·CCR) or 16:9 (16·CCR + 9·CCR) — and a byte
/// with its acknowledge bit is nine SCL periods. START and STOP take one SCL period each. The SCL rise time
/// (TRISE) is not added, so the bus runs a little faster than a real one with slow edges.
/// </summary>
internal static class Stm32I2cTiming
{
    /// <summary>SCL periods one byte plus its ACK/NACK bit takes.</summary>
    public const int PeriodsPerByte = 9;

    // RM0090: CCR's minimum is 4 in standard mode and 1 in fast mode; smaller values behave as the minimum here.
    private const uint StandardMinimum = 4;
    private const uint FastMinimum = 1;

    /// <summary>One SCL period in PCLK1 ticks for the CCR value <paramref name="ccr"/>.</summary>
    public static ulong SclPeriodInPclkTicks(uint ccr)
    {
        uint value = ccr & CcrValueMask;
        if ((ccr & FastMode) == 0)
        {
            return 2ul * Math.Max(value, StandardMinimum);
        }

        value = Math.Max(value, FastMinimum);
        return (ccr & Duty) != 0 ? 25ul * value : 3ul * value;
    }

    /// <summary><paramref name="periods"/> SCL periods in core cycles (rounded up, at least one cycle).</summary>
    public static ulong CoreCycles(uint ccr, int periods, ulong pclkHz, ulong coreHz)
    {
        UInt128 ticks = (UInt128)SclPeriodInPclkTicks(ccr) * (uint)periods;
        UInt128 cycles = ((ticks * coreHz) + pclkHz - 1) / pclkHz;
        return (ulong)UInt128.Clamp(cycles, 1, ulong.MaxValue);
    }
}
