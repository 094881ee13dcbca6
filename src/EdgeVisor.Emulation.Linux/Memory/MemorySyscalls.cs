using EdgeVisor.Emulation.Arm64.Memory;
using EdgeVisor.Emulation.Linux.Kernel;

namespace EdgeVisor.Emulation.Linux.Memory;

/// <summary>
/// brk, mmap, munmap, mremap, mprotect, madvise, msync, mincore and the mlock family, over the process's
/// <see cref="MemoryMap"/>.
/// </summary>
public static class MemorySyscalls
{
    // mmap flags (asm-generic/mman-common.h, mman.h; the same on arm64).
    private const int MapShared = 0x01;
    private const int MapPrivate = 0x02;
    private const int MapSharedValidate = 0x03;
    private const int MapTypeMask = 0x0F;
    private const int MapFixed = 0x10;
    private const int MapAnonymous = 0x20;
    private const int MapGrowsDown = 0x0100;
    private const int MapFixedNoReplace = 0x100000;
    private const int ProtMask = 0x7;
    private const int ProtGrowsDown = 0x01000000;
    private const int ProtGrowsUp = 0x02000000;
    private const int MadviseDontNeed = 4;
    private const int MsyncAsync = 1;
    private const int MsyncInvalidate = 2;
    private const int MsyncSync = 4;

    /// <summary>Installs this feature's handlers.</summary>
    public static void Register(SyscallTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        table.Register(SyscallNumber.Brk, Brk);
        table.Register(SyscallNumber.Mmap, Mmap);
        table.Register(SyscallNumber.Munmap, (LinuxThread t, in SyscallArguments a) => t.Process.MemoryMap.Unmap(a.A0, a.A1));
        table.Register(SyscallNumber.Mremap, (LinuxThread t, in SyscallArguments a) => t.Process.MemoryMap.Remap(a.A0, a.A1, a.A2, (int)a.A3, a.A4));
        table.Register(SyscallNumber.Mprotect, Mprotect);
        table.Register(SyscallNumber.Madvise, Madvise);
        table.Register(SyscallNumber.Msync, Msync);
        table.Register(SyscallNumber.Mincore, Mincore);
        table.Register(SyscallNumber.Mlock, LockRange);
        table.Register(SyscallNumber.Mlock2, LockRange);
        table.Register(SyscallNumber.Munlock, LockRange);
        table.Register(SyscallNumber.Mlockall, (LinuxThread _, in SyscallArguments a) => (a.A0 & ~7UL) != 0 || a.A0 == 0 ? -Errno.EINVAL : 0);
        table.Register(SyscallNumber.Munlockall, (LinuxThread _, in SyscallArguments _) => 0);
    }

    private static long Brk(LinuxThread thread, in SyscallArguments args) => (long)thread.Process.MemoryMap.SetBrk(args.A0);

    private static long Mmap(LinuxThread thread, in SyscallArguments args)
    {
        ulong address = args.A0;
        ulong length = args.A1;
        int prot = (int)args.A2;
        int flags = (int)args.A3;
        int fd = (int)args.A4;
        long offset = (long)args.A5;
        int type = flags & MapTypeMask;
        if (length == 0 || (offset & (long)GuestMemory.PageMask) != 0 || type is not (MapShared or MapPrivate or MapSharedValidate)
            || (prot & ~(ProtMask | ProtGrowsDown | ProtGrowsUp)) != 0)
        {
            return -Errno.EINVAL;
        }

        var placement = (flags & MapFixedNoReplace) != 0 ? MapPlacement.FixedNoReplace
            : (flags & MapFixed) != 0 ? MapPlacement.Fixed
            : MapPlacement.Hint;
        var permissions = (PagePermissions)(prot & ProtMask);
        var kind = (type == MapPrivate ? MemoryAreaFlags.None : MemoryAreaFlags.Shared)
            | ((flags & MapGrowsDown) != 0 ? MemoryAreaFlags.GrowsDown : MemoryAreaFlags.None);
        var map = thread.Process.MemoryMap;
        if ((flags & MapAnonymous) != 0)
        {
            return map.MapAnonymous(address, length, permissions, kind, placement);
        }

        if (offset < 0)
        {
            return -Errno.EINVAL;
        }

        return GuestFiles.TryGetHostFd(thread.Process, fd, out int hostFd)
            ? map.MapFile(address, length, permissions, kind, placement, hostFd, offset)
            : -Errno.EBADF;
    }

    private static long Mprotect(LinuxThread thread, in SyscallArguments args)
    {
        int prot = (int)args.A2;
        if ((prot & ~(ProtMask | ProtGrowsDown | ProtGrowsUp)) != 0 || (prot & (ProtGrowsDown | ProtGrowsUp)) == (ProtGrowsDown | ProtGrowsUp))
        {
            return -Errno.EINVAL;
        }

        return thread.Process.MemoryMap.Protect(args.A0, args.A1, (PagePermissions)(prot & ProtMask));
    }

    private static long Madvise(LinuxThread thread, in SyscallArguments args)
    {
        if ((args.A0 & GuestMemory.PageMask) != 0)
        {
            return -Errno.EINVAL;
        }

        if (args.A1 == 0)
        {
            return 0;
        }

        var map = thread.Process.MemoryMap;
        if (args.A2 == MadviseDontNeed)
        {
            return map.DiscardPages(args.A0, args.A1);
        }

        // Every other piece of advice only tunes paging, which the guest cannot observe.
        return map.IsFullyMapped(args.A0, args.A1) ? 0 : -Errno.ENOMEM;
    }

    private static long Msync(LinuxThread thread, in SyscallArguments args)
    {
        int flags = (int)args.A2;
        if ((args.A0 & GuestMemory.PageMask) != 0 || (flags & ~(MsyncAsync | MsyncInvalidate | MsyncSync)) != 0
            || (flags & (MsyncAsync | MsyncSync)) == (MsyncAsync | MsyncSync))
        {
            return -Errno.EINVAL;
        }

        // Shared file pages are the host's page cache already; the host kernel writes them back.
        return thread.Process.MemoryMap.IsFullyMapped(args.A0, args.A1) ? 0 : -Errno.ENOMEM;
    }

    private static long Mincore(LinuxThread thread, in SyscallArguments args)
    {
        if ((args.A0 & GuestMemory.PageMask) != 0)
        {
            return -Errno.EINVAL;
        }

        ulong pages = MemoryMap.PageAlignUp(args.A1) >> GuestMemory.PageBits;
        if (!thread.Process.MemoryMap.IsFullyMapped(args.A0, args.A1))
        {
            return -Errno.ENOMEM;
        }

        // Every mapped page counts as resident: the guest cannot tell otherwise.
        var resident = new byte[pages];
        resident.AsSpan().Fill(1);
        return thread.Process.Memory.TryWrite(args.A2, resident) ? 0 : -Errno.EFAULT;
    }

    private static long LockRange(LinuxThread thread, in SyscallArguments args) =>
        thread.Process.MemoryMap.IsFullyMapped(args.A0 & ~GuestMemory.PageMask, args.A1 + (args.A0 & GuestMemory.PageMask)) ? 0 : -Errno.ENOMEM;
}
