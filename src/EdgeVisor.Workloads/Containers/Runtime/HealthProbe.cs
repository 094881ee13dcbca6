using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using EdgeVisor.Protocol;

namespace EdgeVisor.Workloads.Containers.Runtime;

/// <summary>
/// A container's health check run in the background (<see cref="HealthCheckSpec"/>): a probe every
/// <c>IntervalSeconds</c>, each limited to <c>TimeoutSeconds</c>; <c>Retries</c> consecutive failures make the container
/// unhealthy until a probe succeeds again; failures within <c>StartPeriodSeconds</c> of the start do not count.
/// <see cref="Status"/> is what <see cref="IWorkload.CheckHealth"/> returns, so that call stays cheap.
/// </summary>
public sealed class HealthProbe : IAsyncDisposable
{
    private readonly HealthCheckSpec _spec;
    private readonly Func<CancellationToken, Task<string?>> _probe;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private volatile string? _status;
    private int _failures;

    private HealthProbe(HealthCheckSpec spec, Func<CancellationToken, Task<string?>> probe)
    {
        _spec = spec;
        _probe = probe;
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>Null while healthy (and before the first counted failure); else "health check failed N times: why".</summary>
    public string? Status => _status;

    /// <summary>Starts probing with <paramref name="probe"/> (returns null for a success, else why it failed).</summary>
    public static HealthProbe Start(HealthCheckSpec spec, Func<CancellationToken, Task<string?>> probe) => new(spec, probe);

    /// <summary>An exec probe: <paramref name="command"/> run in the container; exit code 0 is healthy.</summary>
    public static Func<CancellationToken, Task<string?>> Exec(OciRuntime runtime, string containerId, IReadOnlyList<string> command, TimeSpan timeout) =>
        async cancellation =>
        {
            var result = await runtime.ExecAsync(containerId, command, timeout, cancellation).ConfigureAwait(false);
            if (result.ExitCode == 0)
            {
                return null;
            }

            string? said = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
            string what = result.ExitCode is { } code ? $"'{string.Join(' ', command)}' exited with code {code}" : $"'{string.Join(' ', command)}' timed out after {Seconds(timeout)} s";
            return said is null ? what : $"{what}: {said}";
        };

    /// <summary>A TCP probe: a connection to <paramref name="address"/>:<paramref name="port"/> is accepted.</summary>
    public static Func<CancellationToken, Task<string?>> Tcp(string address, int port, TimeSpan timeout) =>
        async cancellation =>
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            deadline.CancelAfter(timeout);
            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync(address, port, deadline.Token).ConfigureAwait(false);
                return null;
            }
            catch (SocketException e)
            {
                return $"tcp {address}:{port}: {e.Message}";
            }
            catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
            {
                return $"tcp {address}:{port}: no answer within {Seconds(timeout)} s";
            }
        };

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }

    private static string Seconds(TimeSpan time) => time.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);

    private async Task LoopAsync()
    {
        var sinceStart = Stopwatch.StartNew();
        var timeout = TimeSpan.FromSeconds(_spec.TimeoutSeconds);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Max(0.05, _spec.IntervalSeconds)));
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                Record(await ProbeOnceAsync(timeout).ConfigureAwait(false), sinceStart.Elapsed);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    }

    private async Task<string?> ProbeOnceAsync(TimeSpan timeout)
    {
        try
        {
            // The probes honour the timeout themselves; this bounds one that does not.
            return await _probe(_stop.Token).WaitAsync(timeout + TimeSpan.FromSeconds(5), _stop.Token).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return $"no result within {Seconds(timeout)} s";
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return e.Message;
        }
    }

    private void Record(string? failure, TimeSpan sinceStart)
    {
        if (failure is null)
        {
            _failures = 0;
            _status = null;
        }
        else if (sinceStart.TotalSeconds >= _spec.StartPeriodSeconds && ++_failures >= Math.Max(1, _spec.Retries))
        {
            _status = $"health check failed {_failures} times: {failure}";
        }
    }
}
