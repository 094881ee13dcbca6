using EdgeVisor.Emulation.Linux.Kernel;
using EdgeVisor.Emulation.Linux.Tests.Signals;
using EdgeVisor.Emulation.Linux.Threads;

namespace EdgeVisor.Emulation.Linux.Tests.Threads;

[Collection(nameof(CoreThreadsHooks))]
public sealed class ThreadLifecycleTests
{
    private const ulong Head = KernelHarness.Data + 0x100;
    private const ulong Lock = KernelHarness.Data + 0x200;

    [Fact]
    public void Exit_zeroes_clear_child_tid_and_wakes_the_joiner()
    {
        using var h = new KernelHarness();
        var child = h.NewThread(4242);
        const ulong tidWord = KernelHarness.Data + 0x40;
        h.Memory.TryWriteInt32(tidWord, 4242);
        Assert.Equal(4242, h.Call(SyscallNumber.SetTidAddress, tidWord, thread: child));
        long joined = 1;
        var joiner = new System.Threading.Thread(() => joined = h.Call(SyscallNumber.Futex, tidWord, 0, 4242));
        joiner.Start();
        System.Threading.Thread.Sleep(30);
        ThreadExit.Run(child);
        Assert.True(joiner.Join(TimeSpan.FromSeconds(5)));
        Assert.True(joined is 0 or -Errno.EAGAIN);
        Assert.True(h.Memory.TryReadInt32(tidWord, out int value));
        Assert.Equal(0, value);
        Assert.Null(CoreThreads.Find(h.Process, 4242));
    }

    [Fact]
    public void Exit_marks_held_robust_futexes_owner_died_and_leaves_others_alone()
    {
        using var h = new KernelHarness();
        var owner = h.NewThread(777);
        // Head: next -> entry1 -> entry2 -> head, futex_offset = 16 (the lock word follows the list node).
        const ulong entry1 = Lock;
        const ulong entry2 = Lock + 0x40;
        h.Memory.TryWriteUInt64(Head, entry1);
        h.Memory.TryWriteUInt64(Head + 8, 16);
        h.Memory.TryWriteUInt64(Head + 16, 0);
        h.Memory.TryWriteUInt64(entry1, entry2);
        h.Memory.TryWriteUInt64(entry2, Head);
        h.Memory.TryWriteInt32(entry1 + 16, unchecked((int)0x80000000) | 777); // held with waiters
        h.Memory.TryWriteInt32(entry2 + 16, 778); // someone else's
        Assert.Equal(0, h.Call(SyscallNumber.SetRobustList, Head, 24, thread: owner));
        Assert.Equal(-Errno.EINVAL, h.Call(SyscallNumber.SetRobustList, Head, 16, thread: owner));

        Assert.Equal(0, h.Call(SyscallNumber.GetRobustList, 777, KernelHarness.Data + 0x300, KernelHarness.Data + 0x308));
        Assert.True(h.Memory.TryReadUInt64(KernelHarness.Data + 0x300, out ulong reported));
        Assert.Equal(Head, reported);

        ThreadExit.Run(owner);
        Assert.True(h.Memory.TryReadInt32(entry1 + 16, out int first));
        Assert.Equal(unchecked((int)0xC0000000), first);
        Assert.True(h.Memory.TryReadInt32(entry2 + 16, out int second));
        Assert.Equal(778, second);
    }

    [Fact]
    public void Clone_of_a_thread_copies_registers_and_sets_sp_tls_and_tids()
    {
        using var h = new KernelHarness();
        LinuxThread? started = null;
        CoreThreads.Starter = t => started = t;
        try
        {
            var cpu = h.Thread.Cpu;
            cpu.X[5] = 55;
            cpu.Pc = 0x10008;
            const ulong ptid = KernelHarness.Data + 0x10;
            const ulong ctid = KernelHarness.Data + 0x14;
            const ulong flags = 0x3D0F00; // glibc's pthread_create flags
            long tid = h.Call(SyscallNumber.Clone, flags, KernelHarness.StackTop - 0x4000, ptid, 0xABC0, ctid);
            Assert.True(tid > 0);
            Assert.NotNull(started);
            Assert.Equal((int)tid, started.Tid);
            Assert.Equal(0UL, started.Cpu.X[0]);
            Assert.Equal(55UL, started.Cpu.X[5]);
            Assert.Equal(0x10008UL, started.Cpu.Pc);
            Assert.Equal(KernelHarness.StackTop - 0x4000, started.Cpu.Sp);
            Assert.Equal(0xABC0UL, started.Cpu.TpidrEl0);
            Assert.Equal(ctid, started.ClearChildTidAddress);
            Assert.True(h.Memory.TryReadInt32(ptid, out int written));
            Assert.Equal((int)tid, written);
            Assert.Same(started, CoreThreads.Find(h.Process, (int)tid));
            Assert.Equal(-Errno.ENOSYS, h.Call(SyscallNumber.Clone3, 0, 0));
        }
        finally
        {
            CoreThreads.Starter = null;
        }
    }
}

/// <summary>Tests that install the process-wide CoreThreads hooks run one at a time.</summary>
[CollectionDefinition(nameof(CoreThreadsHooks), DisableParallelization = true)]
public sealed class CoreThreadsHooks;
