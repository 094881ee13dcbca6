using EdgeVisor.Agent.Mqtt;
using EdgeVisor.Protocol;
using EdgeVisor.Testing.Mqtt;

namespace EdgeVisor.Agent.Tests.Mqtt;

/// <summary>What a controller sees of the agent's streams: periodic <c>agent</c> telemetry and batched workload console lines.</summary>
public sealed class StreamsTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Agent_telemetry_arrives_every_interval_with_memory_cpu_workloads_outbox_and_uptime()
    {
        using var broker = MosquittoBroker.StartPlain();
        var (observer, seen) = await LinkTestBed.ObserveAsync(broker, "obs-" + Guid.NewGuid().ToString("N")[..8], DeviceTopics.Telemetry("dev-tel", AgentTelemetry.Stream));
        using var _ = observer;
        await using var bed = new LinkTestBed("dev-tel", broker.Host, broker.Port);
        bed.Start();
        await using var telemetry = new AgentTelemetry(bed.Link, () => 2, TimeSpan.FromMilliseconds(200), TimeProvider.System, bed.Logs.CreateLogger("telemetry"));

        var samples = await seen.WaitForAsync(
            all => all.Count >= 3 ? all.Select(m => ProtocolJson.Parse<TelemetryRecord>(m.Payload)).ToList() : null,
            Timeout,
            "three telemetry samples",
            () => bed.Logs.Text);
        var last = samples[^1];
        Assert.Equal("dev-tel", last.DeviceId);
        Assert.Equal(2, last.Values["workloadsRunning"]);
        Assert.InRange(last.Values["rssBytes"], 1e6, 4e9);
        Assert.True(last.Values["managedHeapBytes"] > 0);
        Assert.True(last.Values["cpuSeconds"] > 0);
        Assert.True(last.Values.ContainsKey("outboxLength"));
        Assert.True(last.Values["uptimeSeconds"] > samples[0].Values["uptimeSeconds"]);
    }

    [Fact]
    public async Task Console_lines_are_published_in_batches_while_connected_and_dropped_while_offline()
    {
        using var broker = MosquittoBroker.StartPlain();
        string topic = DeviceTopics.Logs("dev-log", "sensor");
        var (observer, seen) = await LinkTestBed.ObserveAsync(broker, "obs-" + Guid.NewGuid().ToString("N")[..8], topic);
        using var _ = observer;
        await using var bed = new LinkTestBed("dev-log", broker.Host, broker.Port);

        bed.Link.Log("sensor", ["before the link started"]);
        bed.Start();
        await bed.WaitConnectedAsync(Timeout);
        for (int i = 0; i < 20; i++)
        {
            bed.Link.Log("sensor", [$"tick {i}"]);
        }

        var records = await seen.WaitForAsync(
            all => all.Select(m => ProtocolJson.Parse<LogRecord>(m.Payload)).ToList() is var list && list.Sum(r => r.Lines.Count) >= 20 ? list : null,
            Timeout,
            "twenty console lines",
            () => bed.Logs.Text);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"tick {i}"), records.SelectMany(r => r.Lines));
        Assert.True(records.Count < 20, $"{records.Count} messages for 20 lines: not batched");
    }
}
