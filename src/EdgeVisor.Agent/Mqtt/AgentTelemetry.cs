using System.Diagnostics;
using EdgeVisor.Protocol;
using Microsoft.Extensions.Logging;

namespace EdgeVisor.Agent.Mqtt;

/// <summary>
/// Samples the <c>agent</c> telemetry stream every <c>Agent:TelemetrySeconds</c>: resident memory, managed heap,
/// CPU time, running workloads, outbox length and uptime, and per workload that reports resources (containers)
/// <c>workload.NAME.cpuSeconds</c>, <c>.memoryBytes</c>, <c>.memoryLimitBytes</c>, <c>.pids</c> and <c>.oomKills</c>. Queued through the outbox like events, so samples taken
/// while offline arrive later (and are the first thing dropped when the outbox is full).
/// </summary>
public sealed class AgentTelemetry : IAsyncDisposable
{
    /// <summary>The stream name (<c>…/telemetry/agent</c>).</summary>
    public const string Stream = "agent";

    private readonly MqttLink _link;
    private readonly Func<int> _workloadsRunning;
    private readonly Func<IReadOnlyList<WorkloadReport>> _workloads;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly DateTimeOffset _started;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;

    /// <summary>Starts sampling every <paramref name="interval"/>.</summary>
    /// <param name="workloads">The workloads as last reported (their resources are included); null: none.</param>
    public AgentTelemetry(MqttLink link, Func<int> workloadsRunning, TimeSpan interval, TimeProvider time, ILogger logger, Func<IReadOnlyList<WorkloadReport>>? workloads = null)
    {
        _link = link;
        _workloadsRunning = workloadsRunning;
        _workloads = workloads ?? (() => []);
        _time = time;
        _logger = logger;
        _started = time.GetUtcNow();
        _loop = RunAsync(interval, _stopping.Token);
    }

    /// <summary>One sample now (also what the loop queues).</summary>
    public IReadOnlyDictionary<string, double> Sample()
    {
        using var process = Process.GetCurrentProcess();
        var values = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["rssBytes"] = process.WorkingSet64,
            ["managedHeapBytes"] = GC.GetTotalMemory(forceFullCollection: false),
            ["cpuSeconds"] = Math.Round(process.TotalProcessorTime.TotalSeconds, 3),
            ["workloadsRunning"] = _workloadsRunning(),
            ["outboxLength"] = _link.OutboxLength,
            ["uptimeSeconds"] = Math.Round((_time.GetUtcNow() - _started).TotalSeconds, 3),
        };
        foreach (var workload in _workloads())
        {
            if (workload.Resources is not { } resources)
            {
                continue;
            }

            string prefix = $"workload.{workload.Name}.";
            values[prefix + "cpuSeconds"] = Math.Round(resources.CpuSeconds, 3);
            values[prefix + "memoryBytes"] = resources.MemoryBytes;
            values[prefix + "pids"] = resources.Pids;
            values[prefix + "oomKills"] = resources.OomKills;
            if (resources.MemoryLimitBytes is long limit)
            {
                values[prefix + "memoryLimitBytes"] = limit;
            }
        }

        return values;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task RunAsync(TimeSpan interval, CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(interval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false))
            {
                try
                {
                    _link.Telemetry(Stream, Sample());
                }
                catch (Exception e) when (e is IOException or InvalidOperationException or LiteDB.LiteException)
                {
                    _logger.LogWarning("Telemetry sample skipped: {Error}", e.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // stopping
        }
    }
}
