using EdgeVisor.Emulation.Linux.Kernel;
using EdgeVisor.Emulation.Linux.Signals;

namespace EdgeVisor.Emulation.Linux.Threads;

/// <summary>
/// The waiters of a process's futexes, in hash buckets keyed by guest address. A waiter checks the futex word and
/// enqueues itself under its bucket's lock, and a waker takes the same lock, so a wake that follows the guest's store
/// can never miss a waiter that saw the old value. Futex words of memory shared with another host process (fork +
/// MAP_SHARED) are not covered: each process has its own table.
/// </summary>
public sealed class FutexTable
{
    /// <summary>FUTEX_BITSET_MATCH_ANY.</summary>
    public const uint MatchAny = 0xFFFFFFFF;

    private const int BucketCount = 64;
    private readonly Bucket[] _buckets = CreateBuckets();

    private static Bucket[] CreateBuckets()
    {
        var buckets = new Bucket[BucketCount];
        for (int i = 0; i < buckets.Length; i++)
        {
            buckets[i] = new Bucket();
        }

        return buckets;
    }

    private Bucket BucketOf(ulong address) => _buckets[(int)((address >> 2) * 0x9E3779B97F4A7C15UL >> 58)];

    /// <summary>
    /// FUTEX_WAIT(_BITSET): sleeps while the word at <paramref name="address"/> holds <paramref name="expected"/>
    /// until woken (0), the deadline passes (-ETIMEDOUT), or a signal arrives (-EINTR). -EAGAIN when the word differs
    /// at the start, -EFAULT when unreadable.
    /// </summary>
    public long Wait(LinuxThread thread, ulong address, uint expected, uint bitset, long deadline)
    {
        var memory = thread.Process.Memory;
        var waiter = new Waiter(thread.SignalState.Gate, address, bitset);
        var bucket = BucketOf(address);
        lock (bucket)
        {
            if (!memory.TryReadStruct(address, out uint value))
            {
                return -Errno.EFAULT;
            }

            if (value != expected)
            {
                return -Errno.EAGAIN;
            }

            waiter.Bucket = bucket;
            bucket.Waiters.Add(waiter);
        }

        var outcome = thread.SignalState.WaitInterruptibly(() => waiter.Woken, deadline);
        if (outcome == WaitOutcome.Ready || !Dequeue(waiter))
        {
            return 0; // woken, possibly at the same moment as the timeout or signal: the wake wins
        }

        return outcome == WaitOutcome.TimedOut ? -Errno.ETIMEDOUT : -Errno.EINTR;
    }

    /// <summary>FUTEX_WAKE(_BITSET): wakes up to <paramref name="count"/> waiters whose bitset meets <paramref name="bitset"/>.</summary>
    public int Wake(ulong address, int count, uint bitset = MatchAny)
    {
        var bucket = BucketOf(address);
        lock (bucket)
        {
            return WakeLocked(bucket, address, count, bitset);
        }
    }

    /// <summary>
    /// FUTEX_(CMP_)REQUEUE: wakes up to <paramref name="wakeCount"/> waiters of <paramref name="from"/> and moves up to
    /// <paramref name="requeueCount"/> of the rest to <paramref name="to"/>. With a <paramref name="expected"/> value the
    /// word must still hold it (-EAGAIN otherwise). Returns woken + requeued.
    /// </summary>
    public long Requeue(LinuxThread thread, ulong from, ulong to, int wakeCount, int requeueCount, uint? expected)
    {
        var first = BucketOf(from);
        var second = BucketOf(to);
        var (a, b) = first.Id <= second.Id ? (first, second) : (second, first);
        lock (a)
        {
            lock (b)
            {
                if (expected is { } value)
                {
                    if (!thread.Process.Memory.TryReadStruct(from, out uint current))
                    {
                        return -Errno.EFAULT;
                    }

                    if (current != value)
                    {
                        return -Errno.EAGAIN;
                    }
                }

                int done = WakeLocked(first, from, wakeCount, MatchAny);
                int moved = 0;
                for (int i = 0; i < first.Waiters.Count && moved < requeueCount;)
                {
                    var waiter = first.Waiters[i];
                    if (waiter.Address != from)
                    {
                        i++;
                        continue;
                    }

                    waiter.Address = to;
                    if (second != first)
                    {
                        first.Waiters.RemoveAt(i);
                        second.Waiters.Add(waiter);
                        waiter.Bucket = second;
                    }
                    else
                    {
                        i++;
                    }

                    moved++;
                }

                return done + moved;
            }
        }
    }

    /// <summary>
    /// FUTEX_WAKE_OP: atomically applies the encoded operation to the word at <paramref name="address2"/>, wakes up to
    /// <paramref name="count"/> waiters of <paramref name="address1"/>, and, if the old value passes the encoded
    /// comparison, up to <paramref name="count2"/> of <paramref name="address2"/>.
    /// </summary>
    public unsafe long WakeOp(LinuxThread thread, ulong address1, ulong address2, int count, int count2, uint encoded)
    {
        int op = (int)((encoded >> 28) & 7);
        bool shiftArgument = (encoded & (8u << 28)) != 0;
        int compare = (int)((encoded >> 24) & 15);
        int argument = SignExtend12(encoded >> 12);
        int compareArgument = SignExtend12(encoded);
        if (shiftArgument)
        {
            argument = 1 << (argument & 31);
        }

        if (op > 4 || compare > 5)
        {
            return -Errno.ENOSYS;
        }

        var memory = thread.Process.Memory;
        if ((address2 & 3) != 0 || !memory.IsAccessible(address2, 4, Arm64.Memory.PagePermissions.ReadWrite))
        {
            return -Errno.EFAULT;
        }

        var first = BucketOf(address1);
        var second = BucketOf(address2);
        var (a, b) = first.Id <= second.Id ? (first, second) : (second, first);
        lock (a)
        {
            lock (b)
            {
                int* word = (int*)memory.AtomicPointer(address2, 4, write: true);
                int old;
                int updated;
                do
                {
                    old = Volatile.Read(ref *word);
                    updated = op switch
                    {
                        0 => argument,
                        1 => old + argument,
                        2 => old | argument,
                        3 => old & ~argument,
                        _ => old ^ argument,
                    };
                }
                while (Interlocked.CompareExchange(ref *word, updated, old) != old);

                int woken = WakeLocked(first, address1, count, MatchAny);
                bool passes = compare switch
                {
                    0 => old == compareArgument,
                    1 => old != compareArgument,
                    2 => old < compareArgument,
                    3 => old <= compareArgument,
                    4 => old > compareArgument,
                    _ => old >= compareArgument,
                };
                if (passes)
                {
                    woken += WakeLocked(second, address2, count2, MatchAny);
                }

                return woken;
            }
        }
    }

    private static int SignExtend12(uint value) => (int)(value << 20) >> 20;

    private static int WakeLocked(Bucket bucket, ulong address, int count, uint bitset)
    {
        int woken = 0;
        for (int i = 0; i < bucket.Waiters.Count && woken < count;)
        {
            var waiter = bucket.Waiters[i];
            if (waiter.Address != address || (waiter.Bitset & bitset) == 0)
            {
                i++;
                continue;
            }

            bucket.Waiters.RemoveAt(i);
            waiter.Bucket = null;
            lock (waiter.Gate)
            {
                waiter.Woken = true;
                Monitor.PulseAll(waiter.Gate);
            }

            woken++;
        }

        return woken;
    }

    /// <summary>Removes a waiter that gave up; false when a waker got to it first.</summary>
    private static bool Dequeue(Waiter waiter)
    {
        while (true)
        {
            var bucket = waiter.Bucket;
            if (bucket is null)
            {
                return false;
            }

            lock (bucket)
            {
                if (waiter.Bucket == bucket)
                {
                    bucket.Waiters.Remove(waiter);
                    waiter.Bucket = null;
                    return true;
                }
            }
        }
    }

    private sealed class Bucket
    {
        private static int _ids;

        public int Id { get; } = Interlocked.Increment(ref _ids);

        public List<Waiter> Waiters { get; } = [];
    }

    private sealed class Waiter(object gate, ulong address, uint bitset)
    {
        public object Gate { get; } = gate;

        public ulong Address { get; set; } = address;

        public uint Bitset { get; } = bitset;

        public volatile Bucket? Bucket;

        public volatile bool Woken;
    }
}
