using System.Text;

namespace EdgeVisor.Emulation.CortexM;

/// <summary>
/// The fault status and address registers: CFSR (MMFSR, BFSR, UFSR), HFSR, DFSR, MMFAR, BFAR, AFSR.
/// Status bits are write-one-to-clear. ARMv6-M has none of them except DFSR; they read as zero there.
/// </summary>
public sealed class FaultStatus
{
    // CFSR bits.
    public const uint IAccViol = 1u << 0;
    public const uint DAccViol = 1u << 1;
    public const uint MUnstkErr = 1u << 3;
    public const uint MStkErr = 1u << 4;
    public const uint MLspErr = 1u << 5;
    public const uint MmarValid = 1u << 7;
    public const uint IBusErr = 1u << 8;
    public const uint PreciseErr = 1u << 9;
    public const uint UnstkErr = 1u << 11;
    public const uint StkErr = 1u << 12;
    public const uint LspErr = 1u << 13;
    public const uint BfarValid = 1u << 15;
    public const uint UndefInstr = 1u << 16;
    public const uint InvState = 1u << 17;
    public const uint InvPc = 1u << 18;
    public const uint NoCp = 1u << 19;
    public const uint Unaligned = 1u << 24;
    public const uint DivByZero = 1u << 25;

    // HFSR bits.
    public const uint VectTbl = 1u << 1;
    public const uint Forced = 1u << 30;
    public const uint DebugEvt = 1u << 31;

    // DFSR bits.
    public const uint Bkpt = 1u << 1;

    private static readonly (uint Bit, string Name)[] CfsrNames =
    [
        (IAccViol, "IACCVIOL"), (DAccViol, "DACCVIOL"), (MUnstkErr, "MUNSTKERR"), (MStkErr, "MSTKERR"), (MLspErr, "MLSPERR"),
        (MmarValid, "MMARVALID"), (IBusErr, "IBUSERR"), (PreciseErr, "PRECISERR"), (UnstkErr, "UNSTKERR"), (StkErr, "STKERR"),
        (LspErr, "LSPERR"), (BfarValid, "BFARVALID"), (UndefInstr, "UNDEFINSTR"), (InvState, "INVSTATE"), (InvPc, "INVPC"),
        (NoCp, "NOCP"), (Unaligned, "UNALIGNED"), (DivByZero, "DIVBYZERO"),
    ];

    private static readonly (uint Bit, string Name)[] HfsrNames = [(VectTbl, "VECTTBL"), (Forced, "FORCED"), (DebugEvt, "DEBUGEVT")];

    /// <summary>Configurable Fault Status Register (0xE000ED28).</summary>
    public uint Cfsr { get; set; }

    /// <summary>HardFault Status Register (0xE000ED2C).</summary>
    public uint Hfsr { get; set; }

    /// <summary>Debug Fault Status Register (0xE000ED30).</summary>
    public uint Dfsr { get; set; }

    /// <summary>MemManage Fault Address Register (0xE000ED34), valid while CFSR.MMARVALID.</summary>
    public uint Mmfar { get; set; }

    /// <summary>BusFault Address Register (0xE000ED38), valid while CFSR.BFARVALID.</summary>
    public uint Bfar { get; set; }

    /// <summary>Auxiliary Fault Status Register (0xE000ED3C), implementation defined; kept as written.</summary>
    public uint Afsr { get; set; }

    /// <summary>One line naming the set bits of CFSR and HFSR, with the fault addresses that are valid.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        text.Append($"cfsr 0x{Cfsr:X8}{Names(Cfsr, CfsrNames)}  hfsr 0x{Hfsr:X8}{Names(Hfsr, HfsrNames)}");
        if ((Cfsr & MmarValid) != 0)
        {
            text.Append($"  mmfar 0x{Mmfar:X8}");
        }

        if ((Cfsr & BfarValid) != 0)
        {
            text.Append($"  bfar 0x{Bfar:X8}");
        }

        return text.ToString();
    }

    internal void Reset()
    {
        Cfsr = 0;
        Hfsr = 0;
        Dfsr = 0;
        Mmfar = 0;
        Bfar = 0;
        Afsr = 0;
    }

    private static string Names(uint value, (uint Bit, string Name)[] names)
    {
        var set = names.Where(n => (value & n.Bit) != 0).Select(n => n.Name).ToArray();
        return set.Length == 0 ? "" : $" ({string.Join(' ', set)})";
    }
}
