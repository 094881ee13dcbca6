using Microsoft.Extensions.Logging;

namespace EdgeVisor.Agent.Mqtt;

/// <summary>
/// Collects workload console lines for ~100 ms and hands them on as one batch per workload, so a chatty firmware
/// costs a message every 100 ms, not one per line. Lines arriving while the link is offline are dropped here (the
/// workload's log files keep them; get-logs reads those).
/// </summary>
public sealed class LogBatcher : IAsyncDisposable
{
    private readonly Func<string, IReadOnlyList<string>, CancellationToken, Task> _publish;
    private readonly TimeSpan _window;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _disposed = new();
    private Dictionary<string, List<string>> _pending = new(StringComparer.Ordinal);
    private Task _flush = Task.CompletedTask;

    /// <param name="publish">Sends one workload's batch (best effort).</param>
    /// <param name="window">How long lines are collected before a batch goes out.</param>
    /// <param name="time">The clock for the window.</param>
    /// <param name="logger">Failures to send are logged at debug level: the files keep the lines.</param>
    public LogBatcher(Func<string, IReadOnlyList<string>, CancellationToken, Task> publish, TimeSpan window, TimeProvider time, ILogger logger)
    {
        _publish = publish;
        _window = window;
        _time = time;
        _logger = logger;
    }

    /// <summary>Queues lines for the next batch.</summary>
    public void Add(string workload, IReadOnlyList<string> lines)
    {
        if (lines.Count == 0)
        {
            return;
        }

        lock (_gate)
        {
            if (_disposed.IsCancellationRequested)
            {
                return;
            }

            bool first = _pending.Count == 0;
            if (!_pending.TryGetValue(workload, out var list))
            {
                _pending[workload] = list = [];
            }

            list.AddRange(lines);
            if (first)
            {
                _flush = FlushLaterAsync(_flush, _disposed.Token);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Task flush;
        lock (_gate)
        {
            _disposed.Cancel();
            flush = _flush;
        }

        await flush.ConfigureAwait(false);
        _disposed.Dispose();
    }

    /// <summary>Waits the window, then for the previous batch (batches go out in order), then sends what was collected.</summary>
    private async Task FlushLaterAsync(Task previous, CancellationToken cancellation)
    {
        try
        {
            await Task.Delay(_window, _time, cancellation).ConfigureAwait(false);
            await previous.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        Dictionary<string, List<string>> batch;
        lock (_gate)
        {
            batch = _pending;
            _pending = new(StringComparer.Ordinal);
        }

        foreach (var (workload, lines) in batch)
        {
            try
            {
                await _publish(workload, lines, cancellation).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LinkLog.LogLinesDropped(_logger, lines.Count, workload, e.Message);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
