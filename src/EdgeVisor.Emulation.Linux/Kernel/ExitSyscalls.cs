namespace EdgeVisor.Emulation.Linux.Kernel;

/// <summary>exit (this thread) and exit_group (every thread of the process).</summary>
public static class ExitSyscalls
{
    /// <summary>Installs exit and exit_group.</summary>
    public static void Register(SyscallTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        table.Register(SyscallNumber.Exit, Exit);
        table.Register(SyscallNumber.ExitGroup, ExitGroup);
    }

    private static long Exit(LinuxThread thread, in SyscallArguments args)
    {
        thread.Exit((int)args.A0);
        return SyscallTable.NoReturnValue;
    }

    private static long ExitGroup(LinuxThread thread, in SyscallArguments args)
    {
        thread.Exit((int)args.A0);
        thread.Process.ExitGroup(ExitStatus.Exited((int)args.A0));
        return SyscallTable.NoReturnValue;
    }
}
