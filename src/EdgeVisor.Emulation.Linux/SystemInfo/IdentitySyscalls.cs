using EdgeVisor.Emulation.Linux.Kernel;

namespace EdgeVisor.Emulation.Linux.SystemInfo;

/// <summary>
/// Process, thread, user and group ids. The guest is the host process (guest pid = host pid), so user and group ids
/// and their changes are the host's, with the host's permission checks.
/// </summary>
public static unsafe class IdentitySyscalls
{
    private const int MaxGroups = 65536;

    /// <summary>Installs the identity calls.</summary>
    public static void Register(SyscallTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        table.Register(SyscallNumber.Getpid, (LinuxThread t, in SyscallArguments _) => t.Process.Pid);
        table.Register(SyscallNumber.Getppid, (LinuxThread _, in SyscallArguments _) => HostSystem.GetParentPid());
        table.Register(SyscallNumber.Gettid, (LinuxThread t, in SyscallArguments _) => t.Tid);
        table.Register(SyscallNumber.Getuid, (LinuxThread _, in SyscallArguments _) => HostSystem.GetUid());
        table.Register(SyscallNumber.Geteuid, (LinuxThread _, in SyscallArguments _) => HostSystem.GetEffectiveUid());
        table.Register(SyscallNumber.Getgid, (LinuxThread _, in SyscallArguments _) => HostSystem.GetGid());
        table.Register(SyscallNumber.Getegid, (LinuxThread _, in SyscallArguments _) => HostSystem.GetEffectiveGid());
        table.Register(SyscallNumber.Getresuid, (LinuxThread t, in SyscallArguments a) => GetTriple(t, a, uid: true));
        table.Register(SyscallNumber.Getresgid, (LinuxThread t, in SyscallArguments a) => GetTriple(t, a, uid: false));
        table.Register(SyscallNumber.Getgroups, GetGroups);
        table.Register(SyscallNumber.Setgroups, SetGroups);
        table.Register(SyscallNumber.Setuid, (LinuxThread _, in SyscallArguments a) => Result(HostSystem.SetUid((uint)a.A0)));
        table.Register(SyscallNumber.Setgid, (LinuxThread _, in SyscallArguments a) => Result(HostSystem.SetGid((uint)a.A0)));
        table.Register(SyscallNumber.Setreuid, (LinuxThread _, in SyscallArguments a) => Result(HostSystem.SetReUid((uint)a.A0, (uint)a.A1)));
        table.Register(SyscallNumber.Setregid, (LinuxThread _, in SyscallArguments a) => Result(HostSystem.SetReGid((uint)a.A0, (uint)a.A1)));
        table.Register(SyscallNumber.Setresuid, (LinuxThread _, in SyscallArguments a) => Result(HostSystem.SetResUid((uint)a.A0, (uint)a.A1, (uint)a.A2)));
        table.Register(SyscallNumber.Setresgid, (LinuxThread _, in SyscallArguments a) => Result(HostSystem.SetResGid((uint)a.A0, (uint)a.A1, (uint)a.A2)));
        table.Register(SyscallNumber.Setfsuid, (LinuxThread _, in SyscallArguments a) => HostSystem.SetFsUid((uint)a.A0));
        table.Register(SyscallNumber.Setfsgid, (LinuxThread _, in SyscallArguments a) => HostSystem.SetFsGid((uint)a.A0));
    }

    /// <summary>0, or the host's errno negated after a failed call.</summary>
    internal static long Result(int hostResult) => hostResult < 0 ? HostSystem.LastError() : hostResult;

    private static long GetTriple(LinuxThread thread, in SyscallArguments args, bool uid)
    {
        uint real;
        uint effective;
        uint saved;
        int result = uid ? HostSystem.GetResUid(&real, &effective, &saved) : HostSystem.GetResGid(&real, &effective, &saved);
        if (result < 0)
        {
            return HostSystem.LastError();
        }

        var memory = thread.Process.Memory;
        return memory.TryWriteStruct(args.A0, real) && memory.TryWriteStruct(args.A1, effective) && memory.TryWriteStruct(args.A2, saved)
            ? 0
            : -Errno.EFAULT;
    }

    private static long GetGroups(LinuxThread thread, in SyscallArguments args)
    {
        int size = (int)args.A0;
        if (size < 0)
        {
            return -Errno.EINVAL;
        }

        var groups = new uint[MaxGroups];
        int count;
        fixed (uint* list = groups)
        {
            count = HostSystem.GetGroups(MaxGroups, list);
        }

        if (count < 0)
        {
            return HostSystem.LastError();
        }

        if (size == 0)
        {
            return count;
        }

        if (size < count)
        {
            return -Errno.EINVAL;
        }

        var bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(groups.AsSpan(0, count));
        return thread.Process.Memory.TryWrite(args.A1, bytes) ? count : -Errno.EFAULT;
    }

    private static long SetGroups(LinuxThread thread, in SyscallArguments args)
    {
        ulong count = args.A0;
        if (count > MaxGroups)
        {
            return -Errno.EINVAL;
        }

        var groups = new uint[count];
        if (!thread.Process.Memory.TryRead(args.A1, System.Runtime.InteropServices.MemoryMarshal.AsBytes(groups.AsSpan())))
        {
            return -Errno.EFAULT;
        }

        fixed (uint* list = groups)
        {
            return Result(HostSystem.SetGroups((nuint)count, list));
        }
    }
}
