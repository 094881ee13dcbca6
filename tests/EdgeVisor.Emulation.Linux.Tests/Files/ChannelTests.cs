using EdgeVisor.Emulation.Linux.Kernel;

namespace EdgeVisor.Emulation.Linux.Tests.Files;

public sealed class ChannelTests : IDisposable
{
    private readonly SyscallHarness _h = new();

    public void Dispose() => _h.Dispose();

    private (int Read, int Write) Pipe(int flags = 0)
    {
        ulong fds = _h.Alloc(8);
        Assert.Equal(0, _h.Call(SyscallNumber.Pipe2, fds, (ulong)flags));
        return (_h.I32(fds), _h.I32(fds + 4));
    }

    [Fact]
    public void A_pipe_carries_bytes_and_reports_EOF_when_the_writer_closes()
    {
        var (r, w) = Pipe(G.OCloExec);
        Assert.Equal(1, _h.Call(SyscallNumber.Fcntl, (ulong)r, 1));
        ulong text = _h.String("ping");
        Assert.Equal(4, _h.Call(SyscallNumber.Write, (ulong)w, text, 4));
        ulong count = _h.Alloc(4);
        Assert.Equal(0, _h.Call(SyscallNumber.Ioctl, (ulong)r, 0x541B, count)); // FIONREAD
        Assert.Equal(4, _h.I32(count));
        ulong buffer = _h.Alloc(16);
        Assert.Equal(4, _h.Call(SyscallNumber.Read, (ulong)r, buffer, 16));
        Assert.Equal(0, _h.Call(SyscallNumber.Close, (ulong)w));
        Assert.Equal(0, _h.Call(SyscallNumber.Read, (ulong)r, buffer, 16));
        Assert.Equal(-Errno.EINVAL, _h.Call(SyscallNumber.Pipe2, _h.Alloc(8), 1));
        Assert.Equal(-Errno.EFAULT, _h.Call(SyscallNumber.Pipe2, SyscallHarness.ReadOnlyPage, 0));
    }

    [Fact]
    public void Writing_to_a_pipe_without_reader_is_EPIPE_and_raises_SIGPIPE()
    {
        var (r, w) = Pipe();
        Assert.Equal(0, _h.Call(SyscallNumber.Close, (ulong)r));
        const ulong sigpipe = 1UL << (13 - 1);
        Assert.Equal(0UL, _h.Thread.SignalState.Pending.Mask & sigpipe);
        Assert.Equal(-Errno.EPIPE, _h.Call(SyscallNumber.Write, (ulong)w, _h.String("x"), 1));
        Assert.Equal(sigpipe, _h.Thread.SignalState.Pending.Mask & sigpipe);
    }

    [Fact]
    public void Nonblocking_pipe_read_is_EAGAIN()
    {
        var (r, _) = Pipe(G.ONonBlock);
        Assert.Equal(-Errno.EAGAIN, _h.Call(SyscallNumber.Read, (ulong)r, _h.Alloc(4), 4));
        Assert.Equal(G.ONonBlock, _h.Call(SyscallNumber.Fcntl, (ulong)r, 3) & G.ONonBlock);
    }

    [Fact]
    public void Eventfd_counts_and_memfd_holds_data()
    {
        long efd = _h.Call(SyscallNumber.Eventfd2, 3, (ulong)G.OCloExec);
        Assert.True(efd >= 3);
        ulong value = _h.Alloc(8);
        _h.Memory.TryWriteUInt64(value, 4);
        Assert.Equal(8, _h.Call(SyscallNumber.Write, (ulong)efd, value, 8));
        Assert.Equal(8, _h.Call(SyscallNumber.Read, (ulong)efd, value, 8));
        Assert.Equal(7, _h.I64(value));

        long mfd = _h.Call(SyscallNumber.MemfdCreate, _h.String("scratch"), 0);
        Assert.True(mfd >= 3);
        Assert.Equal(0, _h.Call(SyscallNumber.Fcntl, (ulong)mfd, 1));
        Assert.Equal(0, _h.Call(SyscallNumber.Ftruncate, (ulong)mfd, 12345));
        ulong st = _h.Alloc(128);
        Assert.Equal(0, _h.Call(SyscallNumber.Fstat, (ulong)mfd, st));
        Assert.Equal(12345, _h.I64(st + 48));
    }

    [Fact]
    public void Timerfd_expires_and_reports_the_count()
    {
        long tfd = _h.Call(SyscallNumber.TimerfdCreate, 1, 0); // CLOCK_MONOTONIC
        Assert.True(tfd >= 3);
        ulong spec = _h.Alloc(32);
        _h.Memory.TryWriteUInt64(spec + 24, 1_000_000); // it_value = 1 ms
        Assert.Equal(0, _h.Call(SyscallNumber.TimerfdSettime, (ulong)tfd, 0, spec, 0));
        ulong expirations = _h.Alloc(8);
        Assert.Equal(8, _h.Call(SyscallNumber.Read, (ulong)tfd, expirations, 8));
        Assert.Equal(1, _h.I64(expirations));
        Assert.Equal(0, _h.Call(SyscallNumber.TimerfdGettime, (ulong)tfd, spec));
        Assert.Equal(-Errno.ENOSYS, _h.Call(SyscallNumber.Signalfd4, unchecked((ulong)-1), spec, 8, 0));
    }

    [Fact]
    public void Ppoll_reports_readiness_and_POLLNVAL_for_closed_descriptors()
    {
        var (r, w) = Pipe();
        ulong fds = _h.Alloc(24);
        WritePollFd(fds, 0, r, 1);         // POLLIN
        WritePollFd(fds, 1, w, 4);         // POLLOUT
        WritePollFd(fds, 2, -1, 1);        // ignored
        ulong zero = _h.Alloc(16);
        Assert.Equal(1, _h.Call(SyscallNumber.Ppoll, fds, 3, zero, 0, 8));
        Assert.Equal(0, Revents(fds, 0));
        Assert.Equal(4, Revents(fds, 1));
        Assert.Equal(0, Revents(fds, 2));

        _h.Call(SyscallNumber.Write, (ulong)w, _h.String("x"), 1);
        Assert.Equal(2, _h.Call(SyscallNumber.Ppoll, fds, 3, 0, 0, 8)); // no timeout: returns because something is ready
        Assert.Equal(1, Revents(fds, 0));

        WritePollFd(fds, 2, 90, 1);
        Assert.Equal(3, _h.Call(SyscallNumber.Ppoll, fds, 3, 0, 0, 8));
        Assert.Equal(0x20, Revents(fds, 2)); // POLLNVAL

        ulong timeout = _h.Alloc(16);
        _h.Memory.TryWriteUInt64(timeout + 8, 2_000_000_000);
        Assert.Equal(-Errno.EINVAL, _h.Call(SyscallNumber.Ppoll, fds, 1, timeout, 0, 8));
    }

    [Fact]
    public void Pselect6_marks_ready_descriptors_and_clears_the_rest()
    {
        var (r, w) = Pipe();
        var (r2, _) = Pipe();
        ulong readSet = _h.Alloc(8), writeSet = _h.Alloc(8);
        _h.Memory.TryWriteUInt64(readSet, (1UL << r) | (1UL << r2));
        _h.Memory.TryWriteUInt64(writeSet, 1UL << w);
        ulong timeout = _h.Alloc(16);
        Assert.Equal(1, _h.Call(SyscallNumber.Pselect6, (ulong)Math.Max(r2, w) + 1, readSet, writeSet, 0, timeout, 0));
        Assert.Equal(0, _h.I64(readSet));
        Assert.Equal(1L << w, _h.I64(writeSet));

        _h.Call(SyscallNumber.Write, (ulong)w, _h.String("x"), 1);
        _h.Memory.TryWriteUInt64(readSet, (1UL << r) | (1UL << r2));
        Assert.Equal(1, _h.Call(SyscallNumber.Pselect6, (ulong)Math.Max(r2, w) + 1, readSet, 0, 0, timeout, 0));
        Assert.Equal(1L << r, _h.I64(readSet));

        _h.Memory.TryWriteUInt64(readSet, 1UL << 60);
        Assert.Equal(-Errno.EBADF, _h.Call(SyscallNumber.Pselect6, 61, readSet, 0, 0, timeout, 0));
    }

    [Fact]
    public void Epoll_events_use_the_16_byte_arm64_layout_and_return_the_guest_cookie()
    {
        var (r, w) = Pipe();
        long ep = _h.Call(SyscallNumber.EpollCreate1, (ulong)G.OCloExec);
        Assert.True(ep >= 3);
        ulong ev = _h.Alloc(16);
        _h.Memory.TryWriteInt32(ev, 1); // EPOLLIN
        _h.Memory.TryWriteUInt64(ev + 8, 0x1122334455667788);
        Assert.Equal(0, _h.Call(SyscallNumber.EpollCtl, (ulong)ep, 1, (ulong)r, ev)); // EPOLL_CTL_ADD
        Assert.Equal(-Errno.EEXIST, _h.Call(SyscallNumber.EpollCtl, (ulong)ep, 1, (ulong)r, ev));
        Assert.Equal(-Errno.EBADF, _h.Call(SyscallNumber.EpollCtl, (ulong)ep, 1, 77, ev));

        ulong events = _h.Alloc(64);
        Assert.Equal(0, _h.Call(SyscallNumber.EpollPwait, (ulong)ep, events, 4, 0, 0, 8));
        _h.Call(SyscallNumber.Write, (ulong)w, _h.String("x"), 1);
        _h.Memory.TryWrite(events, Enumerable.Repeat((byte)0xee, 64).ToArray());
        Assert.Equal(1, _h.Call(SyscallNumber.EpollPwait, (ulong)ep, events, 4, unchecked((ulong)-1), 0, 8));
        Assert.Equal(1u, _h.U32(events));
        Assert.Equal(0u, _h.U32(events + 4));
        Assert.Equal(0x1122334455667788, _h.I64(events + 8));
        Assert.Equal(0xeeeeeeeeu, _h.U32(events + 16));

        ulong zero = _h.Alloc(16);
        Assert.Equal(1, _h.Call(SyscallNumber.EpollPwait2, (ulong)ep, events, 4, zero, 0, 8));
        Assert.Equal(-Errno.EINVAL, _h.Call(SyscallNumber.EpollPwait, (ulong)ep, events, 0, 0, 0, 8));
        Assert.Equal(0, _h.Call(SyscallNumber.EpollCtl, (ulong)ep, 2, (ulong)r, 0)); // EPOLL_CTL_DEL
        Assert.Equal(0, _h.Call(SyscallNumber.EpollPwait, (ulong)ep, events, 4, 0, 0, 8));
    }

    [Fact]
    public void Ioctl_answers_ENOTTY_for_files_and_unknown_requests_and_FIOCLEX_sets_the_flag()
    {
        int fd = _h.Open(_h.PathIn("f"), G.OCreat | G.ORdWr);
        ulong termios = _h.Alloc(64);
        Assert.Equal(-Errno.ENOTTY, _h.Call(SyscallNumber.Ioctl, (ulong)fd, 0x5401, termios)); // TCGETS: isatty() is false
        Assert.Equal(-Errno.ENOTTY, _h.Call(SyscallNumber.Ioctl, (ulong)fd, 0xdead, termios));
        Assert.Equal(-Errno.EBADF, _h.Call(SyscallNumber.Ioctl, 99, 0x5401, termios));
        Assert.Equal(0, _h.Call(SyscallNumber.Ioctl, (ulong)fd, 0x5451, 0)); // FIOCLEX
        Assert.Equal(1, _h.Call(SyscallNumber.Fcntl, (ulong)fd, 1));
        var (r, _) = Pipe();
        Assert.Equal(-Errno.EFAULT, _h.Call(SyscallNumber.Ioctl, (ulong)r, 0x541B, SyscallHarness.ReadOnlyPage));
    }

    [Fact]
    public void Sendfile_and_copy_file_range_copy_between_descriptors_and_update_offsets()
    {
        File.WriteAllText(_h.PathIn("src"), "0123456789");
        int src = _h.Open(_h.PathIn("src"), G.ORdOnly);
        int dst = _h.Open(_h.PathIn("dst"), G.OCreat | G.ORdWr);
        ulong offset = _h.Alloc(8);
        _h.Memory.TryWriteUInt64(offset, 2);
        Assert.Equal(5, _h.Call(SyscallNumber.Sendfile, (ulong)dst, (ulong)src, offset, 5));
        Assert.Equal(7, _h.I64(offset));
        Assert.Equal("23456", File.ReadAllText(_h.PathIn("dst")));
        Assert.Equal(3, _h.Call(SyscallNumber.CopyFileRange, (ulong)src, offset, (ulong)dst, 0, 3, 0));
        Assert.Equal("23456789", File.ReadAllText(_h.PathIn("dst")));
        Assert.Equal(10, _h.I64(offset));
        _h.Memory.TryWriteUInt64(offset, 7);

        var (r, w) = Pipe();
        Assert.Equal(3, _h.Call(SyscallNumber.Splice, (ulong)src, offset, (ulong)w, 0, 4, 0)); // only "789" is left
        ulong buffer = _h.Alloc(8);
        Assert.Equal(3, _h.Call(SyscallNumber.Read, (ulong)r, buffer, 8));
    }

    private void WritePollFd(ulong array, int index, int fd, short events)
    {
        _h.Memory.TryWriteInt32(array + (ulong)(8 * index), fd);
        _h.Memory.TryWriteStruct(array + (ulong)(8 * index) + 4, events);
        _h.Memory.TryWriteStruct(array + (ulong)(8 * index) + 6, (short)0x7777);
    }

    private short Revents(ulong array, int index) => BitConverter.ToInt16(_h.Read(array + (ulong)(8 * index) + 6, 2));
}

/// <summary>Blocking calls end early when a guest signal arrives, as Linux's do.</summary>
public sealed class InterruptionTests : IDisposable
{
    private const int SigUsr1 = 10;
    private readonly SyscallHarness _h = new();

    public void Dispose() => _h.Dispose();

    private (int Read, int Write) Pipe()
    {
        ulong fds = _h.Alloc(8);
        Assert.Equal(0, _h.Call(SyscallNumber.Pipe2, fds, 0));
        return (_h.I32(fds), _h.I32(fds + 4));
    }

    private async Task<long> CallWhileSignalled(Func<long> call)
    {
        var running = Task.Run(call);
        await Task.Delay(100);
        Assert.False(running.IsCompleted, "the call should block until the signal");
        EdgeVisor.Emulation.Linux.Signals.SignalDelivery.Send(_h.Thread, SigUsr1);
        return await running.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_blocked_pipe_read_returns_restart_when_a_signal_arrives()
    {
        var (r, _) = Pipe();
        ulong buffer = _h.Alloc(8);
        Assert.Equal(EdgeVisor.Emulation.Linux.Signals.SignalDelivery.RestartSys, await CallWhileSignalled(() => _h.Call(SyscallNumber.Read, (ulong)r, buffer, 8)));
    }

    [Fact]
    public async Task Ppoll_without_timeout_is_interrupted()
    {
        var (r, _) = Pipe();
        ulong fds = _h.Alloc(8);
        _h.Memory.TryWriteInt32(fds, r);
        _h.Memory.TryWriteStruct(fds + 4, (short)1);
        Assert.Equal(EdgeVisor.Emulation.Linux.Signals.SignalDelivery.RestartSys, await CallWhileSignalled(() => _h.Call(SyscallNumber.Ppoll, fds, 1, 0, 0, 8)));
    }

    [Fact]
    public async Task Epoll_wait_reports_EINTR_when_a_signal_arrives()
    {
        long ep = _h.Call(SyscallNumber.EpollCreate1, 0);
        ulong events = _h.Alloc(16);
        Assert.Equal(-Errno.EINTR, await CallWhileSignalled(() => _h.Call(SyscallNumber.EpollPwait, (ulong)ep, events, 1, unchecked((ulong)-1), 0, 8)));
    }

    [Fact]
    public async Task Ppoll_mask_blocks_the_signal_for_the_wait_and_is_put_back_after()
    {
        var (r, _) = Pipe();
        ulong fds = _h.Alloc(8);
        _h.Memory.TryWriteInt32(fds, r);
        _h.Memory.TryWriteStruct(fds + 4, (short)1);
        ulong mask = _h.Alloc(8);
        _h.Memory.TryWriteUInt64(mask, 1UL << (SigUsr1 - 1));
        ulong timeout = _h.Alloc(16);
        _h.Memory.TryWriteUInt64(timeout + 8, 300_000_000); // 0.3 s
        var running = Task.Run(() => _h.Call(SyscallNumber.Ppoll, fds, 1, timeout, mask, 8));
        await Task.Delay(100);
        EdgeVisor.Emulation.Linux.Signals.SignalDelivery.Send(_h.Thread, SigUsr1);
        Assert.Equal(0, await running.WaitAsync(TimeSpan.FromSeconds(5))); // timed out: the blocked signal did not interrupt
        Assert.Equal(0UL, _h.Thread.SignalState.Blocked);
        Assert.Equal(0, _h.I64(timeout) + _h.I64(timeout + 8)); // no time left
        Assert.Equal(-Errno.EINVAL, _h.Call(SyscallNumber.Ppoll, fds, 1, timeout, mask, 16));
    }
}
