using System.Diagnostics;
using EdgeVisor.Emulation.Linux.Kernel;
using EdgeVisor.Emulation.Linux.Signals;
using EdgeVisor.Emulation.Linux.Tests.Signals;
using EdgeVisor.Emulation.Linux.Threads;

namespace EdgeVisor.Emulation.Linux.Tests.Threads;

public sealed class FutexTests
{
    private const ulong Word = KernelHarness.Data + 0x1000;
    private const ulong Word2 = KernelHarness.Data + 0x2000;
    private const ulong Timeout = KernelHarness.Data + 0x3000;
    private const int Wait = 0;
    private const int Wake = 1;
    private const int Requeue = 3;
    private const int CmpRequeue = 4;
    private const int WakeOp = 5;
    private const int WaitBitset = 9;
    private const int WakeBitset = 10;
    private const int Private = 128;
    private const int ClockRealtime = 256;

    /// <summary>Starts <paramref name="count"/> guest threads blocked in FUTEX_WAIT on <paramref name="word"/>; returns them with their results.</summary>
    private static (System.Threading.Thread[] Hosts, long[] Results) StartWaiters(KernelHarness h, ulong word, int count, int op = Wait, uint bitset = 0, uint expected = 0)
    {
        var results = new long[count];
        var hosts = new System.Threading.Thread[count];
        for (int i = 0; i < count; i++)
        {
            int index = i;
            var guest = h.NewThread();
            hosts[i] = new System.Threading.Thread(() => results[index] = h.Call(SyscallNumber.Futex, word, (ulong)op, expected, 0, 0, bitset, guest));
            hosts[i].Start();
        }

        WaitUntilQueued(h, word, count);
        return (hosts, results);
    }

    /// <summary>Spins until the waiters are asleep: a FUTEX_WAKE of 0 waiters tells nothing, so probe by requeueing onto the same word.</summary>
    private static void WaitUntilQueued(KernelHarness h, ulong word, int count)
    {
        var watch = Stopwatch.StartNew();
        while (h.Process.Futexes.Requeue(h.Thread, word, word, 0, int.MaxValue, null) < count)
        {
            Assert.True(watch.ElapsedMilliseconds < 5000, "waiters never queued");
            System.Threading.Thread.Sleep(2);
        }
    }

    [Fact]
    public void Wait_returns_eagain_when_the_word_differs_and_einval_when_misaligned()
    {
        using var h = new KernelHarness();
        h.Memory.TryWriteInt32(Word, 5);
        Assert.Equal(-Errno.EAGAIN, h.Call(SyscallNumber.Futex, Word, Wait | Private, 4));
        Assert.Equal(-Errno.EINVAL, h.Call(SyscallNumber.Futex, Word + 1, Wait, 5));
        Assert.Equal(-Errno.EFAULT, h.Call(SyscallNumber.Futex, 0x3000_0000, Wait, 0));
    }

    [Fact]
    public void Wake_wakes_at_most_the_requested_number()
    {
        using var h = new KernelHarness();
        var (hosts, results) = StartWaiters(h, Word, 3);
        Assert.Equal(2, h.Call(SyscallNumber.Futex, Word, Wake | Private, 2));
        Assert.Equal(1, h.Call(SyscallNumber.Futex, Word, Wake, 10));
        Assert.Equal(0, h.Call(SyscallNumber.Futex, Word, Wake, 10));
        foreach (var host in hosts)
        {
            host.Join();
        }

        Assert.All(results, r => Assert.Equal(0, r));
    }

    [Fact]
    public void Relative_timeout_gives_etimedout_after_the_time_has_passed()
    {
        using var h = new KernelHarness();
        h.Memory.TryWriteStruct(Timeout, new GuestTimeout.Timespec { Seconds = 0, Nanoseconds = 30_000_000 });
        var watch = Stopwatch.StartNew();
        Assert.Equal(-Errno.ETIMEDOUT, h.Call(SyscallNumber.Futex, Word, Wait, 0, Timeout));
        Assert.InRange(watch.ElapsedMilliseconds, 29, 2000);
        h.Memory.TryWriteStruct(Timeout, new GuestTimeout.Timespec { Seconds = 0, Nanoseconds = 1_000_000_000 });
        Assert.Equal(-Errno.EINVAL, h.Call(SyscallNumber.Futex, Word, Wait, 0, Timeout));
    }

    [Fact]
    public void Wait_bitset_takes_an_absolute_realtime_deadline()
    {
        using var h = new KernelHarness();
        var deadline = DateTime.UtcNow.AddMilliseconds(40) - DateTime.UnixEpoch;
        h.Memory.TryWriteStruct(Timeout, new GuestTimeout.Timespec { Seconds = (long)deadline.TotalSeconds, Nanoseconds = deadline.Ticks % TimeSpan.TicksPerSecond * 100 });
        var watch = Stopwatch.StartNew();
        Assert.Equal(-Errno.ETIMEDOUT, h.Call(SyscallNumber.Futex, Word, WaitBitset | ClockRealtime, 0, Timeout, 0, FutexTable.MatchAny));
        Assert.InRange(watch.ElapsedMilliseconds, 20, 2000);
        Assert.Equal(-Errno.EINVAL, h.Call(SyscallNumber.Futex, Word, WaitBitset, 0, 0, 0, 0));
        Assert.Equal(-Errno.ENOSYS, h.Call(SyscallNumber.Futex, Word, Wake | ClockRealtime, 1));
    }

    [Fact]
    public void Wake_bitset_wakes_only_matching_waiters()
    {
        using var h = new KernelHarness();
        var (hosts, results) = StartWaiters(h, Word, 1, WaitBitset, 0b01);
        Assert.Equal(0, h.Call(SyscallNumber.Futex, Word, WakeBitset, 10, 0, 0, 0b10));
        Assert.Equal(1, h.Call(SyscallNumber.Futex, Word, WakeBitset, 10, 0, 0, 0b11));
        hosts[0].Join();
        Assert.Equal(0, results[0]);
    }

    [Fact]
    public void Cmp_requeue_moves_waiters_to_the_second_word()
    {
        using var h = new KernelHarness();
        h.Memory.TryWriteInt32(Word, 0);
        var (hosts, results) = StartWaiters(h, Word, 3);
        Assert.Equal(-Errno.EAGAIN, h.Call(SyscallNumber.Futex, Word, CmpRequeue, 1, 10, Word2, 7));
        Assert.Equal(3, h.Call(SyscallNumber.Futex, Word, CmpRequeue, 1, 10, Word2, 0)); // 1 woken + 2 moved
        Assert.Equal(0, h.Call(SyscallNumber.Futex, Word, Wake, 10));
        Assert.Equal(2, h.Call(SyscallNumber.Futex, Word2, Wake, 10));
        foreach (var host in hosts)
        {
            host.Join();
        }

        Assert.All(results, r => Assert.Equal(0, r));
        Assert.Equal(0, h.Call(SyscallNumber.Futex, Word, Requeue, 1, 1, Word2));
    }

    [Fact]
    public void Wake_op_updates_the_second_word_and_wakes_by_comparison()
    {
        using var h = new KernelHarness();
        h.Memory.TryWriteInt32(Word2, 1);
        var (hosts1, _) = StartWaiters(h, Word, 1);
        var (hosts2, _) = StartWaiters(h, Word2, 1, Wait, 0, expected: 1);

        // op ADD 5 (op 1, oparg 5), cmp EQ 1 (cmp 0, cmparg 1): old value 1 == 1, so the second waiter wakes too.
        uint encoded = (1u << 28) | (0u << 24) | (5u << 12) | 1u;
        Assert.Equal(2, h.Call(SyscallNumber.Futex, Word, WakeOp, 1, 1, Word2, encoded));
        Assert.True(h.Memory.TryReadInt32(Word2, out int value));
        Assert.Equal(6, value);
        hosts1[0].Join();
        hosts2[0].Join();

        // SET with OPARG_SHIFT: 1 << 3; cmp GT 100 fails, nobody on word2 is woken.
        encoded = (8u << 28) | (4u << 24) | (3u << 12) | 100u;
        Assert.Equal(0, h.Call(SyscallNumber.Futex, Word, WakeOp, 1, 1, Word2, encoded));
        Assert.True(h.Memory.TryReadInt32(Word2, out value));
        Assert.Equal(8, value);
    }

    [Fact]
    public void A_signal_interrupts_a_wait()
    {
        using var h = new KernelHarness();
        var waiter = h.NewThread();
        var handler = new SignalAction(0x400000, 0, 0, 0);
        h.Memory.TryWriteStruct(KernelHarness.Data, handler);
        Assert.Equal(0, h.Call(SyscallNumber.RtSigaction, SignalNumbers.SIGUSR1, KernelHarness.Data, 0, 8));
        h.Memory.TryWriteStruct(Timeout, new GuestTimeout.Timespec { Seconds = 10 });
        var sender = KernelHarness.After(30, () => SignalDelivery.Send(waiter, SignalInfo.FromUser(SignalNumbers.SIGUSR1, 1, 0)));
        Assert.Equal(-Errno.EINTR, h.Call(SyscallNumber.Futex, Word, Wait, 0, Timeout, thread: waiter));
        sender.Join();
    }

    [Fact]
    public void Many_threads_contending_on_a_futex_mutex_lose_no_wakeups()
    {
        // A futex-based mutex as glibc builds it (0 free, 1 locked, 2 locked with waiters), the guest's atomics
        // played by Interlocked on the same guest word; every thread adds to a counter under the lock.
        using var h = new KernelHarness();
        const int threads = 4;
        const int rounds = 300;
        long counter = 0;
        unsafe
        {
            int* word = (int*)h.Memory.AtomicPointer(Word, 4, write: true);
            var hosts = new System.Threading.Thread[threads];
            for (int t = 0; t < threads; t++)
            {
                var guest = h.NewThread();
                hosts[t] = new System.Threading.Thread(() =>
                {
                    for (int i = 0; i < rounds; i++)
                    {
                        if (Interlocked.CompareExchange(ref *word, 1, 0) != 0)
                        {
                            while (Interlocked.Exchange(ref *word, 2) != 0)
                            {
                                h.Call(SyscallNumber.Futex, Word, Wait | Private, 2, thread: guest);
                            }
                        }

                        counter++;
                        if (Interlocked.Exchange(ref *word, 0) == 2)
                        {
                            h.Call(SyscallNumber.Futex, Word, Wake | Private, 1, thread: guest);
                        }
                    }
                });
                hosts[t].Start();
            }

            foreach (var host in hosts)
            {
                Assert.True(host.Join(TimeSpan.FromSeconds(30)), "a thread hung: lost wake-up");
            }
        }

        Assert.Equal(threads * rounds, counter);
    }
}
