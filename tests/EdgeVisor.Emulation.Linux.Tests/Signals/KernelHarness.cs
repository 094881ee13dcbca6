using EdgeVisor.Emulation.Arm64;
using EdgeVisor.Emulation.Arm64.Memory;
using EdgeVisor.Emulation.Linux.Kernel;

namespace EdgeVisor.Emulation.Linux.Tests.Signals;

/// <summary>
/// A process with one thread over a small address space, for calling system call handlers directly:
/// data at 0x100000 (RW, 64 KiB), a stack whose top is 0x800000 (RW, 64 KiB).
/// </summary>
internal sealed class KernelHarness : IDisposable
{
    public const ulong Data = 0x100000;
    public const ulong StackTop = 0x800000;

    public KernelHarness()
    {
        var memory = new GuestMemory(32);
        memory.Map(Data, 0x10000, PagePermissions.ReadWrite);
        memory.Map(StackTop - 0x10000, 0x10000, PagePermissions.ReadWrite);
        Process = new LinuxProcess(memory, SyscallTable.CreateDefault());
        Thread = NewThread();
        Thread.Cpu.Sp = StackTop;
    }

    public LinuxProcess Process { get; }

    public LinuxThread Thread { get; }

    public GuestMemory Memory => Process.Memory;

    /// <summary>A registered thread that is not running (the first one is the main thread, tid = pid).</summary>
    public LinuxThread NewThread() => Process.CreateThread(new Arm64Cpu(Process.Memory, Process.Blocks));

    /// <summary>Runs syscall <paramref name="number"/> for <paramref name="thread"/> (default: the main thread).</summary>
    public long Call(SyscallNumber number, ulong a0 = 0, ulong a1 = 0, ulong a2 = 0, ulong a3 = 0, ulong a4 = 0, ulong a5 = 0, LinuxThread? thread = null) =>
        Process.Syscalls.Dispatch(thread ?? Thread, (ulong)number, new SyscallArguments(a0, a1, a2, a3, a4, a5));

    /// <summary>Runs a syscall as the run loop does: result to X0 (unless NoReturnValue), then signal delivery.</summary>
    public void CallAsLoop(SyscallNumber number, ulong a0 = 0, ulong a1 = 0, ulong a2 = 0, ulong a3 = 0, LinuxThread? thread = null)
    {
        var t = thread ?? Thread;
        long result = Call(number, a0, a1, a2, a3, thread: t);
        if (result != SyscallTable.NoReturnValue)
        {
            t.Cpu.X[0] = (ulong)result;
        }

        EdgeVisor.Emulation.Linux.Signals.SignalDelivery.DeliverPending(t);
    }

    /// <summary>Runs <paramref name="action"/> on a new host thread after <paramref name="milliseconds"/>.</summary>
    public static System.Threading.Thread After(int milliseconds, Action action)
    {
        var thread = new System.Threading.Thread(() =>
        {
            System.Threading.Thread.Sleep(milliseconds);
            action();
        });
        thread.Start();
        return thread;
    }

    public void Dispose() => Process.Dispose();
}
