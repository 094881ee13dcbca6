using System.Security.Cryptography;
using System.Text;
using EdgeVisor.Emulation.Linux.Kernel;

namespace EdgeVisor.Emulation.Linux.SystemInfo;

/// <summary>uname, sysinfo, umask, prctl, personality, getrandom, membarrier and rseq.</summary>
public static unsafe class SystemSyscalls
{
    /// <summary>The machine field of uname: the guest's architecture, whatever the host's.</summary>
    public const string Machine = "aarch64";

    private const int UtsFieldLength = 65;
    private const int UtsFields = 6;
    private const int UtsMachineField = 4;
    private const int SysinfoSize = 112;
    private const int ThreadNameLength = 16;

    // prctl options (uapi/linux/prctl.h).
    private const int PrSetPdeathsig = 1;
    private const int PrGetPdeathsig = 2;
    private const int PrGetDumpable = 3;
    private const int PrSetDumpable = 4;
    private const int PrSetName = 15;
    private const int PrGetName = 16;
    private const int PrCapbsetRead = 23;
    private const int PrSetTimerslack = 29;
    private const int PrGetTimerslack = 30;
    private const int PrSetChildSubreaper = 36;
    private const int PrSetNoNewPrivs = 38;
    private const int PrGetNoNewPrivs = 39;

    private const uint PersonalityQuery = 0xFFFF_FFFF;
    private const int GetrandomFlags = 1 | 2 | 4; // GRND_NONBLOCK, GRND_RANDOM, GRND_INSECURE
    private const int GetrandomMax = (1 << 25) - 1;
    private const int MembarrierQuery = 0;
    private const int MembarrierSupported = 1 | 8 | 16; // GLOBAL, PRIVATE_EXPEDITED, REGISTER_PRIVATE_EXPEDITED

    /// <summary>Installs these calls.</summary>
    public static void Register(SyscallTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        table.Register(SyscallNumber.Uname, Uname);
        table.Register(SyscallNumber.Sysinfo, Sysinfo);
        table.Register(SyscallNumber.Umask, (LinuxThread _, in SyscallArguments a) => HostSystem.Umask((uint)a.A0 & 0x1FF));
        table.Register(SyscallNumber.Prctl, Prctl);
        table.Register(SyscallNumber.Personality, Personality);
        table.Register(SyscallNumber.Getrandom, Getrandom);
        table.Register(SyscallNumber.Membarrier, Membarrier);

        // glibc registers restartable sequences when the kernel has them; qemu-user answers ENOSYS and so do we.
        table.Register(SyscallNumber.Rseq, (LinuxThread _, in SyscallArguments _) => -Errno.ENOSYS);
    }

    private static long Uname(LinuxThread thread, in SyscallArguments args)
    {
        Span<byte> buffer = stackalloc byte[UtsFieldLength * UtsFields];
        fixed (byte* p = buffer)
        {
            if (HostSystem.Uname(p) < 0)
            {
                return HostSystem.LastError();
            }
        }

        var machine = buffer.Slice(UtsMachineField * UtsFieldLength, UtsFieldLength);
        machine.Clear();
        Encoding.ASCII.GetBytes(Machine, machine);
        return thread.Process.Memory.TryWrite(args.A0, buffer) ? 0 : -Errno.EFAULT;
    }

    private static long Sysinfo(LinuxThread thread, in SyscallArguments args)
    {
        Span<byte> buffer = stackalloc byte[SysinfoSize];
        fixed (byte* p = buffer)
        {
            if (HostSystem.Sysinfo(p) < 0)
            {
                return HostSystem.LastError();
            }
        }

        return thread.Process.Memory.TryWrite(args.A0, buffer) ? 0 : -Errno.EFAULT;
    }

    private static long Prctl(LinuxThread thread, in SyscallArguments args)
    {
        var memory = thread.Process.Memory;
        switch ((int)args.A0)
        {
            case PrSetName:
                var name = new byte[ThreadNameLength];
                for (int i = 0; i < ThreadNameLength - 1; i++)
                {
                    if (!memory.TryRead(args.A1 + (ulong)i, name.AsSpan(i, 1)))
                    {
                        return -Errno.EFAULT;
                    }

                    if (name[i] == 0)
                    {
                        break;
                    }
                }

                name[ThreadNameLength - 1] = 0;
                thread.Name = Encoding.UTF8.GetString(name, 0, Array.IndexOf(name, (byte)0));
                return 0;
            case PrGetName:
                var current = new byte[ThreadNameLength];
                Encoding.UTF8.GetBytes(ThreadName(thread), current);
                return memory.TryWrite(args.A1, current) ? 0 : -Errno.EFAULT;
            case PrSetDumpable:
                if (args.A1 > 1)
                {
                    return -Errno.EINVAL;
                }

                thread.Process.Dumpable = (int)args.A1;
                return 0;
            case PrGetDumpable:
                return thread.Process.Dumpable;
            case PrSetPdeathsig:
                return args.A1 > 64 ? -Errno.EINVAL : 0;
            case PrGetPdeathsig:
                return memory.TryWriteInt32(args.A1, 0) ? 0 : -Errno.EFAULT;
            case PrCapbsetRead:
                return args.A1 > 63 ? -Errno.EINVAL : 1;
            case PrSetTimerslack:
            case PrSetChildSubreaper:
            case PrSetNoNewPrivs:
                return 0;
            case PrGetTimerslack:
                return 50_000;
            case PrGetNoNewPrivs:
                return 0;
            default:
                return -Errno.EINVAL;
        }
    }

    /// <summary>The thread's comm: its prctl name, else the executable's file name cut to 15 bytes, as Linux does.</summary>
    public static string ThreadName(LinuxThread thread)
    {
        ArgumentNullException.ThrowIfNull(thread);
        string name = thread.Name ?? Path.GetFileName(thread.Process.ExecutablePath ?? "");
        while (Encoding.UTF8.GetByteCount(name) > ThreadNameLength - 1)
        {
            name = name[..^1];
        }

        return name;
    }

    private static long Personality(LinuxThread thread, in SyscallArguments args)
    {
        uint previous = thread.Process.Personality;
        if ((uint)args.A0 != PersonalityQuery)
        {
            thread.Process.Personality = (uint)args.A0;
        }

        return previous;
    }

    private static long Getrandom(LinuxThread thread, in SyscallArguments args)
    {
        if (((int)args.A2 & ~GetrandomFlags) != 0 || (args.A2 & 6) == 6)
        {
            return -Errno.EINVAL;
        }

        int length = (int)Math.Min(args.A1, GetrandomMax);
        if (!thread.Process.Memory.IsAccessible(args.A0, (ulong)length, Arm64.Memory.PagePermissions.Write))
        {
            return -Errno.EFAULT;
        }

        RandomNumberGenerator.Fill(thread.Process.Memory.GetSpan(args.A0, length, Arm64.Memory.PagePermissions.Write));
        return length;
    }

    private static long Membarrier(LinuxThread thread, in SyscallArguments args)
    {
        int command = (int)args.A0;
        if (command == MembarrierQuery)
        {
            return MembarrierSupported;
        }

        if ((command & MembarrierSupported) == 0 || (command & (command - 1)) != 0)
        {
            return -Errno.EINVAL;
        }

        // Every guest thread is a host thread of this process: a process-wide host barrier orders them all.
        Interlocked.MemoryBarrierProcessWide();
        return 0;
    }
}
