using System.Text;

namespace EdgeVisor.Emulation.Linux.Kernel;

/// <summary>Formats one system call for --strace, in qemu -strace's spirit: "pid name(args) = result".</summary>
internal static class SyscallTracer
{
    // How many arguments each traced call shows; calls not listed show all six.
    private static readonly Dictionary<SyscallNumber, int> ArgumentCounts = new()
    {
        [SyscallNumber.Exit] = 1, [SyscallNumber.ExitGroup] = 1, [SyscallNumber.Brk] = 1, [SyscallNumber.Close] = 1,
        [SyscallNumber.Read] = 3, [SyscallNumber.Write] = 3, [SyscallNumber.Openat] = 4, [SyscallNumber.Mmap] = 6,
        [SyscallNumber.Munmap] = 2, [SyscallNumber.Mprotect] = 3, [SyscallNumber.Getpid] = 0, [SyscallNumber.Gettid] = 0,
        [SyscallNumber.Getuid] = 0, [SyscallNumber.Geteuid] = 0, [SyscallNumber.Getgid] = 0, [SyscallNumber.Getegid] = 0,
        [SyscallNumber.Uname] = 1, [SyscallNumber.SetTidAddress] = 1, [SyscallNumber.Ioctl] = 3, [SyscallNumber.Fstat] = 2,
        [SyscallNumber.Newfstatat] = 4, [SyscallNumber.ClockGettime] = 2, [SyscallNumber.Getrandom] = 3,
    };

    public static string Format(LinuxThread thread, ulong number, in SyscallArguments args, long result)
    {
        int count = Enum.IsDefined(typeof(SyscallNumber), (int)Math.Min(number, int.MaxValue))
            ? ArgumentCounts.GetValueOrDefault((SyscallNumber)(int)number, 6)
            : 6;
        var text = new StringBuilder();
        text.Append(thread.Tid).Append(' ').Append(Name(number)).Append('(');
        ReadOnlySpan<ulong> values = [args.A0, args.A1, args.A2, args.A3, args.A4, args.A5];
        for (int i = 0; i < count; i++)
        {
            text.Append(i == 0 ? "" : ",").Append(values[i] < 4096 ? values[i].ToString() : "0x" + values[i].ToString("x"));
        }

        text.Append(") = ");
        if (result == SyscallTable.NoReturnValue)
        {
            text.Append('?');
        }
        else if (result is < 0 and >= -4095)
        {
            text.Append("-1 errno=").Append(-result);
        }
        else
        {
            text.Append(result is >= 0 and < 4096 ? result.ToString() : "0x" + result.ToString("x"));
        }

        return text.ToString();
    }

    /// <summary>The kernel's name of a call ("rt_sigaction"), or "syscall_N".</summary>
    public static string Name(ulong number)
    {
        if (number > int.MaxValue || !Enum.IsDefined(typeof(SyscallNumber), (int)number))
        {
            return $"syscall_{number}";
        }

        string pascal = ((SyscallNumber)(int)number).ToString();
        var name = new StringBuilder();
        for (int i = 0; i < pascal.Length; i++)
        {
            char c = pascal[i];
            if (char.IsUpper(c) && i > 0)
            {
                name.Append('_');
            }

            name.Append(char.ToLowerInvariant(c));
        }

        return name.ToString();
    }
}
