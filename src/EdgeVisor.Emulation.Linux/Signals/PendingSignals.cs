namespace EdgeVisor.Emulation.Linux.Signals;

/// <summary>
/// A set of pending signals with their siginfo: one instance per standard signal (a second one merges into the
/// first, as in Linux), a queue per real-time signal. Not thread-safe: the owner's <see cref="ProcessSignals.Lock"/>
/// guards it.
/// </summary>
public sealed class PendingSignals
{
    private readonly Queue<SignalInfo>?[] _queues = new Queue<SignalInfo>?[SignalNumbers.Count + 1];
    private long _mask;

    /// <summary>Bit n-1 set when signal n is pending. Readable without the lock (a racy hint for wake-up checks).</summary>
    public ulong Mask => (ulong)Volatile.Read(ref _mask);

    /// <summary>Queues <paramref name="info"/>; a standard signal already pending is not queued twice.</summary>
    public void Add(SignalInfo info)
    {
        int signal = info.Signal;
        ulong bit = SignalNumbers.Bit(signal);
        if ((Mask & bit) != 0 && signal < SignalNumbers.SIGRTMIN)
        {
            return;
        }

        (_queues[signal] ??= new Queue<SignalInfo>()).Enqueue(info);
        Volatile.Write(ref _mask, (long)(Mask | bit));
    }

    /// <summary>Removes and returns the oldest instance of <paramref name="signal"/>, or null when none is pending.</summary>
    public SignalInfo? Take(int signal)
    {
        var queue = _queues[signal];
        if (queue is null || queue.Count == 0)
        {
            return null;
        }

        var info = queue.Dequeue();
        if (queue.Count == 0)
        {
            Volatile.Write(ref _mask, (long)(Mask & ~SignalNumbers.Bit(signal)));
        }

        return info;
    }

    /// <summary>Discards every pending instance of <paramref name="signal"/> (it became ignored).</summary>
    public void Discard(int signal)
    {
        _queues[signal]?.Clear();
        Volatile.Write(ref _mask, (long)(Mask & ~SignalNumbers.Bit(signal)));
    }

    /// <summary>The lowest-numbered signal in <paramref name="candidates"/> that is pending, or 0. Synchronous
    /// faults come first, as Linux dequeues them first.</summary>
    public int Lowest(ulong candidates)
    {
        ulong ready = Mask & candidates;
        if (ready == 0)
        {
            return 0;
        }

        const ulong synchronous = (1UL << (SignalNumbers.SIGSEGV - 1)) | (1UL << (SignalNumbers.SIGBUS - 1)) | (1UL << (SignalNumbers.SIGILL - 1))
            | (1UL << (SignalNumbers.SIGTRAP - 1)) | (1UL << (SignalNumbers.SIGFPE - 1)) | (1UL << (SignalNumbers.SIGSYS - 1));
        ulong first = (ready & synchronous) != 0 ? ready & synchronous : ready;
        return System.Numerics.BitOperations.TrailingZeroCount(first) + 1;
    }
}
