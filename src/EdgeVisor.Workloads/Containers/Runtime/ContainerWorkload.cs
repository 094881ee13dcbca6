using System.Globalization;
using System.Text;
using EdgeVisor.Protocol;
using Microsoft.Extensions.Logging;

namespace EdgeVisor.Workloads.Containers.Runtime;

/// <summary>
/// One running container. Its end is observed through its init's pidfd (<see cref="ChildExits"/>); however it ends
/// (on its own, stopped, killed, out of memory) the same teardown runs exactly once: OOM count read, container
/// deleted, last output drained, the run's own teardown (network, rootfs, bundle), and only then <see cref="Exited"/>
/// completes, so a replacement with the same container id can start at once.
/// </summary>
public sealed partial class ContainerWorkload : IWorkload
{
    /// <summary>How long output still in the pipes may take to arrive once the init has ended.</summary>
    private static readonly TimeSpan DrainPatience = TimeSpan.FromSeconds(2);

    private readonly OciRuntime _runtime;
    private readonly ContainerRun _run;
    private readonly ContainerOutput _output;
    private readonly CgroupStats? _stats;
    private readonly HealthProbe? _probe;
    private readonly ILogger _logger;
    private readonly Task<ProcessEnd> _ended;
    private readonly Task<WorkloadExit> _exited;
    private volatile bool _requested;
    private volatile bool _forgotten;
    private TimeSpan? _killedAfter;

    private ContainerWorkload(OciRuntime runtime, ContainerRun run, int pid, Task<ProcessEnd> ended, ContainerOutput output, CgroupStats? stats, ILogger logger)
    {
        _runtime = runtime;
        _run = run;
        Pid = pid;
        _ended = ended;
        _output = output;
        _stats = stats;
        _logger = logger;
        _probe = HealthProbeFor(runtime, run);
        _exited = Task.Run(ObserveAsync);
    }

    public string Name => _run.Name;

    /// <summary>The runtime's container id.</summary>
    public string ContainerId => _run.Id;

    /// <summary>The container's init process, as this host sees it.</summary>
    public int Pid { get; }

    public Task<WorkloadExit> Exited => _exited;

    /// <summary>The figures read when the container ended, before its cgroup went (null while it runs).</summary>
    public WorkloadResources? FinalResources { get; private set; }

    /// <summary>
    /// Creates the container from its bundle with its output going to the run's log, starts it, and returns it
    /// running. On failure nothing of the container is left (the run's own resources are the caller's to undo).
    /// </summary>
    /// <exception cref="OciRuntimeException">The runtime refused to create or start it.</exception>
    public static async Task<ContainerWorkload> RunAsync(OciRuntime runtime, ContainerRun run, ILogger logger, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        ArgumentNullException.ThrowIfNull(run);
        // The subreaper flag must be set before `create` exits, or the init is orphaned to the host's init instead.
        var exits = ChildExits.Shared;
        string pidFile = Path.Combine(run.BundleDirectory, "init.pid");
        var pipes = await runtime.CreateAsync(run.Id, run.BundleDirectory, pidFile, cancellation).ConfigureAwait(false);
        var output = ContainerOutput.Start(pipes, run.Log);
        try
        {
            int pid = int.Parse(File.ReadAllText(pidFile).Trim(), CultureInfo.InvariantCulture);
            var ended = exits.WatchAsync(pid);
            CgroupStats? stats = null;
            try
            {
                stats = CgroupStats.ForProcess(pid);
            }
            catch (IOException e)
            {
                Log.NoCgroups(logger, run.Id, e.Message);
            }

            await runtime.StartAsync(run.Id, cancellation).ConfigureAwait(false);
            Log.Started(logger, run.Name, run.Id, pid);
            return new ContainerWorkload(runtime, run, pid, ended, output, stats, logger);
        }
        catch
        {
            try
            {
                await runtime.DeleteAsync(run.Id, force: true, CancellationToken.None).ConfigureAwait(false);
            }
            catch (OciRuntimeException e)
            {
                Log.TeardownFailed(logger, run.Id, e.Message);
            }

            output.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Sends the stop signal, waits the grace (the run's, else <paramref name="grace"/>), then kills every process
    /// of the container; returns when the container is gone and torn down.
    /// </summary>
    public async Task StopAsync(TimeSpan grace, CancellationToken cancellation)
    {
        if (_exited.IsCompleted)
        {
            return;
        }

        _requested = true;
        var effectiveGrace = _run.StopGrace ?? grace;
        if (!_ended.IsCompleted)
        {
            await TryKillAsync(_run.StopSignal, all: false, cancellation).ConfigureAwait(false);
        }

        try
        {
            await _ended.WaitAsync(effectiveGrace, cancellation).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _killedAfter = effectiveGrace;
            Log.KillingAfterGrace(_logger, Name, effectiveGrace.TotalSeconds);
            await TryKillAsync(Signals.Kill, all: true, cancellation).ConfigureAwait(false);
        }

        await _exited.WaitAsync(cancellation).ConfigureAwait(false);
    }

    public string? CheckHealth()
    {
        if (_exited.IsCompleted)
        {
            return $"not running: {_exited.Result.Reason}";
        }

        return _ended.IsCompleted ? "not running: the container has ended" : _probe?.Status;
    }

    public HealthCheckSpec? HealthCheck => _run.HealthCheck;

    public WorkloadResources? ReadResources() => _ended.IsCompleted ? null : _stats?.Read();

    public async ValueTask DisposeAsync() => await StopAsync(TimeSpan.FromSeconds(10), CancellationToken.None).ConfigureAwait(false);

    private static HealthProbe? HealthProbeFor(OciRuntime runtime, ContainerRun run)
    {
        if (run.HealthCheck is not { } check)
        {
            return null;
        }

        var timeout = TimeSpan.FromSeconds(check.TimeoutSeconds);
        if (check.Exec is { Count: > 0 } command)
        {
            return HealthProbe.Start(check, HealthProbe.Exec(runtime, run.Id, command, timeout));
        }

        if (check.TcpPort is { } port)
        {
            return HealthProbe.Start(check, run.Address is { } address
                ? HealthProbe.Tcp(address, port, timeout)
                : _ => Task.FromResult<string?>("the container has no address a TCP check can reach (network mode none)"));
        }

        return null;
    }

    private async Task TryKillAsync(string signal, bool all, CancellationToken cancellation)
    {
        try
        {
            await _runtime.KillAsync(_run.Id, signal, all, cancellation).ConfigureAwait(false);
        }
        catch (OciRuntimeException e)
        {
            // Most often: it ended between the check and the kill.
            Log.KillFailed(_logger, _run.Id, signal, e.Message);
        }
    }

    /// <summary>Everything after the init's end, exactly once; never throws (the agent awaits <see cref="Exited"/>).</summary>
    private async Task<WorkloadExit> ObserveAsync()
    {
        var end = await _ended.ConfigureAwait(false);
        FinalResources = _stats?.Read();
        var exit = ContainerExit.Describe(end, FinalResources?.OomKills ?? 0, FinalResources?.MemoryLimitBytes, _requested, _killedAfter);
        if (_probe is not null)
        {
            await _probe.DisposeAsync().ConfigureAwait(false);
        }

        bool superseded = _forgotten || await IsSupersededAsync().ConfigureAwait(false);
        if (!superseded)
        {
            try
            {
                await _runtime.DeleteAsync(_run.Id, force: true, CancellationToken.None).ConfigureAwait(false);
            }
            catch (OciRuntimeException e)
            {
                Log.TeardownFailed(_logger, _run.Id, e.Message);
            }
        }

        await _output.DrainAsync(DrainPatience).ConfigureAwait(false);
        try
        {
            _run.Log.Write(Encoding.UTF8.GetBytes($"[edgevisor] container ended: {exit.Reason}\n"));
        }
        catch (ObjectDisposedException)
        {
        }

        if (superseded)
        {
            Log.Superseded(_logger, _run.Id);
        }
        else if (_run.TeardownAsync is { } teardown)
        {
            try
            {
                await teardown().ConfigureAwait(false);
            }
            catch (Exception e)
            {
                Log.TeardownFailed(_logger, _run.Id, e.Message);
            }
        }

        if (exit.Failed)
        {
            Log.Failed(_logger, Name, exit.Reason);
        }
        else
        {
            Log.Ended(_logger, Name, exit.Reason);
        }

        return exit;
    }

    /// <summary>
    /// Stops caring about the container, as an agent that crashed would: its end will not be deleted or torn down
    /// here (tests hand that to a new driver's crash clean-up or a new start, as after a real crash).
    /// </summary>
    internal void Forget() => _forgotten = true;

    /// <summary>
    /// True when the container under our id is no longer ours: removed by a clean-up, or already replaced by a new
    /// start (a stop that gave up, then a restart). Deleting or tearing down then would hit the new container.
    /// </summary>
    private async Task<bool> IsSupersededAsync()
    {
        try
        {
            var state = await _runtime.StateAsync(_run.Id, CancellationToken.None).ConfigureAwait(false);
            return state is null || (state.Pid != 0 && state.Pid != Pid);
        }
        catch (OciRuntimeException)
        {
            return false; // cannot tell: do the usual teardown
        }
    }

    private static partial class Log
    {
        [LoggerMessage(6300, LogLevel.Information, "container workload {Name} started as {ContainerId} (init pid {Pid})")]
        public static partial void Started(ILogger logger, string name, string containerId, int pid);

        [LoggerMessage(6301, LogLevel.Information, "container workload {Name} ended: {Reason}")]
        public static partial void Ended(ILogger logger, string name, string reason);

        [LoggerMessage(6302, LogLevel.Warning, "container workload {Name} failed: {Reason}")]
        public static partial void Failed(ILogger logger, string name, string reason);

        [LoggerMessage(6303, LogLevel.Warning, "container workload {Name} did not stop within {GraceSeconds} s; killing all its processes")]
        public static partial void KillingAfterGrace(ILogger logger, string name, double graceSeconds);

        [LoggerMessage(6304, LogLevel.Debug, "container {ContainerId}: kill {Signal} failed: {Message}")]
        public static partial void KillFailed(ILogger logger, string containerId, string signal, string message);

        [LoggerMessage(6305, LogLevel.Warning, "container {ContainerId}: teardown step failed: {Message}")]
        public static partial void TeardownFailed(ILogger logger, string containerId, string message);

        [LoggerMessage(6307, LogLevel.Information, "container {ContainerId} was removed or replaced by someone else; its teardown is theirs")]
        public static partial void Superseded(ILogger logger, string containerId);

        [LoggerMessage(6306, LogLevel.Warning, "container {ContainerId}: its cgroups cannot be read, no resource figures: {Message}")]
        public static partial void NoCgroups(ILogger logger, string containerId, string message);
    }
}
