using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeVisor.Agent.Hosting;

/// <summary>The outcome a run of the host reports (set before the host stops).</summary>
public sealed class AgentExit
{
    public int Code { get; set; } = AgentExitCodes.Success;
}

/// <summary>
/// Runs one <see cref="AgentRuntime"/> inside the generic host. Start completes only after the reconciler's first
/// pass, so the READY=1 that systemd's lifetime sends at ApplicationStarted means "workloads are up". Stop (SIGTERM)
/// stops workloads in order and says offline. A reboot-agent command stops the host with exit code 75.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "The runtime and watchdog live from StartAsync to StopAsync, which disposes them")]
public sealed class AgentService : IHostedService
{
    private readonly AgentOptions _options;
    private readonly ILoggerFactory _loggers;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly AgentExit _exit;
    private readonly ISystemdNotifier? _notifier;
    private readonly ILogger<AgentService> _logger;
    private AgentRuntime? _runtime;
    private SystemdWatchdog? _watchdog;

    public AgentService(IOptions<AgentOptions> options, ILoggerFactory loggers, IHostApplicationLifetime lifetime, AgentExit exit, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(services);
        _options = options.Value;
        _loggers = loggers;
        _lifetime = lifetime;
        _exit = exit;
        _notifier = services.GetService(typeof(ISystemdNotifier)) as ISystemdNotifier;
        _logger = loggers.CreateLogger<AgentService>();
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var runtime = await AgentRuntime.StartAsync(_options, _loggers, cancellationToken).ConfigureAwait(false);
        _runtime = runtime;
        try
        {
            await runtime.Ready.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await runtime.StopAsync(CancellationToken.None).ConfigureAwait(false);
            _runtime = null;
            throw;
        }

        if (_notifier is { IsEnabled: true } notifier && SystemdWatchdog.RequestedInterval() is { } interval)
        {
            _watchdog = new SystemdWatchdog(notifier, interval, () => runtime.Reconciler.LastLoop, TimeProvider.System, _logger);
        }

        _ = runtime.StopRequested.ContinueWith(
            _ =>
            {
                _exit.Code = AgentExitCodes.RestartRequested;
                _lifetime.StopApplication();
            },
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnRanToCompletion | TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_watchdog is not null)
        {
            await _watchdog.DisposeAsync().ConfigureAwait(false);
        }

        if (_runtime is not null)
        {
            await _runtime.DisposeAsync().ConfigureAwait(false);
        }
    }
}
