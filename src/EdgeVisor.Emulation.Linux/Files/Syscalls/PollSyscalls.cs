using EdgeVisor.Emulation.Arm64.Memory;
using EdgeVisor.Emulation.Linux.Files.Host;
using EdgeVisor.Emulation.Linux.Kernel;

namespace EdgeVisor.Emulation.Linux.Files.Syscalls;

/// <summary>
/// ppoll and pselect6, both waiting in one host ppoll on the host descriptors behind the guest's, interruptible by
/// guest signals (see <see cref="InterruptibleWait"/>), with the guest's signal mask installed for the wait; the
/// remaining time is written back as Linux does.
/// </summary>
internal static unsafe class PollSyscalls
{
    private const short PollIn = 0x001, PollPri = 0x002, PollOut = 0x004, PollErr = 0x008, PollHup = 0x010, PollNval = 0x020;
    private const short PollRdNorm = 0x040, PollRdBand = 0x080, PollWrNorm = 0x100, PollWrBand = 0x200;
    private const short ReadableSet = PollIn | PollRdNorm | PollRdBand | PollHup | PollErr;
    private const short WritableSet = PollOut | PollWrNorm | PollWrBand | PollErr;
    private const short ExceptionSet = PollPri;

    public static void Register(SyscallTable table)
    {
        table.Register(SyscallNumber.Ppoll, Ppoll);
        table.Register(SyscallNumber.Pselect6, Pselect6);
    }

    private static long Ppoll(LinuxThread thread, in SyscallArguments args)
    {
        var process = thread.Process;
        var memory = process.Memory;
        if (args.A1 > (ulong)process.Files.Limit)
        {
            return -Errno.EINVAL;
        }

        int count = (int)args.A1;
        if (!memory.IsAccessible(args.A0, (ulong)count * 8, PagePermissions.Read | PagePermissions.Write))
        {
            return -Errno.EFAULT;
        }

        var fds = new HostPollFd[count];
        bool anyInvalid = false;
        for (int i = 0; i < count; i++)
        {
            ulong entry = args.A0 + ((ulong)i * 8);
            memory.TryReadInt32(entry, out int guestFd);
            memory.TryReadStruct(entry + 4, out short events);
            fds[i].Events = events;
            if (guestFd < 0)
            {
                fds[i].Fd = -1;
            }
            else if (process.Files.TryGetHostFd(guestFd, out int hostFd))
            {
                fds[i].Fd = hostFd;
            }
            else
            {
                // The host skips negative descriptors; the answer for this one is POLLNVAL, added below.
                fds[i].Fd = -1;
                anyInvalid = true;
            }
        }

        long result = Wait(thread, fds, args.A2, anyInvalid, args.A3, args.A4);
        if (result < 0)
        {
            return result;
        }

        int ready = 0;
        for (int i = 0; i < count; i++)
        {
            ulong entry = args.A0 + ((ulong)i * 8);
            memory.TryReadInt32(entry, out int guestFd);
            short revents = fds[i].Revents;
            if (guestFd >= 0 && fds[i].Fd < 0)
            {
                revents = PollNval;
            }

            memory.TryWriteStruct(entry + 6, revents);
            ready += revents != 0 ? 1 : 0;
        }

        return ready;
    }

    private static long Pselect6(LinuxThread thread, in SyscallArguments args)
    {
        var process = thread.Process;
        var memory = process.Memory;
        if ((long)args.A0 < 0 || args.A0 > int.MaxValue)
        {
            return -Errno.EINVAL;
        }

        int n = (int)Math.Min(args.A0, (ulong)process.Files.Limit);
        int words = (n + 63) / 64;
        ulong[] sets = [args.A1, args.A2, args.A3];
        var bits = new ulong[3][];
        for (int s = 0; s < 3; s++)
        {
            bits[s] = new ulong[words];
            if (sets[s] != 0 && !memory.TryRead(sets[s], System.Runtime.InteropServices.MemoryMarshal.AsBytes(bits[s].AsSpan())))
            {
                return -Errno.EFAULT;
            }
        }

        var fds = new List<HostPollFd>();
        var guestNumbers = new List<int>();
        for (int fd = 0; fd < n; fd++)
        {
            short events = 0;
            events |= IsSet(bits[0], fd) ? (short)(PollIn | PollRdNorm | PollRdBand) : (short)0;
            events |= IsSet(bits[1], fd) ? (short)(PollOut | PollWrNorm | PollWrBand) : (short)0;
            events |= IsSet(bits[2], fd) ? PollPri : (short)0;
            if (events == 0)
            {
                continue;
            }

            if (!process.Files.TryGetHostFd(fd, out int hostFd))
            {
                return -Errno.EBADF;
            }

            fds.Add(new HostPollFd { Fd = hostFd, Events = events });
            guestNumbers.Add(fd);
        }

        ulong maskAddress = 0, maskSize = 0;
        if (args.A5 != 0 && (!memory.TryReadUInt64(args.A5, out maskAddress) || !memory.TryReadUInt64(args.A5 + 8, out maskSize)))
        {
            return -Errno.EFAULT;
        }

        var array = fds.ToArray();
        long result = Wait(thread, array, args.A4, anyInvalid: false, maskAddress, maskSize);
        if (result < 0)
        {
            return result;
        }

        for (int s = 0; s < 3; s++)
        {
            Array.Clear(bits[s]);
        }

        int ready = 0;
        for (int i = 0; i < array.Length; i++)
        {
            int fd = guestNumbers[i];
            short revents = array[i].Revents;
            ready += Mark(bits[0], fd, (array[i].Events & PollIn) != 0 && (revents & ReadableSet) != 0);
            ready += Mark(bits[1], fd, (array[i].Events & PollOut) != 0 && (revents & WritableSet) != 0);
            ready += Mark(bits[2], fd, (array[i].Events & PollPri) != 0 && (revents & ExceptionSet) != 0);
        }

        for (int s = 0; s < 3; s++)
        {
            if (sets[s] != 0 && !memory.TryWrite(sets[s], System.Runtime.InteropServices.MemoryMarshal.AsBytes(bits[s].AsSpan())))
            {
                return -Errno.EFAULT;
            }
        }

        return ready;
    }

    /// <summary>
    /// Waits in host ppoll over <paramref name="fds"/> with the guest's optional timespec timeout (the time left is
    /// written back) and signal mask; -ERESTARTSYS when a guest signal interrupted the wait.
    /// </summary>
    private static long Wait(LinuxThread thread, HostPollFd[] fds, ulong timeoutAddress, bool anyInvalid, ulong maskAddress, ulong maskSize)
    {
        var memory = thread.Process.Memory;
        long timeout = -1;
        if (timeoutAddress != 0)
        {
            if (!memory.TryReadStruct(timeoutAddress, out long seconds) || !memory.TryReadStruct(timeoutAddress + 8, out long nanoseconds))
            {
                return -Errno.EFAULT;
            }

            if (seconds < 0 || (ulong)nanoseconds >= 1_000_000_000)
            {
                return -Errno.EINVAL;
            }

            timeout = seconds >= long.MaxValue / 1_000_000_000 ? long.MaxValue : (seconds * 1_000_000_000) + nanoseconds;
        }

        if (anyInvalid)
        {
            // Linux answers at once when a descriptor is invalid: poll the rest without waiting.
            timeout = 0;
        }

        int error = GuestSignalMask.Install(thread, maskAddress, maskSize, out ulong? previousMask);
        if (error != 0)
        {
            return error;
        }

        int? result;
        long remaining;
        fixed (HostPollFd* p = fds)
        {
            result = InterruptibleWait.Poll(thread, p, fds.Length, timeout, out remaining);
        }

        GuestSignalMask.Restore(thread, previousMask, interrupted: result is null);
        if (timeoutAddress != 0 && !anyInvalid && remaining >= 0)
        {
            memory.TryWriteStruct(timeoutAddress, remaining / 1_000_000_000);
            memory.TryWriteStruct(timeoutAddress + 8, remaining % 1_000_000_000);
        }

        return result is int ready ? ready : InterruptibleWait.Restart(thread);
    }

    private static bool IsSet(ulong[] words, int fd) => (words[fd >> 6] & (1UL << (fd & 63))) != 0;

    private static int Mark(ulong[] words, int fd, bool ready)
    {
        if (!ready)
        {
            return 0;
        }

        words[fd >> 6] |= 1UL << (fd & 63);
        return 1;
    }
}
