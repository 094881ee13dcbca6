namespace EdgeVisor.Emulation.CortexM;

/// <summary>Exception numbers of the M-profile vector table (IPSR values). External interrupt n is 16 + n.</summary>
public static class ExceptionNumber
{
    public const int Reset = 1;
    public const int Nmi = 2;
    public const int HardFault = 3;
    public const int MemManage = 4;
    public const int BusFault = 5;
    public const int UsageFault = 6;
    public const int SVCall = 11;
    public const int DebugMonitor = 12;
    public const int PendSV = 14;
    public const int SysTick = 15;

    /// <summary>Exception number of external interrupt line 0.</summary>
    public const int FirstExternal = 16;

    /// <summary>A short name for diagnostics ("HardFault", "IRQ5").</summary>
    public static string Name(int exception) => exception switch
    {
        0 => "Thread",
        Reset => "Reset",
        Nmi => "NMI",
        HardFault => "HardFault",
        MemManage => "MemManage",
        BusFault => "BusFault",
        UsageFault => "UsageFault",
        SVCall => "SVCall",
        DebugMonitor => "DebugMonitor",
        PendSV => "PendSV",
        SysTick => "SysTick",
        >= FirstExternal => $"IRQ{exception - FirstExternal}",
        _ => $"reserved exception {exception}",
    };
}
