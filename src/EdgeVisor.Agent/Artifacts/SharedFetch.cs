namespace EdgeVisor.Agent.Artifacts;

/// <summary>
/// One download that several callers wait for (two workloads naming the same image, a retry racing a slow first
/// attempt). It has its own cancellation: a caller that gives up only leaves; the download is cancelled when the last
/// caller has left. Progress goes to every caller that asked for it.
/// </summary>
internal sealed class SharedFetch : IProgress<long>, IDisposable
{
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _cancel = new();
    private readonly List<IProgress<long>> _listeners = [];
    private int _waiters;

    /// <summary>Cancelled when every caller has left.</summary>
    public CancellationToken Token => _cancel.Token;

    /// <summary>The download; set once by <see cref="Start"/>.</summary>
    public Task<string> Task { get; private set; } = null!;

    public void Start(Func<SharedFetch, Task<string>> download) => Task = download(this);

    /// <summary>A caller waits for this download.</summary>
    public void Join(IProgress<long>? progress)
    {
        lock (_gate)
        {
            _waiters++;
            if (progress is not null)
            {
                _listeners.Add(progress);
            }
        }
    }

    /// <summary>A caller stopped waiting (its token was cancelled); the last one out cancels the download.</summary>
    public void Leave(IProgress<long>? progress)
    {
        lock (_gate)
        {
            _waiters--;
            if (progress is not null)
            {
                _listeners.Remove(progress);
            }

            if (_waiters == 0 && !Task.IsCompleted)
            {
                _cancel.Cancel();
            }
        }
    }

    public void Report(long value)
    {
        IProgress<long>[] listeners;
        lock (_gate)
        {
            listeners = [.. _listeners];
        }

        foreach (var listener in listeners)
        {
            listener.Report(value);
        }
    }

    /// <summary>Called once the download has finished, when no caller can join any more.</summary>
    public void Dispose() => _cancel.Dispose();
}
