using EdgeVisor.Emulation.Arm64;
using EdgeVisor.Emulation.Arm64.Memory;
using EdgeVisor.Emulation.Linux.Signals;

namespace EdgeVisor.Emulation.Linux.Kernel;

/// <summary>
/// Turns a core stop that is the guest's own fault into the synchronous signal Linux raises for it, with the
/// si_code and si_addr the arm64 kernel reports.
/// </summary>
internal static class FaultSignals
{
    // Signal numbers and si_code values (asm-generic/signal.h, uapi/asm-generic/siginfo.h).
    public const int Sigill = 4;
    public const int Sigtrap = 5;
    public const int Sigbus = 7;
    public const int Sigsegv = 11;
    public const int IllIllopc = 1;
    public const int TrapBrkpt = 1;
    public const int BusAdraln = 1;
    public const int SegvMaperr = 1;
    public const int SegvAccerr = 2;

    public static void Raise(LinuxThread thread, Arm64Stop stop)
    {
        var cpu = thread.Cpu;
        switch (stop.Kind)
        {
            case Arm64StopKind.Undefined:
                if (thread.Process.ReportedUndefinedEncodings.TryAdd(stop.Detail, true))
                {
                    thread.Process.Diagnostics?.WriteLine($"edgevisor: undefined instruction 0x{stop.Detail:x8} at 0x{cpu.Pc:x}");
                }

                SignalDelivery.RaiseFault(thread, Sigill, IllIllopc, cpu.Pc);
                break;
            case Arm64StopKind.Halt:
                SignalDelivery.RaiseFault(thread, Sigill, IllIllopc, cpu.Pc);
                break;
            case Arm64StopKind.Breakpoint:
                SignalDelivery.RaiseFault(thread, Sigtrap, TrapBrkpt, cpu.Pc);
                break;
            case Arm64StopKind.DataAbort when stop.Alignment:
            case Arm64StopKind.PcAlignment:
                SignalDelivery.RaiseFault(thread, Sigbus, BusAdraln, stop.Address);
                break;
            case Arm64StopKind.DataAbort:
            case Arm64StopKind.InstructionAbort:
                SignalDelivery.RaiseFault(thread, Sigsegv, SegvCode(thread.Process.Memory, stop.Address), stop.Address);
                break;
            default:
                throw new InvalidOperationException($"unexpected core stop {stop.Kind}");
        }
    }

    /// <summary>SEGV_ACCERR when the page exists but refuses the access, SEGV_MAPERR when nothing is mapped there.</summary>
    public static int SegvCode(GuestMemory memory, ulong address) =>
        address < memory.Size && memory.IsMapped(address & ~GuestMemory.PageMask, GuestMemory.PageSize) ? SegvAccerr : SegvMaperr;
}
