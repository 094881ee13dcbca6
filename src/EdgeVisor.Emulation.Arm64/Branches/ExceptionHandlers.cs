using EdgeVisor.Emulation.Arm64.Decoding;

namespace EdgeVisor.Emulation.Arm64.Branches;

/// <summary>SVC, BRK, HLT: stop the run for the kernel layer with the 16-bit immediate.</summary>
internal static class ExceptionHandlers
{
    /// <summary>SVC: PC stays after the instruction (preset by the run loop), where the syscall returns to.</summary>
    public static void SupervisorCall(Arm64Cpu cpu, ref Op op) => cpu.RaiseStop(new Arm64Stop(Arm64StopKind.Syscall, op.Address, (uint)op.Imm));

    /// <summary>BRK: stops at the instruction (Linux delivers SIGTRAP with the PC at the BRK).</summary>
    public static void Breakpoint(Arm64Cpu cpu, ref Op op)
    {
        cpu.Pc = op.Address;
        cpu.RaiseStop(new Arm64Stop(Arm64StopKind.Breakpoint, op.Address, (uint)op.Imm));
    }

    /// <summary>HLT: stops at the instruction (no external debugger: Linux delivers SIGILL).</summary>
    public static void Halt(Arm64Cpu cpu, ref Op op)
    {
        cpu.Pc = op.Address;
        cpu.RaiseStop(new Arm64Stop(Arm64StopKind.Halt, op.Address, (uint)op.Imm));
    }
}
