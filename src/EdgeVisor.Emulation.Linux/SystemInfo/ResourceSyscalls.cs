using EdgeVisor.Emulation.Linux.Kernel;

namespace EdgeVisor.Emulation.Linux.SystemInfo;

/// <summary>
/// Resource limits and usage, and the scheduler calls a program makes about itself. Limits are the host's, except
/// RLIMIT_STACK, which reports (and records) the guest's own stack size.
/// </summary>
public static unsafe class ResourceSyscalls
{
    private const int ResourceStack = 3;
    private const int ResourceOpenFiles = 7;
    private const int ResourceCount = 16;
    private const int RusageSize = 144;
    private const int RusageSelf = 0;
    private const int RusageChildren = -1;
    private const int RusageThread = 1;
    private const int MaxAffinityBytes = 1024;

    /// <summary>Installs these calls.</summary>
    public static void Register(SyscallTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        table.Register(SyscallNumber.Getrlimit, (LinuxThread t, in SyscallArguments a) => Limit(t, 0, (int)a.A0, 0, a.A1));
        table.Register(SyscallNumber.Setrlimit, (LinuxThread t, in SyscallArguments a) => Limit(t, 0, (int)a.A0, a.A1, 0));
        table.Register(SyscallNumber.Prlimit64, (LinuxThread t, in SyscallArguments a) => Limit(t, (int)a.A0, (int)a.A1, a.A2, a.A3));
        table.Register(SyscallNumber.Getrusage, Getrusage);
        table.Register(SyscallNumber.SchedGetaffinity, GetAffinity);
        table.Register(SyscallNumber.SchedSetaffinity, SetAffinity);
        table.Register(SyscallNumber.SchedYield, (LinuxThread _, in SyscallArguments _) =>
        {
            Thread.Yield();
            return 0;
        });
        table.Register(SyscallNumber.Getcpu, GetCpu);
    }

    private static long Limit(LinuxThread thread, int pid, int resource, ulong newAddress, ulong oldAddress)
    {
        if ((uint)resource >= ResourceCount)
        {
            return -Errno.EINVAL;
        }

        var memory = thread.Process.Memory;
        ulong* limits = stackalloc ulong[2];
        ulong* previous = stackalloc ulong[2];
        if (newAddress != 0 && !memory.TryRead(newAddress, new Span<byte>(limits, 16)))
        {
            return -Errno.EFAULT;
        }

        if (newAddress != 0 && limits[0] > limits[1])
        {
            return -Errno.EINVAL;
        }

        bool self = pid == 0 || pid == thread.Process.Pid;
        if (self && resource == ResourceStack)
        {
            var process = thread.Process;
            previous[0] = process.StackLimit.Current;
            previous[1] = process.StackLimit.Maximum;
            if (newAddress != 0)
            {
                if (limits[1] > previous[1] && HostSystem.GetEffectiveUid() != 0)
                {
                    return -Errno.EPERM;
                }

                process.StackLimit = (limits[0], limits[1]);
            }
        }
        else if (HostSystem.Prlimit(self ? 0 : pid, resource, newAddress != 0 ? limits : null, previous) < 0)
        {
            return HostSystem.LastError();
        }
        else if (self && resource == ResourceOpenFiles && newAddress != 0)
        {
            // The guest's descriptor table enforces RLIMIT_NOFILE itself (EMFILE).
            thread.Process.Files.Limit = (int)Math.Min(limits[0], int.MaxValue);
        }

        return oldAddress == 0 || memory.TryWrite(oldAddress, new ReadOnlySpan<byte>(previous, 16)) ? 0 : -Errno.EFAULT;
    }

    private static long Getrusage(LinuxThread thread, in SyscallArguments args)
    {
        int who = (int)args.A0;
        if (who is not (RusageSelf or RusageChildren or RusageThread))
        {
            return -Errno.EINVAL;
        }

        Span<byte> buffer = stackalloc byte[RusageSize];
        fixed (byte* p = buffer)
        {
            if (HostSystem.GetRusage(who, p) < 0)
            {
                return HostSystem.LastError();
            }
        }

        return thread.Process.Memory.TryWrite(args.A1, buffer) ? 0 : -Errno.EFAULT;
    }

    private static long GetAffinity(LinuxThread thread, in SyscallArguments args)
    {
        ulong length = args.A1;
        int kernelSize = 8 * ((Environment.ProcessorCount + 63) / 64);
        if (length < (ulong)kernelSize || (length & 7) != 0)
        {
            return -Errno.EINVAL;
        }

        int size = (int)Math.Min(length, MaxAffinityBytes);
        Span<byte> mask = stackalloc byte[size];
        fixed (byte* p = mask)
        {
            if (HostSystem.SchedGetAffinity(HostPid(thread, (int)args.A0), (nuint)size, p) < 0)
            {
                return HostSystem.LastError();
            }
        }

        return thread.Process.Memory.TryWrite(args.A2, mask[..kernelSize]) ? kernelSize : -Errno.EFAULT;
    }

    private static long SetAffinity(LinuxThread thread, in SyscallArguments args)
    {
        // Accepted but not applied: the guest's threads share the host's CPUs as the host schedules them.
        Span<byte> mask = stackalloc byte[(int)Math.Min(args.A1, MaxAffinityBytes)];
        if (!thread.Process.Memory.TryRead(args.A2, mask))
        {
            return -Errno.EFAULT;
        }

        return mask.IndexOfAnyExcept((byte)0) < 0 ? -Errno.EINVAL : 0;
    }

    private static long GetCpu(LinuxThread thread, in SyscallArguments args)
    {
        int cpu = Math.Max(HostSystem.SchedGetCpu(), 0);
        var memory = thread.Process.Memory;
        if (args.A0 != 0 && !memory.TryWriteInt32(args.A0, cpu))
        {
            return -Errno.EFAULT;
        }

        return args.A1 == 0 || memory.TryWriteInt32(args.A1, 0) ? 0 : -Errno.EFAULT;
    }

    /// <summary>A guest thread id of this process means "the calling thread" to the host (0); other pids are host pids.</summary>
    private static int HostPid(LinuxThread thread, int pid) => pid == 0 || thread.Process.TryGetThread(pid, out _) ? 0 : pid;
}
