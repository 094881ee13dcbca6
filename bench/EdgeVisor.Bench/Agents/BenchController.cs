using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using EdgeVisor.Protocol;
using MQTTnet;
using MQTTnet.Protocol;

namespace EdgeVisor.Bench.Agents;

/// <summary>
/// The benchmark's controller connection (MQTT 5, user <c>controller</c>, client id <c>controller-bench</c>): publishes signed desired
/// states and watches every device's retained status and reported state, timestamping on arrival the first
/// report that matches the current goal, so latencies do not include the time the benchmark takes to look.
/// </summary>
internal sealed class BenchController : IAsyncDisposable
{
    private readonly IMqttClient _client;
    private readonly ConcurrentDictionary<string, string> _status = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ReportedState> _reported = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _reachedAt = new(StringComparer.Ordinal);
    private volatile Goal? _goal;
    private int _unreadable;

    private BenchController(IMqttClient client)
    {
        _client = client;
        _client.ApplicationMessageReceivedAsync += e =>
        {
            Observe(e.ApplicationMessage.Topic, e.ApplicationMessage.Payload);
            return Task.CompletedTask;
        };
    }

    /// <summary>Reports that could not be parsed (should stay 0: a non-zero count makes the figures suspect).</summary>
    public int Unreadable => _unreadable;

    public static async Task<BenchController> ConnectAsync(string host, int port, CancellationToken ct)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var controller = new BenchController(client);
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer(host, port)
            .WithClientId("controller-bench")
            .WithCredentials("controller", "") // the shipped ACL names the controller user "controller" (mosquitto has no prefix match)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
            .WithCleanStart(true)
            .WithTimeout(TimeSpan.FromSeconds(30))
            .Build();
        await client.ConnectAsync(options, ct);
        var subscribe = new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(f => f.WithTopic(DeviceTopics.AllStatus).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce))
            .WithTopicFilter(f => f.WithTopic(DeviceTopics.AllReported).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce))
            .Build();
        await client.SubscribeAsync(subscribe, ct);
        return controller;
    }

    public int CountOnline(IEnumerable<string> devices) => devices.Count(d => _status.TryGetValue(d, out string? s) && s == DeviceStates.Online);

    /// <summary>From now on, timestamp each device's first report of <paramref name="workload"/> running under <paramref name="version"/>, started after <paramref name="notBefore"/>.</summary>
    public void SetGoal(long version, string workload, DateTimeOffset notBefore)
    {
        _reachedAt.Clear();
        _goal = new Goal(version, workload, notBefore);
    }

    /// <summary>Stopwatch timestamps of the first report meeting the goal, by device.</summary>
    public IReadOnlyDictionary<string, long> ReachedAt => _reachedAt;

    public ReportedState? LatestReport(string device) => _reported.TryGetValue(device, out var r) ? r : null;

    /// <summary>Publishes a retained QoS 1 desired state; returns the Stopwatch timestamp taken just before handing it to the client.</summary>
    public (long StartedAt, Task Completion) PublishDesired(string device, byte[] payload, CancellationToken ct)
    {
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(DeviceTopics.Desired(device))
            .WithPayload(payload)
            .WithRetainFlag(true)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        long startedAt = Stopwatch.GetTimestamp();
        return (startedAt, _client.PublishAsync(message, ct));
    }

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected)
        {
            await _client.DisconnectAsync();
        }

        _client.Dispose();
    }

    private void Observe(string topic, ReadOnlySequence<byte> payload)
    {
        if (!DeviceTopics.TryParse(topic, out string device, out string rest) || payload.IsEmpty)
        {
            return;
        }

        long now = Stopwatch.GetTimestamp();
        try
        {
            if (rest == "status")
            {
                _status[device] = ProtocolJson.Parse<DeviceStatus>(payload.ToArray()).State;
            }
            else if (rest == "reported")
            {
                var report = ProtocolJson.Parse<ReportedState>(payload.ToArray());
                _reported[device] = report;
                if (_goal is { } goal && goal.IsMetBy(report))
                {
                    _reachedAt.TryAdd(device, now);
                }
            }
        }
        catch (ProtocolException)
        {
            Interlocked.Increment(ref _unreadable);
        }
    }

    private sealed record Goal(long Version, string Workload, DateTimeOffset NotBefore)
    {
        public bool IsMetBy(ReportedState report) =>
            report.Version == Version
            && report.Workloads.Any(w => w.Name == Workload && w.State == WorkloadState.Running && w.Since >= NotBefore);
    }
}
