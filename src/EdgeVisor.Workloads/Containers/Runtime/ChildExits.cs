using System.Runtime.InteropServices;

namespace EdgeVisor.Workloads.Containers.Runtime;

/// <summary>
/// Observes the end of container init processes. <c>runc create</c> exits once the container exists, orphaning its
/// init; this process makes itself a child subreaper (once) so the init becomes its child, and one thread polls a
/// pidfd per watched process (readable = ended) and collects the status with <c>waitid(P_PIDFD)</c>. .NET's own
/// SIGCHLD handling only reaps children that <see cref="System.Diagnostics.Process"/> started, so it never takes
/// these statuses first. A process that is not our child (no subreaper) still has its end observed, without a status.
/// </summary>
public sealed class ChildExits
{
    private static readonly Lazy<ChildExits> s_shared = new(() => new ChildExits(), LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly Lock _gate = new();
    private readonly Dictionary<int, Watch> _watches = []; // by pidfd
    private readonly int _wake;

    private ChildExits()
    {
        if (RuntimeNative.Prctl(RuntimeNative.PrSetChildSubreaper, 1, 0, 0, 0) != 0)
        {
            throw new InvalidOperationException($"prctl(PR_SET_CHILD_SUBREAPER) failed: errno {Marshal.GetLastPInvokeError()}");
        }

        _wake = RuntimeNative.EventFd(0, RuntimeNative.EventFdCloseOnExec);
        if (_wake < 0)
        {
            throw new InvalidOperationException($"eventfd failed: errno {Marshal.GetLastPInvokeError()}");
        }

        // A small stack: the loop holds a poll array and nothing else.
        new Thread(Run, 128 * 1024) { IsBackground = true, Name = "container-exits" }.Start();
    }

    /// <summary>The process-wide watcher; the first use makes this process a child subreaper.</summary>
    public static ChildExits Shared => s_shared.Value;

    /// <summary>Completes when <paramref name="pid"/> has ended (and, if it is our child, has been reaped).</summary>
    /// <exception cref="InvalidOperationException">The process does not exist (any more).</exception>
    public Task<ProcessEnd> WatchAsync(int pid)
    {
        int pidfd = RuntimeNative.PidfdOpen(pid, 0);
        if (pidfd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw new InvalidOperationException(errno == RuntimeNative.NoSuchProcess
                ? $"process {pid} does not exist"
                : $"pidfd_open({pid}) failed: errno {errno}");
        }

        var watch = new Watch(pid, new TaskCompletionSource<ProcessEnd>(TaskCreationOptions.RunContinuationsAsynchronously));
        lock (_gate)
        {
            _watches.Add(pidfd, watch);
        }

        Wake();
        return watch.Ended.Task;
    }

    private unsafe void Wake()
    {
        ulong one = 1;
        _ = RuntimeNative.Write(_wake, (byte*)&one, sizeof(ulong));
    }

    private unsafe void Run()
    {
        var fds = new RuntimeNative.PollFd[8];
        while (true)
        {
            int count;
            lock (_gate)
            {
                count = _watches.Count + 1;
                if (fds.Length < count)
                {
                    fds = new RuntimeNative.PollFd[count * 2];
                }

                fds[0] = new RuntimeNative.PollFd { Fd = _wake, Events = RuntimeNative.PollIn };
                int i = 1;
                foreach (int pidfd in _watches.Keys)
                {
                    fds[i++] = new RuntimeNative.PollFd { Fd = pidfd, Events = RuntimeNative.PollIn };
                }
            }

            fixed (RuntimeNative.PollFd* polled = fds)
            {
                if (RuntimeNative.Poll(polled, (nuint)count, -1) < 0)
                {
                    continue; // EINTR
                }
            }

            if (fds[0].Revents != 0)
            {
                ulong drained;
                _ = RuntimeNative.Read(_wake, (byte*)&drained, sizeof(ulong));
            }

            for (int i = 1; i < count; i++)
            {
                if (fds[i].Revents != 0)
                {
                    Collect(fds[i].Fd);
                }
            }
        }
    }

    /// <summary>Reaps the ended process behind <paramref name="pidfd"/> and completes its watch.</summary>
    private unsafe void Collect(int pidfd)
    {
        byte* info = stackalloc byte[RuntimeNative.SigInfoBytes];
        new Span<byte>(info, RuntimeNative.SigInfoBytes).Clear();
        int result;
        do
        {
            result = RuntimeNative.WaitId(RuntimeNative.PidfdIdType, (uint)pidfd, info, RuntimeNative.WaitExited | RuntimeNative.WaitNoHang);
        }
        while (result < 0 && Marshal.GetLastPInvokeError() == RuntimeNative.Interrupted);

        ProcessEnd end;
        if (result < 0)
        {
            end = ProcessEnd.Unknown; // ECHILD: not our child, only its end is known
        }
        else if (*(int*)(info + RuntimeNative.SigInfoPidOffset) == 0)
        {
            return; // not ended after all: keep watching
        }
        else
        {
            int code = *(int*)(info + 8);
            int status = *(int*)(info + RuntimeNative.SigInfoStatusOffset);
            end = code == RuntimeNative.CodeExited ? new ProcessEnd(status, null) : new ProcessEnd(null, status);
        }

        Watch watch;
        lock (_gate)
        {
            _watches.Remove(pidfd, out watch!);
        }

        _ = RuntimeNative.Close(pidfd);
        watch.Ended.TrySetResult(end);
    }

    private sealed record Watch(int Pid, TaskCompletionSource<ProcessEnd> Ended);
}
