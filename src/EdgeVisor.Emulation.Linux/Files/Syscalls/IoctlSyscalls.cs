using EdgeVisor.Emulation.Arm64.Memory;
using EdgeVisor.Emulation.Linux.Files.Host;
using EdgeVisor.Emulation.Linux.Kernel;

namespace EdgeVisor.Emulation.Linux.Files.Syscalls;

/// <summary>
/// ioctl: the terminal and generic file requests a C library and a shell use. arm64 and x86-64 share the request
/// numbers and the kernel's struct termios (36 bytes), termios2 (44) and winsize (8), so a known request passes
/// through with its argument checked in guest memory; FIOCLEX/FIONCLEX change the guest's own table; anything else is
/// -ENOTTY, as for a request the driver does not know.
/// </summary>
internal static unsafe class IoctlSyscalls
{
    private const uint FioNClex = 0x5450;
    private const uint FioClex = 0x5451;

    // Request → how its argument is used. Size 0 with Value: the argument is a plain integer.
    private static readonly Dictionary<uint, IoctlArgument> Requests = new()
    {
        [0x5401] = IoctlArgument.Out(36),   // TCGETS
        [0x5402] = IoctlArgument.In(36),    // TCSETS
        [0x5403] = IoctlArgument.In(36),    // TCSETSW
        [0x5404] = IoctlArgument.In(36),    // TCSETSF
        [0x5409] = IoctlArgument.Value,     // TCSBRK
        [0x540A] = IoctlArgument.Value,     // TCXONC
        [0x540B] = IoctlArgument.Value,     // TCFLSH
        [0x540E] = IoctlArgument.Value,     // TIOCSCTTY
        [0x540F] = IoctlArgument.Out(4),    // TIOCGPGRP
        [0x5410] = IoctlArgument.In(4),     // TIOCSPGRP
        [0x5411] = IoctlArgument.Out(4),    // TIOCOUTQ
        [0x5412] = IoctlArgument.In(1),     // TIOCSTI
        [0x5413] = IoctlArgument.Out(8),    // TIOCGWINSZ
        [0x5414] = IoctlArgument.In(8),     // TIOCSWINSZ
        [0x5415] = IoctlArgument.Out(4),    // TIOCMGET
        [0x541B] = IoctlArgument.Out(4),    // FIONREAD
        [0x5421] = IoctlArgument.In(4),     // FIONBIO
        [0x5422] = IoctlArgument.Value,     // TIOCNOTTY
        [0x5427] = IoctlArgument.Value,     // TIOCCBRK
        [0x5429] = IoctlArgument.Out(4),    // TIOCGSID
        [0x5452] = IoctlArgument.In(4),     // FIOASYNC
        [0x802C542A] = IoctlArgument.Out(44), // TCGETS2
        [0x402C542B] = IoctlArgument.In(44),  // TCSETS2
        [0x402C542C] = IoctlArgument.In(44),  // TCSETSW2
        [0x402C542D] = IoctlArgument.In(44),  // TCSETSF2
        [0x80045430] = IoctlArgument.Out(4),  // TIOCGPTN
        [0x40045431] = IoctlArgument.In(4),   // TIOCSPTLCK
        [0x80045432] = IoctlArgument.Out(4),  // TIOCGDEV
        [0x80086601] = IoctlArgument.Out(8),  // FS_IOC_GETFLAGS
    };

    public static void Register(SyscallTable table) => table.Register(SyscallNumber.Ioctl, Ioctl);

    private static long Ioctl(LinuxThread thread, in SyscallArguments args)
    {
        var files = thread.Process.Files;
        int guestFd = (int)args.A0;
        uint request = (uint)args.A1;
        if (!files.TryGetHostFd(guestFd, out int fd))
        {
            return -Errno.EBADF;
        }

        switch (request)
        {
            case FioClex or FioNClex:
                files.SetCloseOnExec(guestFd, request == FioClex);
                return 0;
        }

        if (!Requests.TryGetValue(request, out var argument))
        {
            return -Errno.ENOTTY;
        }

        if (argument.Size == 0)
        {
            return HostResult.Of(HostLibc.Ioctl(fd, request, (nint)args.A2));
        }

        var required = argument.HostWrites ? PagePermissions.Write : PagePermissions.Read;
        int error = UserBuffers.Whole(thread.Process.Memory, args.A2, argument.Size, required, out byte* pointer);
        return error != 0 ? error : HostResult.Of(HostLibc.Ioctl(fd, request, (nint)pointer));
    }

    private readonly record struct IoctlArgument(int Size, bool HostWrites)
    {
        public static IoctlArgument Value => new(0, false);

        public static IoctlArgument In(int size) => new(size, false);

        public static IoctlArgument Out(int size) => new(size, true);
    }
}
