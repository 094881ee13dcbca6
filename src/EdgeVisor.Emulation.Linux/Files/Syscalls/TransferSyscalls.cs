using EdgeVisor.Emulation.Arm64.Memory;
using EdgeVisor.Emulation.Linux.Files.Host;
using EdgeVisor.Emulation.Linux.Kernel;

namespace EdgeVisor.Emulation.Linux.Files.Syscalls;

/// <summary>
/// In-kernel copies between descriptors: sendfile, copy_file_range, splice, tee. Optional offsets are guest loff_t
/// pointers, read before and written back after the host call. vmsplice is -ENOSYS (glibc's users fall back).
/// </summary>
internal static unsafe class TransferSyscalls
{
    public static void Register(SyscallTable table)
    {
        table.Register(SyscallNumber.Sendfile, Sendfile);
        table.Register(SyscallNumber.CopyFileRange, CopyFileRange);
        table.Register(SyscallNumber.Splice, Splice);
        table.Register(SyscallNumber.Tee, Tee);
        table.Register(SyscallNumber.Vmsplice, static (_, in _) => -Errno.ENOSYS);
    }

    private static long Sendfile(LinuxThread thread, in SyscallArguments args)
    {
        var files = thread.Process.Files;
        if (!files.TryGetHostFd((int)args.A0, out int outFd) || !files.TryGetHostFd((int)args.A1, out int inFd))
        {
            return -Errno.EBADF;
        }

        var memory = thread.Process.Memory;
        long offset = 0;
        if (args.A2 != 0 && !ReadOffset(memory, args.A2, out offset))
        {
            return -Errno.EFAULT;
        }

        long result = HostResult.Of(HostLibc.Sendfile(outFd, inFd, args.A2 != 0 ? &offset : null, (nuint)Math.Min(args.A3, UserBuffers.MaxTransfer)));
        if (args.A2 != 0 && result >= 0)
        {
            memory.TryWriteStruct(args.A2, offset);
        }

        return BrokenPipe.Check(thread, result);
    }

    private static long CopyFileRange(LinuxThread thread, in SyscallArguments args) =>
        TwoOffsets(thread, args, static (i, io, o, oo, x) => HostLibc.CopyFileRange(i, io, o, oo, (nuint)Math.Min(x.A4, UserBuffers.MaxTransfer), (uint)x.A5));

    private static long Splice(LinuxThread thread, in SyscallArguments args) =>
        BrokenPipe.Check(thread, TwoOffsets(thread, args, static (i, io, o, oo, x) => HostLibc.Splice(i, io, o, oo, (nuint)Math.Min(x.A4, UserBuffers.MaxTransfer), (uint)x.A5)));

    private static long Tee(LinuxThread thread, in SyscallArguments args)
    {
        var files = thread.Process.Files;
        if (!files.TryGetHostFd((int)args.A0, out int inFd) || !files.TryGetHostFd((int)args.A1, out int outFd))
        {
            return -Errno.EBADF;
        }

        return HostResult.Of(HostLibc.Tee(inFd, outFd, (nuint)Math.Min(args.A2, UserBuffers.MaxTransfer), (uint)args.A3));
    }

    private delegate nint HostCopy(int inFd, long* inOffset, int outFd, long* outOffset, SyscallArguments args);

    // (fd_in, off_in*, fd_out, off_out*, len, flags): the shape of copy_file_range and splice.
    private static long TwoOffsets(LinuxThread thread, in SyscallArguments args, HostCopy copy)
    {
        var files = thread.Process.Files;
        if (!files.TryGetHostFd((int)args.A0, out int inFd) || !files.TryGetHostFd((int)args.A2, out int outFd))
        {
            return -Errno.EBADF;
        }

        var memory = thread.Process.Memory;
        long inOffset = 0, outOffset = 0;
        if ((args.A1 != 0 && !ReadOffset(memory, args.A1, out inOffset)) || (args.A3 != 0 && !ReadOffset(memory, args.A3, out outOffset)))
        {
            return -Errno.EFAULT;
        }

        long result = HostResult.Of(copy(inFd, args.A1 != 0 ? &inOffset : null, outFd, args.A3 != 0 ? &outOffset : null, args));
        if (result >= 0)
        {
            if (args.A1 != 0)
            {
                memory.TryWriteStruct(args.A1, inOffset);
            }

            if (args.A3 != 0)
            {
                memory.TryWriteStruct(args.A3, outOffset);
            }
        }

        return result;
    }

    private static bool ReadOffset(GuestMemory memory, ulong address, out long offset) =>
        memory.TryReadStruct(address, out offset) && memory.IsAccessible(address, 8, PagePermissions.Write);
}
