using EdgeVisor.Emulation.Arm64;
using EdgeVisor.Emulation.Linux.Signals;

namespace EdgeVisor.Emulation.Linux.Kernel;

/// <summary>
/// The kernel side of one guest thread: runs the core until it stops, then does what the stop asks for — a system
/// call (X8 = number, X0..X5 = arguments, result in X0), or a synchronous signal for a fault — and delivers pending
/// signals before resuming, as the kernel does on every return to user space.
/// </summary>
internal static class ThreadRunLoop
{
    /// <summary>Exit code when EdgeVisor itself fails inside a system call (sysexits EX_SOFTWARE).</summary>
    public const int InternalErrorExitCode = 70;

    public static void Run(LinuxThread thread)
    {
        var cpu = thread.Cpu;
        var process = thread.Process;
        while (!thread.ShouldLeave)
        {
            var stop = cpu.Run();
            try
            {
                switch (stop.Kind)
                {
                    case Arm64StopKind.Syscall:
                        DoSyscall(thread, cpu, process);
                        break;
                    case Arm64StopKind.Interrupted:
                    case Arm64StopKind.InstructionLimit:
                        if (!thread.ShouldLeave)
                        {
                            SignalDelivery.DeliverPending(thread);
                        }

                        break;
                    default:
                        FaultSignals.Raise(thread, stop);
                        break;
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A bug in EdgeVisor, not in the guest: say so on one line and end the process rather than go on
                // with a half-done system call.
                process.Diagnostics?.WriteLine($"edgevisor: internal error after {Describe(stop, cpu)}: {e.GetType().Name}: {e.Message}");
                process.ExitGroup(ExitStatus.Exited(InternalErrorExitCode));
            }
        }
    }

    private static void DoSyscall(LinuxThread thread, Arm64Cpu cpu, LinuxProcess process)
    {
        ulong number = cpu.X[8];
        var args = new SyscallArguments(cpu.X[0], cpu.X[1], cpu.X[2], cpu.X[3], cpu.X[4], cpu.X[5]);
        long result = process.Syscalls.Dispatch(thread, number, args);
        if (result != SyscallTable.NoReturnValue)
        {
            cpu.X[0] = (ulong)result;
        }

        process.SyscallTrace?.WriteLine(SyscallTracer.Format(thread, number, args, result));
        if (!thread.ShouldLeave)
        {
            SignalDelivery.DeliverPending(thread);
        }
    }

    private static string Describe(Arm64Stop stop, Arm64Cpu cpu) => stop.Kind == Arm64StopKind.Syscall
        ? $"syscall {cpu.X[8]} at 0x{cpu.Pc - 4:x}"
        : $"{stop.Kind} at 0x{cpu.Pc:x}";
}
