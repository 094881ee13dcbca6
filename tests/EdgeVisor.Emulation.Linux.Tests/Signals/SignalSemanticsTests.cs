using EdgeVisor.Emulation.Linux.Kernel;
using EdgeVisor.Emulation.Linux.Signals;
using EdgeVisor.Emulation.Linux.Threads;
using static EdgeVisor.Emulation.Linux.Signals.SignalNumbers;

namespace EdgeVisor.Emulation.Linux.Tests.Signals;

public sealed class SignalSemanticsTests
{
    private const ulong Act = KernelHarness.Data;
    private const ulong OldAct = KernelHarness.Data + 0x40;
    private const ulong Set = KernelHarness.Data + 0x80;
    private const ulong OldSet = KernelHarness.Data + 0x88;
    private const ulong Handler = 0x40_0000;

    private static long SetAction(KernelHarness h, int signal, ulong handler, ulong flags = 0, ulong mask = 0)
    {
        h.Memory.TryWriteStruct(Act, new SignalAction(handler, flags, 0, mask));
        return h.Call(SyscallNumber.RtSigaction, (ulong)signal, Act, 0, 8);
    }

    [Fact]
    public void Sigaction_returns_the_previous_action_and_refuses_sigkill_and_bad_sizes()
    {
        using var h = new KernelHarness();
        Assert.Equal(0, SetAction(h, SIGINT, Handler, SA_RESTART, Bit(SIGKILL) | Bit(SIGQUIT)));
        Assert.Equal(0, h.Call(SyscallNumber.RtSigaction, SIGINT, 0, OldAct, 8));
        Assert.True(h.Memory.TryReadStruct(OldAct, out SignalAction old));
        Assert.Equal(new SignalAction(Handler, SA_RESTART, 0, Bit(SIGQUIT)), old); // SIGKILL cannot be masked
        Assert.Equal(-Errno.EINVAL, SetAction(h, SIGKILL, Handler));
        Assert.Equal(-Errno.EINVAL, h.Call(SyscallNumber.RtSigaction, SIGINT, Act, 0, 16));
        Assert.Equal(-Errno.EINVAL, h.Call(SyscallNumber.RtSigaction, 65, 0, 0, 8));
        Assert.Equal(-Errno.EFAULT, h.Call(SyscallNumber.RtSigaction, SIGINT, 0x10, 0, 8));
    }

    [Fact]
    public void Sigprocmask_block_unblock_setmask_and_pending()
    {
        using var h = new KernelHarness();
        h.Memory.TryWriteUInt64(Set, Bit(SIGUSR1) | Bit(SIGKILL));
        Assert.Equal(0, h.Call(SyscallNumber.RtSigprocmask, 0, Set, OldSet, 8));
        Assert.Equal(Bit(SIGUSR1), h.Thread.SignalState.Blocked);
        h.Memory.TryWriteUInt64(Set, Bit(SIGUSR2));
        Assert.Equal(0, h.Call(SyscallNumber.RtSigprocmask, 0, Set, 0, 8));
        Assert.Equal(0, h.Call(SyscallNumber.RtSigprocmask, 1, Set, OldSet, 8));
        Assert.True(h.Memory.TryReadUInt64(OldSet, out ulong old));
        Assert.Equal(Bit(SIGUSR1) | Bit(SIGUSR2), old);
        Assert.Equal(-Errno.EINVAL, h.Call(SyscallNumber.RtSigprocmask, 3, Set, 0, 8));

        // A blocked signal stays pending and shows in rt_sigpending; unblocking delivers it.
        Assert.Equal(0, SetAction(h, SIGUSR1, Handler));
        Assert.Equal(0, h.Call(SyscallNumber.Kill, (ulong)Environment.ProcessId, SIGUSR1));
        SignalDelivery.DeliverPending(h.Thread);
        Assert.NotEqual(Handler, h.Thread.Cpu.Pc);
        Assert.Equal(0, h.Call(SyscallNumber.RtSigpending, Set, 8));
        Assert.True(h.Memory.TryReadUInt64(Set, out ulong pending));
        Assert.Equal(Bit(SIGUSR1), pending);

        h.Memory.TryWriteUInt64(Set, 0);
        h.CallAsLoop(SyscallNumber.RtSigprocmask, 2, Set, 0, 8);
        Assert.Equal(Handler, h.Thread.Cpu.Pc);
    }

    [Fact]
    public void Default_action_terminates_and_records_the_signal()
    {
        using var h = new KernelHarness();
        Assert.Equal(0, h.Call(SyscallNumber.Tkill, (ulong)h.Thread.Tid, SIGTERM));
        SignalDelivery.DeliverPending(h.Thread);
        Assert.Equal(SIGTERM, h.Process.SignalState.TerminatingSignal);
    }

    [Fact]
    public void Ignored_and_default_ignore_signals_are_discarded()
    {
        using var h = new KernelHarness();
        Assert.Equal(0, SetAction(h, SIGTERM, SIG_IGN));
        Assert.Equal(0, h.Call(SyscallNumber.Kill, (ulong)Environment.ProcessId, SIGTERM));
        Assert.Equal(0, h.Call(SyscallNumber.Kill, (ulong)Environment.ProcessId, SIGCHLD));
        Assert.Equal(0, h.Call(SyscallNumber.Kill, (ulong)Environment.ProcessId, SIGWINCH));
        SignalDelivery.DeliverPending(h.Thread);
        Assert.Equal(0, h.Process.SignalState.TerminatingSignal);
        Assert.Equal(0UL, h.Process.SignalState.Pending.Mask);
    }

    [Fact]
    public void Setting_sig_ign_discards_a_pending_signal()
    {
        using var h = new KernelHarness();
        h.Thread.SignalState.Pending.Add(SignalInfo.FromUser(SIGHUP, 1, 0));
        h.Memory.TryWriteUInt64(Set, Bit(SIGHUP));
        Assert.Equal(0, h.Call(SyscallNumber.RtSigprocmask, 0, Set, 0, 8));
        Assert.Equal(0, SetAction(h, SIGHUP, SIG_IGN));
        Assert.Equal(0UL, h.Thread.SignalState.Pending.Mask);
    }

    [Fact]
    public void Resethand_restores_the_default_and_nodefer_leaves_the_signal_unblocked()
    {
        using var h = new KernelHarness();
        Assert.Equal(0, SetAction(h, SIGUSR1, Handler, SA_RESETHAND | SA_NODEFER));
        h.Thread.SignalState.Pending.Add(SignalInfo.FromUser(SIGUSR1, 1, 0));
        SignalDelivery.DeliverPending(h.Thread);
        Assert.Equal(Handler, h.Thread.Cpu.Pc);
        Assert.Equal(0UL, h.Thread.SignalState.Blocked & Bit(SIGUSR1));
        Assert.Equal(SignalAction.Default, h.Process.SignalState.GetAction(SIGUSR1));
    }

    [Fact]
    public void A_blocked_fault_signal_kills_the_process_even_with_a_handler()
    {
        using var h = new KernelHarness();
        Assert.Equal(0, SetAction(h, SIGSEGV, Handler));
        h.Memory.TryWriteUInt64(Set, Bit(SIGSEGV));
        Assert.Equal(0, h.Call(SyscallNumber.RtSigprocmask, 0, Set, 0, 8));
        SignalDelivery.RaiseFault(h.Thread, SIGSEGV, SEGV_MAPERR, 0);
        Assert.Equal(SIGSEGV, h.Process.SignalState.TerminatingSignal);
    }

    [Fact]
    public void An_unwritable_stack_turns_delivery_into_sigsegv()
    {
        using var h = new KernelHarness();
        Assert.Equal(0, SetAction(h, SIGUSR1, Handler));
        h.Thread.Cpu.Sp = 0x3000_0000; // unmapped
        h.Thread.SignalState.Pending.Add(SignalInfo.FromUser(SIGUSR1, 1, 0));
        SignalDelivery.DeliverPending(h.Thread);
        Assert.Equal(SIGSEGV, h.Process.SignalState.TerminatingSignal);
    }

    [Theory]
    [InlineData(SA_RESTART, true)]
    [InlineData(0UL, false)]
    public void An_interrupted_futex_wait_restarts_only_with_sa_restart(ulong flags, bool restarts)
    {
        using var h = new KernelHarness();
        Assert.Equal(0, SetAction(h, SIGUSR1, Handler, flags));
        var cpu = h.Thread.Cpu;
        cpu.Pc = 0x10004; // after the svc
        const ulong word = KernelHarness.Data + 0x400;
        var sender = KernelHarness.After(50, () => SignalDelivery.Send(h.Thread, SignalInfo.FromUser(SIGUSR1, 1, 0)));
        h.CallAsLoop(SyscallNumber.Futex, word, 0, 0, 0);
        sender.Join();
        Assert.Equal(Handler, cpu.Pc);
        Assert.True(h.Memory.TryReadUInt64(cpu.Sp + SignalFrame.PcOffset, out ulong resume));
        Assert.True(h.Memory.TryReadUInt64(cpu.Sp + SignalFrame.RegsOffset, out ulong x0));
        if (restarts)
        {
            Assert.Equal(0x10000UL, resume);
            Assert.Equal(word, x0);
        }
        else
        {
            Assert.Equal(0x10004UL, resume);
            Assert.Equal(unchecked((ulong)-Errno.EINTR), x0);
        }
    }

    [Fact]
    public void Sigtimedwait_takes_a_blocked_pending_signal_and_times_out_with_eagain()
    {
        using var h = new KernelHarness();
        h.Memory.TryWriteUInt64(Set, Bit(SIGUSR2));
        Assert.Equal(0, h.Call(SyscallNumber.RtSigprocmask, 0, Set, 0, 8));
        h.Memory.TryWriteStruct(KernelHarness.Data + 0x100, new GuestTimeout.Timespec { Seconds = 0, Nanoseconds = 20_000_000 });
        Assert.Equal(-Errno.EAGAIN, h.Call(SyscallNumber.RtSigtimedwait, Set, 0, KernelHarness.Data + 0x100, 8));

        var sender = KernelHarness.After(30, () => SignalDelivery.SendToProcess(h.Process, SignalInfo.FromUser(SIGUSR2, 42, 7)));
        Assert.Equal(SIGUSR2, h.Call(SyscallNumber.RtSigtimedwait, Set, KernelHarness.Data + 0x200, 0, 8));
        sender.Join();
        Assert.True(h.Memory.TryReadInt32(KernelHarness.Data + 0x200 + 16, out int pid));
        Assert.Equal(42, pid);
        Assert.Equal(Bit(SIGUSR2), h.Thread.SignalState.Blocked);
    }

    [Fact]
    public void Sigsuspend_waits_with_the_temporary_mask_and_the_handler_frame_keeps_the_old_one()
    {
        using var h = new KernelHarness();
        Assert.Equal(0, SetAction(h, SIGUSR1, Handler));
        h.Memory.TryWriteUInt64(Set, Bit(SIGUSR1));
        Assert.Equal(0, h.Call(SyscallNumber.RtSigprocmask, 0, Set, 0, 8));
        h.Memory.TryWriteUInt64(Set, 0);
        var sender = KernelHarness.After(30, () => SignalDelivery.SendToProcess(h.Process, SignalInfo.FromUser(SIGUSR1, 1, 0)));
        h.CallAsLoop(SyscallNumber.RtSigsuspend, Set, 8);
        sender.Join();
        var cpu = h.Thread.Cpu;
        Assert.Equal(Handler, cpu.Pc);
        Assert.True(h.Memory.TryReadUInt64(cpu.Sp + SignalFrame.RegsOffset, out ulong x0));
        Assert.Equal(unchecked((ulong)-Errno.EINTR), x0);
        Assert.True(h.Memory.TryReadUInt64(cpu.Sp + SignalFrame.UcSigmaskOffset, out ulong saved));
        Assert.Equal(Bit(SIGUSR1), saved);
    }

    [Fact]
    public void Process_signal_goes_to_a_thread_that_does_not_block_it()
    {
        using var h = new KernelHarness();
        Assert.Equal(0, SetAction(h, SIGUSR1, Handler));
        var second = h.NewThread();
        second.Cpu.Sp = KernelHarness.StackTop - 0x8000;
        h.Memory.TryWriteUInt64(Set, Bit(SIGUSR1));
        Assert.Equal(0, h.Call(SyscallNumber.RtSigprocmask, 0, Set, 0, 8));
        Assert.Equal(0, h.Call(SyscallNumber.Kill, (ulong)Environment.ProcessId, SIGUSR1));
        SignalDelivery.DeliverPending(h.Thread);
        SignalDelivery.DeliverPending(second);
        Assert.NotEqual(Handler, h.Thread.Cpu.Pc);
        Assert.Equal(Handler, second.Cpu.Pc);
    }

    [Fact]
    public void Tgkill_checks_the_thread_and_signal()
    {
        using var h = new KernelHarness();
        Assert.Equal(-Errno.ESRCH, h.Call(SyscallNumber.Tgkill, (ulong)Environment.ProcessId, 999_999, SIGUSR1));
        Assert.Equal(-Errno.EINVAL, h.Call(SyscallNumber.Tgkill, (ulong)Environment.ProcessId, (ulong)h.Thread.Tid, 99));
        Assert.Equal(0, h.Call(SyscallNumber.Tgkill, (ulong)Environment.ProcessId, (ulong)h.Thread.Tid, 0));
    }

    [Fact]
    public void Realtime_signals_queue_every_instance_standard_ones_merge()
    {
        var pending = new PendingSignals();
        pending.Add(SignalInfo.FromUser(SIGRTMIN + 1, 1, 0));
        pending.Add(SignalInfo.FromUser(SIGRTMIN + 1, 2, 0));
        pending.Add(SignalInfo.FromUser(SIGUSR1, 3, 0));
        pending.Add(SignalInfo.FromUser(SIGUSR1, 4, 0));
        Assert.Equal(SIGUSR1, pending.Lowest(ulong.MaxValue));
        Assert.Equal(3, pending.Take(SIGUSR1)!.Pid);
        Assert.Null(pending.Take(SIGUSR1));
        Assert.Equal(1, pending.Take(SIGRTMIN + 1)!.Pid);
        Assert.Equal(2, pending.Take(SIGRTMIN + 1)!.Pid);
        Assert.Equal(0UL, pending.Mask);
    }

    [Fact]
    public void Itimer_real_raises_sigalrm()
    {
        using var h = new KernelHarness();
        Assert.Equal(0, SetAction(h, SIGALRM, Handler));
        h.Memory.TryWriteUInt64(KernelHarness.Data + 0x100, 0);
        h.Memory.TryWriteUInt64(KernelHarness.Data + 0x108, 0);
        h.Memory.TryWriteUInt64(KernelHarness.Data + 0x110, 0);
        h.Memory.TryWriteUInt64(KernelHarness.Data + 0x118, 20_000); // 20 ms
        Assert.Equal(0, h.Call(SyscallNumber.Setitimer, 0, KernelHarness.Data + 0x100, 0));
        Assert.Equal(0, h.Call(SyscallNumber.Getitimer, 0, KernelHarness.Data + 0x200));
        Assert.True(h.Memory.TryReadUInt64(KernelHarness.Data + 0x218, out ulong left));
        Assert.InRange(left, 1UL, 20_000UL);
        h.Memory.TryWriteUInt64(Set, 0);
        h.CallAsLoop(SyscallNumber.RtSigsuspend, Set, 8);
        Assert.Equal(Handler, h.Thread.Cpu.Pc);
        Assert.Equal(-Errno.EINVAL, h.Call(SyscallNumber.Setitimer, 1, KernelHarness.Data + 0x100, 0));
    }
}
