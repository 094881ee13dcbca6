using System.Globalization;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;

namespace EdgeVisor.Agent.Hosting;

/// <summary>
/// systemd's software watchdog (<c>WatchdogSec=</c> in the unit): pings <c>WATCHDOG=1</c> every half interval, but
/// only while the reconcile loop's heartbeat is fresh. A hung reconcile loop therefore stops the pings and systemd
/// kills and restarts the agent, while a merely idle one (it beats every few seconds) keeps them going.
/// </summary>
public sealed class SystemdWatchdog : IAsyncDisposable
{
    /// <summary>A heartbeat older than this (or the watchdog interval, if longer) counts as a hung loop.</summary>
    public static readonly TimeSpan MinimumStaleAfter = TimeSpan.FromSeconds(15);

    private static readonly ServiceState Ping = new("WATCHDOG=1");
    private readonly ISystemdNotifier _notifier;
    private readonly Func<DateTimeOffset> _lastLoop;
    private readonly TimeSpan _staleAfter;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;

    public SystemdWatchdog(ISystemdNotifier notifier, TimeSpan interval, Func<DateTimeOffset> lastLoop, TimeProvider time, ILogger logger)
    {
        _notifier = notifier;
        _lastLoop = lastLoop;
        _staleAfter = interval > MinimumStaleAfter ? interval : MinimumStaleAfter;
        _time = time;
        _logger = logger;
        _loop = RunAsync(interval / 2, _stopping.Token);
    }

    /// <summary>
    /// The interval systemd asks for (<c>WATCHDOG_USEC</c>, for this process when <c>WATCHDOG_PID</c> is set), or
    /// null when there is no watchdog.
    /// </summary>
    public static TimeSpan? RequestedInterval()
    {
        string? usec = Environment.GetEnvironmentVariable("WATCHDOG_USEC");
        if (!long.TryParse(usec, NumberStyles.None, CultureInfo.InvariantCulture, out long microseconds) || microseconds <= 0)
        {
            return null;
        }

        string? pid = Environment.GetEnvironmentVariable("WATCHDOG_PID");
        if (!string.IsNullOrEmpty(pid) && pid != Environment.ProcessId.ToString(CultureInfo.InvariantCulture))
        {
            return null;
        }

        return TimeSpan.FromMicroseconds(microseconds);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task RunAsync(TimeSpan period, CancellationToken stopping)
    {
        bool withheld = false;
        using var timer = new PeriodicTimer(period, _time);
        try
        {
            // The first ping waits a period: READY=1 (sent when the host has started, just after this starts) comes first.
            while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false))
            {
                var age = _time.GetUtcNow() - _lastLoop();
                if (age <= _staleAfter)
                {
                    _notifier.Notify(Ping);
                    withheld = false;
                }
                else if (!withheld)
                {
                    _logger.LogError("The reconcile loop has not run for {Seconds:0} s: withholding systemd watchdog pings so systemd restarts the agent", age.TotalSeconds);
                    withheld = true;
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // stopping
        }
    }
}
