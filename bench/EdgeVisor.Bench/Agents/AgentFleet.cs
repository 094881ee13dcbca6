using System.Collections.Concurrent;
using EdgeVisor.Agent;
using Microsoft.Extensions.Logging;

namespace EdgeVisor.Bench.Agents;

/// <summary>
/// N <see cref="AgentRuntime"/>s in this process, device ids <c>bench-001</c>…, each with its own state directory
/// (LiteDB file, artifact store, logs) and MQTT connection, all trusting the same deployment key.
/// </summary>
internal sealed class AgentFleet
{
    // Start a few at a time: each opens a LiteDB file and connects; all at once only queues them on 2 cores.
    private const int StartParallelism = 8;

    private readonly ConcurrentBag<AgentRuntime> _runtimes = [];
    private readonly string _directory;
    private readonly int _port;
    private readonly string _trustedKeyPem;
    private readonly ILoggerFactory _loggers;

    public AgentFleet(int count, string directory, int port, string trustedKeyPem, ILoggerFactory loggers)
    {
        DeviceIds = Enumerable.Range(1, count).Select(i => $"bench-{i:000}").ToArray();
        _directory = directory;
        _port = port;
        _trustedKeyPem = trustedKeyPem;
        _loggers = loggers;
    }

    public IReadOnlyList<string> DeviceIds { get; }

    public Task StartAsync(CancellationToken ct) =>
        Parallel.ForEachAsync(DeviceIds, new ParallelOptions { MaxDegreeOfParallelism = StartParallelism, CancellationToken = ct }, async (device, token) =>
        {
            var options = new AgentOptions
            {
                DeviceId = device,
                StateDirectory = Path.Combine(_directory, device),
                Broker = new BrokerOptions { Host = "127.0.0.1", Port = _port, Username = device },
                TrustedKeys = [_trustedKeyPem],
            };
            _runtimes.Add(await AgentRuntime.StartAsync(options, _loggers, token));
        });

    /// <summary>Stops every agent the way the host does (workloads in order, offline status, disconnect); returns how many failed.</summary>
    public async Task<int> StopAsync()
    {
        int failures = 0;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await Parallel.ForEachAsync(_runtimes, new ParallelOptions { MaxDegreeOfParallelism = StartParallelism }, async (runtime, _) =>
        {
            try
            {
                await runtime.StopAsync(deadline.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or InvalidOperationException or IOException)
            {
                Interlocked.Increment(ref failures);
                Console.Error.WriteLine($"agents: a stop failed: {e.Message}");
            }
            finally
            {
                await runtime.DisposeAsync();
            }
        });
        return failures;
    }
}
