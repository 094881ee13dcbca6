using EdgeVisor.Emulation.Linux.Kernel;
using EdgeVisor.Emulation.Linux.Tests.Signals;
using EdgeVisor.Emulation.Linux.Threads;

namespace EdgeVisor.Emulation.Linux.Tests.Threads;

public sealed class ThreadLifecycleTests
{
    private const ulong Head = KernelHarness.Data + 0x100;
    private const ulong Lock = KernelHarness.Data + 0x200;

    [Fact]
    public void Exit_zeroes_clear_child_tid_and_wakes_the_joiner()
    {
        using var h = new KernelHarness();
        var child = h.NewThread();
        int tid = child.Tid;
        const ulong tidWord = KernelHarness.Data + 0x40;
        h.Memory.TryWriteInt32(tidWord, tid);
        Assert.Equal(tid, h.Call(SyscallNumber.SetTidAddress, tidWord, thread: child));
        long joined = 1;
        var joiner = new System.Threading.Thread(() => joined = h.Call(SyscallNumber.Futex, tidWord, 0, (ulong)tid));
        joiner.Start();
        System.Threading.Thread.Sleep(30);

        // The thread's loop ends at once (it has exited) and the process runs the exit work on its host thread.
        child.Exit(0);
        child.Start();
        Assert.True(joiner.Join(TimeSpan.FromSeconds(5)), "the joiner was not woken");
        Assert.True(joined is 0 or -Errno.EAGAIN);
        Assert.True(h.Memory.TryReadInt32(tidWord, out int value));
        Assert.Equal(0, value);
        Assert.Null(CoreThreads.Find(h.Process, tid));
    }

    [Fact]
    public void Exit_marks_held_robust_futexes_owner_died_and_leaves_others_alone()
    {
        using var h = new KernelHarness();
        var owner = h.NewThread();
        int tid = owner.Tid;

        // Head: next -> entry1 -> entry2 -> head, futex_offset = 16 (the lock word follows the list node).
        const ulong entry1 = Lock;
        const ulong entry2 = Lock + 0x40;
        h.Memory.TryWriteUInt64(Head, entry1);
        h.Memory.TryWriteUInt64(Head + 8, 16);
        h.Memory.TryWriteUInt64(Head + 16, 0);
        h.Memory.TryWriteUInt64(entry1, entry2);
        h.Memory.TryWriteUInt64(entry2, Head);
        h.Memory.TryWriteInt32(entry1 + 16, unchecked((int)0x80000000) | tid); // held, with waiters
        h.Memory.TryWriteInt32(entry2 + 16, tid + 1); // someone else's
        Assert.Equal(0, h.Call(SyscallNumber.SetRobustList, Head, 24, thread: owner));
        Assert.Equal(-Errno.EINVAL, h.Call(SyscallNumber.SetRobustList, Head, 16, thread: owner));

        Assert.Equal(0, h.Call(SyscallNumber.GetRobustList, (ulong)tid, KernelHarness.Data + 0x300, KernelHarness.Data + 0x308));
        Assert.True(h.Memory.TryReadUInt64(KernelHarness.Data + 0x300, out ulong reported));
        Assert.Equal(Head, reported);

        long waited = 1;
        var waiter = new System.Threading.Thread(() => waited = h.Call(SyscallNumber.Futex, entry1 + 16, 0, 0x80000000UL | (uint)tid));
        waiter.Start();
        System.Threading.Thread.Sleep(30);
        ThreadExit.Run(owner);
        Assert.True(waiter.Join(TimeSpan.FromSeconds(5)), "the waiter was not woken");
        Assert.True(h.Memory.TryReadInt32(entry1 + 16, out int first));
        Assert.Equal(unchecked((int)0xC0000000), first);
        Assert.True(h.Memory.TryReadInt32(entry2 + 16, out int second));
        Assert.Equal(tid + 1, second);
    }

    [Fact]
    public void Clone_of_a_thread_copies_registers_and_sets_sp_tls_and_tids()
    {
        using var h = new KernelHarness();
        var cpu = h.Thread.Cpu;
        cpu.X[5] = 55;
        cpu.Pc = 0x10008;
        const ulong ptid = KernelHarness.Data + 0x10;
        const ulong ctid = KernelHarness.Data + 0x14;
        const ulong flags = 0x3D0F00; // glibc's pthread_create: VM FS FILES SIGHAND THREAD SYSVSEM SETTLS PARENT_SETTID CHILD_CLEARTID
        h.Memory.TryWriteInt32(ctid, -1);

        // The process is already exiting, so the new thread's loop returns without running guest code and the test
        // sees the state clone gave it, then its exit work.
        LinuxThread? exited = null;
        using var left = new ManualResetEventSlim();
        h.Process.ThreadExiting += t =>
        {
            exited = t;
            left.Set();
        };
        h.Process.ExitGroup(ExitStatus.Exited(0));
        long tid = h.Call(SyscallNumber.Clone, flags, KernelHarness.StackTop - 0x4000, ptid, 0xABC0, ctid);
        Assert.True(tid > 0);
        Assert.True(left.Wait(TimeSpan.FromSeconds(5)));
        Assert.NotNull(exited);
        Assert.Equal((int)tid, exited.Tid);
        Assert.Equal(0UL, exited.Cpu.X[0]);
        Assert.Equal(55UL, exited.Cpu.X[5]);
        Assert.Equal(0x10008UL, exited.Cpu.Pc);
        Assert.Equal(KernelHarness.StackTop - 0x4000, exited.Cpu.Sp);
        Assert.Equal(0xABC0UL, exited.Cpu.TpidrEl0);
        Assert.True(h.Memory.TryReadInt32(ptid, out int written));
        Assert.Equal((int)tid, written);
        Assert.True(SpinUntil(() => h.Memory.TryReadInt32(ctid, out int cleared) && cleared == 0), "clear_child_tid was not cleared at exit");
        Assert.Equal(-Errno.ENOSYS, h.Call(SyscallNumber.Clone3, 0, 0));
        Assert.Equal(-Errno.EINVAL, h.Call(SyscallNumber.Clone, 0x10100)); // CLONE_VM|CLONE_THREAD without SIGHAND
    }

    private static bool SpinUntil(Func<bool> condition)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.ElapsedMilliseconds > 5000)
            {
                return false;
            }

            System.Threading.Thread.Sleep(2);
        }

        return true;
    }
}
