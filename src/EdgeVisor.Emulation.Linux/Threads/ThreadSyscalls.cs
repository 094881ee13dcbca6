using EdgeVisor.Emulation.Arm64;
using EdgeVisor.Emulation.Linux.Kernel;
using EdgeVisor.Emulation.Linux.Signals;

namespace EdgeVisor.Emulation.Linux.Threads;

/// <summary>System calls of the Threads feature: clone of threads, futex, set_tid_address, robust lists.</summary>
public static class ThreadSyscalls
{
    private const int FutexWait = 0;
    private const int FutexWake = 1;
    private const int FutexRequeue = 3;
    private const int FutexCmpRequeue = 4;
    private const int FutexWakeOp = 5;
    private const int FutexWaitBitset = 9;
    private const int FutexWakeBitset = 10;
    private const int FutexPrivateFlag = 128;
    private const int FutexClockRealtime = 256;

    /// <summary>What glibc's pthread_create passes: a thread in the same address space, file table and handlers.</summary>
    private const CloneFlags ThreadFlags = CloneFlags.Vm | CloneFlags.Fs | CloneFlags.Files | CloneFlags.Sighand | CloneFlags.Thread;

    /// <summary>Process creation (fork/vfork/clone without CLONE_VM), provided by the Processes feature.</summary>
    public static SyscallHandler? ForkHandler { get; set; }

    /// <summary>Installs this feature's handlers.</summary>
    public static void Register(SyscallTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        table.Register(SyscallNumber.Clone, Clone);
        table.Register(SyscallNumber.Clone3, (_, in _) => -Errno.ENOSYS); // glibc falls back to clone
        table.Register(SyscallNumber.Futex, Futex);
        table.Register(SyscallNumber.SetTidAddress, SetTidAddress);
        table.Register(SyscallNumber.SetRobustList, SetRobustList);
        table.Register(SyscallNumber.GetRobustList, GetRobustList);
    }

    /// <summary>clone(flags, newsp, parent_tid, tls, child_tid) — arm64 argument order.</summary>
    public static long Clone(LinuxThread thread, in SyscallArguments args)
    {
        var flags = (CloneFlags)args.A0;
        if ((flags & CloneFlags.Vm) == 0 || (flags & CloneFlags.Vfork) != 0)
        {
            return ForkHandler is { } fork ? fork(thread, args) : -Errno.ENOSYS;
        }

        if ((flags & ThreadFlags) != ThreadFlags)
        {
            // A shared address space without a shared thread group (old LinuxThreads-style clones) is not emulated.
            return (flags & CloneFlags.Thread) != 0 && (flags & CloneFlags.Sighand) == 0 ? -Errno.EINVAL : -Errno.ENOSYS;
        }

        var process = thread.Process;
        var cpu = new Arm64Cpu(process.Memory, process.Blocks);
        cpu.CopyStateFrom(thread.Cpu);
        cpu.X[0] = 0;
        if (args.A1 != 0)
        {
            cpu.Sp = args.A1;
        }

        if ((flags & CloneFlags.SetTls) != 0)
        {
            cpu.TpidrEl0 = args.A3;
        }

        _ = process.SignalState; // exit hooks attached before any thread can leave
        var child = process.CreateThread(cpu);
        int tid = child.Tid;
        if ((flags & CloneFlags.ParentSetTid) != 0)
        {
            process.Memory.TryWriteInt32(args.A2, tid);
        }

        if ((flags & CloneFlags.ChildSetTid) != 0)
        {
            process.Memory.TryWriteInt32(args.A4, tid);
        }

        if ((flags & CloneFlags.ChildClearTid) != 0)
        {
            child.ClearChildTidAddress = args.A4;
        }

        // The new thread inherits the mask; its alternate stack is not shared (a CLONE_VM child starts without one).
        child.SignalState.Blocked = thread.SignalState.Blocked;
        child.Start();
        return tid;
    }

    /// <summary>set_tid_address(tidptr): returns the caller's tid.</summary>
    public static long SetTidAddress(LinuxThread thread, in SyscallArguments args)
    {
        _ = thread.Process.SignalState; // exit hooks attached
        thread.ClearChildTidAddress = args.A0;
        return thread.Tid;
    }

    /// <summary>set_robust_list(head, len).</summary>
    public static long SetRobustList(LinuxThread thread, in SyscallArguments args)
    {
        if (args.A1 != RobustList.HeadSize)
        {
            return -Errno.EINVAL;
        }

        _ = thread.Process.SignalState; // exit hooks attached
        thread.RobustListHead = args.A0;
        return 0;
    }

    /// <summary>get_robust_list(pid, head_ptr, len_ptr): for this process's threads only.</summary>
    public static long GetRobustList(LinuxThread thread, in SyscallArguments args)
    {
        int tid = (int)args.A0;
        var target = tid == 0 ? thread : CoreThreads.Find(thread.Process, tid);
        if (target is null)
        {
            return -Errno.ESRCH;
        }

        var memory = thread.Process.Memory;
        return memory.TryWriteUInt64(args.A1, target.RobustListHead) && memory.TryWriteUInt64(args.A2, RobustList.HeadSize) ? 0 : -Errno.EFAULT;
    }

    /// <summary>futex(uaddr, op, val, timeout/val2, uaddr2, val3).</summary>
    public static long Futex(LinuxThread thread, in SyscallArguments args)
    {
        int op = (int)args.A1;
        int command = op & ~(FutexPrivateFlag | FutexClockRealtime);
        bool realtime = (op & FutexClockRealtime) != 0;
        ulong address = args.A0;
        uint value = (uint)args.A2;
        var futexes = thread.Process.Futexes;
        if ((address & 3) != 0)
        {
            return -Errno.EINVAL;
        }

        if (realtime && command is not (FutexWait or FutexWaitBitset))
        {
            return -Errno.ENOSYS;
        }

        switch (command)
        {
            case FutexWait:
            case FutexWaitBitset:
            {
                uint bitset = command == FutexWait ? FutexTable.MatchAny : (uint)args.A5;
                if (bitset == 0)
                {
                    return -Errno.EINVAL;
                }

                // FUTEX_WAIT's timeout is relative; FUTEX_WAIT_BITSET's is absolute on the chosen clock.
                long error = GuestTimeout.Read(thread.Process.Memory, args.A3, absolute: command == FutexWaitBitset,
                    realtime ? GuestTimeout.ClockRealtime : GuestTimeout.ClockMonotonic, out long deadline);
                if (error != 0)
                {
                    return error;
                }

                long result = futexes.Wait(thread, address, value, bitset, deadline);
                if (result == -Errno.EINTR)
                {
                    // Restartable for SA_RESTART handlers; for an absolute timeout the restart keeps the same deadline.
                    thread.SignalState.RestartX0 = args.A0;
                    return command == FutexWait && args.A3 != 0 ? -Errno.EINTR : SignalDelivery.RestartSys;
                }

                return result;
            }

            case FutexWake:
                return futexes.Wake(address, ClampCount(value));
            case FutexWakeBitset:
                return (uint)args.A5 == 0 ? -Errno.EINVAL : futexes.Wake(address, ClampCount(value), (uint)args.A5);
            case FutexRequeue:
            case FutexCmpRequeue:
                if ((args.A4 & 3) != 0)
                {
                    return -Errno.EINVAL;
                }

                return futexes.Requeue(thread, address, args.A4, ClampCount(value), ClampCount((uint)args.A3), command == FutexCmpRequeue ? (uint)args.A5 : null);
            case FutexWakeOp:
                return futexes.WakeOp(thread, address, args.A4, ClampCount(value), ClampCount((uint)args.A3), (uint)args.A5);
            default:
                return -Errno.ENOSYS; // PI futexes and FUTEX_WAIT_REQUEUE_PI: glibc uses them only for PI mutexes
        }
    }

    private static int ClampCount(uint value) => value > int.MaxValue ? int.MaxValue : (int)value;
}
