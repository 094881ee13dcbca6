using EdgeVisor.Emulation.Linux.Kernel;
using EdgeVisor.Emulation.Linux.Threads;
using Microsoft.Win32.SafeHandles;

namespace EdgeVisor.Emulation.Linux.Processes;

/// <summary>
/// fork, vfork and clone without CLONE_VM. The .NET runtime cannot fork itself, so the child is a new edgevisor host
/// process that receives the guest's state (see <see cref="ForkState"/>) through a memfd and continues from the same
/// instruction with X0 = 0; the parent gets the child's host pid, which is also its guest pid. For CLONE_VFORK
/// (vfork, posix_spawn) the parent waits, as Linux does, until the child has exec'd or exited. Memory is copied,
/// not shared, even for CLONE_VFORK|CLONE_VM: a posix_spawn child's exec error code does not reach the parent
/// through shared memory (the parent sees the child exit with status 127 instead).
/// </summary>
public static class ForkSyscall
{
    /// <summary>clone()'s process-creating forms: clone(flags, newsp, parent_tid, tls, child_tid).</summary>
    public static unsafe long Clone(LinuxThread thread, in SyscallArguments args)
    {
        var flags = (CloneFlags)args.A0;
        if ((flags & (CloneFlags.Thread | CloneFlags.Sighand)) != 0)
        {
            return -Errno.EINVAL; // a thread group or shared handlers across two host processes cannot be honoured
        }

        bool vfork = (flags & CloneFlags.Vfork) != 0;
        int vforkRead = -1;
        int vforkWrite = -1;
        if (vfork)
        {
            int* ends = stackalloc int[2];
            if (HostDescriptors.Pipe2(ends, HostDescriptors.CloseOnExec) != 0)
            {
                return HostCalls.Result(-1);
            }

            vforkRead = ends[0];
            vforkWrite = ends[1];
        }

        int stateFd = HostDescriptors.MemfdCreate("edgevisor-fork", HostDescriptors.MemfdCloseOnExec);
        if (stateFd < 0)
        {
            CloseAll(vforkRead, vforkWrite);
            return HostCalls.Result(-1);
        }

        int pid;
        using (var handle = new SafeFileHandle(stateFd, ownsHandle: true))
        using (var stream = new FileStream(handle, FileAccess.ReadWrite, 1 << 16))
        {
            // The stream owns the descriptor: it stays open until the child has been started with it.
            var request = new ForkRequest(args.A1, args.A4, (flags & CloneFlags.ChildSetTid) != 0, (flags & CloneFlags.ChildClearTid) != 0, vforkWrite);
            ForkState.Write(stream, thread, request);
            stream.Flush();
            var inherited = thread.Process.Files.Snapshot().Select(e => e.HostFd).ToList();
            if (vforkWrite >= 0)
            {
                inherited.Add(vforkWrite);
            }

            pid = ForkLauncher.Spawn(stateFd, inherited);
        }

        CloseAll(vforkWrite);
        if (pid < 0)
        {
            CloseAll(vforkRead);
            return pid == -Errno.ENOENT ? -Errno.EAGAIN : pid;
        }

        if ((flags & CloneFlags.ParentSetTid) != 0)
        {
            thread.Process.Memory.TryWriteInt32(args.A2, pid);
        }

        if (vforkRead >= 0)
        {
            // Until the child execs (the write end is close-on-exec there, and closed by an in-place execve) or exits.
            byte buffer;
            while (HostDescriptors.Read(vforkRead, &buffer, 1) > 0)
            {
            }

            CloseAll(vforkRead);
        }

        return pid;
    }

    private static void CloseAll(params ReadOnlySpan<int> fds)
    {
        foreach (int fd in fds)
        {
            if (fd >= 0)
            {
                _ = HostDescriptors.Close(fd);
            }
        }
    }
}
