using System.Diagnostics;
using EdgeVisor.Emulation.Linux.Kernel;
using EdgeVisor.Emulation.Linux.Signals;
using EdgeVisor.Emulation.Linux.Threads;

namespace EdgeVisor.Emulation.Linux.Processes;

/// <summary>
/// System calls of the Processes feature: process creation (through clone, see <see cref="ForkSyscall"/>), execve,
/// waiting for children, process groups and sessions. A guest's children are host processes (forked edgevisors or
/// real host programs), so waiting and groups go to the host kernel, whose status words are Linux's.
/// </summary>
public static class ProcessSyscalls
{
    private const int WNoHang = 1;

    /// <summary>Longest sleep between two polls of a child that has not changed state yet.</summary>
    private const int MaxPollMilliseconds = 10;

    /// <summary>Installs this feature's handlers.</summary>
    public static void Register(SyscallTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        ThreadSyscalls.ForkHandler = ForkSyscall.Clone;
        table.Register(SyscallNumber.Wait4, Wait4);
        table.Register(SyscallNumber.Waitid, Waitid);
        table.Register(SyscallNumber.Execve, ExecveSyscall.Execve);
        table.Register(SyscallNumber.Getpgid, (_, in a) => HostCalls.Result(HostCalls.GetPgid((int)a.A0)));
        table.Register(SyscallNumber.Setpgid, (_, in a) => HostCalls.Result(HostCalls.SetPgid((int)a.A0, (int)a.A1)));
        table.Register(SyscallNumber.Getsid, (_, in a) => HostCalls.Result(HostCalls.GetSid((int)a.A0)));
        table.Register(SyscallNumber.Setsid, (_, in _) => HostCalls.Result(HostCalls.SetSid()));
    }

    /// <summary>wait4(pid, wstatus, options, rusage): struct rusage is the same 144 bytes on arm64 and x86-64.</summary>
    public static unsafe long Wait4(LinuxThread thread, in SyscallArguments args)
    {
        int pid = (int)args.A0;
        int options = (int)args.A2;
        ulong statusAddress = args.A1;
        ulong rusageAddress = args.A3;
        byte* rusage = stackalloc byte[RusageSize];
        int status = 0;
        long result = PollInterruptibly(thread, options, () =>
        {
            int s;
            int r = HostDescriptors.Wait4(pid, &s, options | WNoHang, rusage);
            status = s;
            return r < 0 ? HostCalls.Result(-1) : r;
        });
        if (result > 0)
        {
            var memory = thread.Process.Memory;
            if (statusAddress != 0 && !memory.TryWriteInt32(statusAddress, status))
            {
                return -Errno.EFAULT;
            }

            if (rusageAddress != 0 && !memory.TryWrite(rusageAddress, new ReadOnlySpan<byte>(rusage, RusageSize)))
            {
                return -Errno.EFAULT;
            }
        }

        return result;
    }

    /// <summary>waitid(idtype, id, infop, options, rusage): the child's siginfo has the same layout on both architectures.</summary>
    public static unsafe long Waitid(LinuxThread thread, in SyscallArguments args)
    {
        int idType = (int)args.A0;
        int id = (int)args.A1;
        int options = (int)args.A3;
        byte* info = stackalloc byte[SignalInfo.Size];
        new Span<byte>(info, SignalInfo.Size).Clear();
        long result = PollInterruptibly(thread, options, () =>
        {
            int r = HostDescriptors.Waitid(idType, id, info, options | WNoHang);
            if (r < 0)
            {
                return HostCalls.Result(-1);
            }

            return *(int*)(info + 16) != 0 ? 1 : 0; // si_pid is set once a child has changed state
        });
        if (result < 0)
        {
            return result;
        }

        if (args.A4 != 0)
        {
            Span<byte> zeroUsage = stackalloc byte[RusageSize];
            zeroUsage.Clear();
            thread.Process.Memory.TryWrite(args.A4, zeroUsage);
        }

        return args.A2 != 0 && !thread.Process.Memory.TryWrite(args.A2, new ReadOnlySpan<byte>(info, SignalInfo.Size)) ? -Errno.EFAULT : 0;
    }

    private const int RusageSize = 144;

    /// <summary>
    /// Polls <paramref name="poll"/> (a non-blocking wait: &gt; 0 done, 0 nothing yet, &lt; 0 error) until it reports,
    /// sleeping on the thread's signal gate between polls so that a signal interrupts the wait (-ERESTARTSYS).
    /// </summary>
    private static long PollInterruptibly(LinuxThread thread, int options, Func<long> poll)
    {
        int sleep = 1;
        while (true)
        {
            long result = poll();
            if (result != 0 || (options & WNoHang) != 0)
            {
                return result;
            }

            long deadline = Stopwatch.GetTimestamp() + (sleep * Stopwatch.Frequency / 1000);
            if (thread.SignalState.WaitInterruptibly(() => false, deadline) == WaitOutcome.Interrupted)
            {
                thread.SignalState.RestartX0 = thread.Cpu.X[0];
                return SignalDelivery.RestartSys;
            }

            sleep = Math.Min(sleep * 2, MaxPollMilliseconds);
        }
    }
}
