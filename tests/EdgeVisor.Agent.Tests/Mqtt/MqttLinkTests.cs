using EdgeVisor.Agent.Tests.EndToEnd;
using EdgeVisor.Protocol;
using EdgeVisor.Testing.Mqtt;
using MQTTnet;

namespace EdgeVisor.Agent.Tests.Mqtt;

/// <summary>
/// The MQTT link against Debian's real mosquitto: the retained status a controller sees (online on connect, the
/// broker's last will when the connection dies, offline on a graceful stop) and store-and-forward through the LiteDB
/// outbox across broker outages and agent restarts.
/// </summary>
public sealed class MqttLinkTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Status_is_online_after_connect_offline_by_last_will_when_the_connection_dies_and_online_again_after_reconnect()
    {
        using var broker = MosquittoBroker.StartPlain();
        using var cutter = new TcpCutter(broker.Port);
        var (observer, seen) = await LinkTestBed.ObserveAsync(broker, "obs-" + Guid.NewGuid().ToString("N")[..8], DeviceTopics.Status("dev-will"));
        using var _ = observer;
        await using var bed = new LinkTestBed("dev-will", broker.Host, cutter.Port);
        bed.Start();

        string status = DeviceTopics.Status("dev-will");
        var online = await seen.WaitForMessageAsync(status, m => LinkTestBed.Status(m).State == DeviceStates.Online, Timeout, "online status", broker.Describe);
        DateTimeOffset since = LinkTestBed.Status(online).Since;

        cutter.Cut();
        var will = await seen.WaitForMessageAsync(status, m => LinkTestBed.Status(m).State == DeviceStates.Offline, Timeout, "the offline last will", broker.Describe);
        Assert.Equal(since, LinkTestBed.Status(will).Since); // the will names the session it ends

        await seen.WaitForAsync(
            all => all.Where(m => m.Topic == status).Select(LinkTestBed.Status).Where(s => s.State == DeviceStates.Online && s.Since > since).FirstOrDefault(),
            Timeout,
            "online again after the reconnect",
            () => bed.Logs.Text);
    }

    [Fact]
    public async Task Graceful_stop_leaves_a_retained_offline_status_for_controllers_that_come_later()
    {
        using var broker = MosquittoBroker.StartPlain();
        await using (var bed = new LinkTestBed("dev-stop", broker.Host, broker.Port))
        {
            bed.Start();
            await bed.WaitConnectedAsync(Timeout);
            await bed.Link.StopAsync(CancellationToken.None);
            Assert.False(bed.Link.IsConnected);
        }

        // A controller connecting afterwards gets the retained status: offline, from the stop (not a will: the stop was clean).
        var (observer, seen) = await LinkTestBed.ObserveAsync(broker, "late-" + Guid.NewGuid().ToString("N")[..8], DeviceTopics.Status("dev-stop"));
        using var _ = observer;
        var retained = await seen.WaitForMessageAsync(DeviceTopics.Status("dev-stop"), m => m.Retained, Timeout, "the retained status", broker.Describe);
        Assert.Equal(DeviceStates.Offline, LinkTestBed.Status(retained).State);
    }

    [Fact]
    public async Task Events_and_reports_produced_while_the_broker_is_down_arrive_after_it_restarts_events_all_in_order_reported_only_the_latest()
    {
        using var broker = MosquittoBroker.StartPlain();
        string observerId = "obs-" + Guid.NewGuid().ToString("N")[..8];
        var (observer, seen) = await LinkTestBed.ObserveAsync(broker, observerId, DeviceTopics.Events("dev-out"), DeviceTopics.Reported("dev-out"));
        using var _ = observer;
        await using var bed = new LinkTestBed("dev-out", broker.Host, broker.Port);
        bed.Start();
        await bed.WaitConnectedAsync(Timeout);
        bed.Link.Event(Event("dev-out", "before the outage"));
        await seen.WaitForMessageAsync(DeviceTopics.Events("dev-out"), _ => true, Timeout, "the first event", broker.Describe);

        broker.Stop();
        await WaitAsync(() => !bed.Link.IsConnected, "the link to notice the outage", bed);
        const int Produced = 40;
        for (int i = 0; i < Produced; i++)
        {
            bed.Link.Event(Event("dev-out", $"offline {i}"));
            if (i % 10 == 0)
            {
                bed.Link.Report(new ReportedState { DeviceId = "dev-out", Version = i });
            }
        }

        bed.Link.Report(new ReportedState { DeviceId = "dev-out", Version = 999 });
        Assert.True(bed.Link.OutboxLength >= Produced, $"outbox holds {bed.Link.OutboxLength}");

        broker.Start();
        await LinkTestBed.ConnectObserverAsync(observer, broker, observerId);
        var events = await seen.WaitForAsync(
            all => Events(all, "dev-out") is { Count: >= Produced + 1 } list ? list : null,
            Timeout,
            "every event after the restart",
            () => bed.Logs.Text + "\n" + broker.Describe());

        // QoS 1 may repeat a message, never lose or reorder one: first occurrences are 1..N in order.
        var sequences = events.Select(e => e.Sequence).Distinct().ToList();
        Assert.Equal(Enumerable.Range(1, Produced + 1).Select(i => (long)i), sequences);
        Assert.Equal(["before the outage", .. Enumerable.Range(0, Produced).Select(i => $"offline {i}")], events.DistinctBy(e => e.Sequence).Select(e => e.Message));

        var reported = await seen.WaitForMessageAsync(DeviceTopics.Reported("dev-out"), m => ProtocolJson.Parse<ReportedState>(m.Payload).Version == 999, Timeout, "the latest report");
        Assert.Single(seen.On(DeviceTopics.Reported("dev-out"))); // the four older reports were coalesced away
        Assert.True(reported.At >= seen.On(DeviceTopics.Events("dev-out"))[^1].At, "the report comes after the events that led to it");
        await WaitAsync(() => bed.Link.OutboxLength == 0, "the outbox to empty", bed);
    }

    [Fact]
    public async Task Events_queued_when_the_agent_dies_before_publishing_are_delivered_by_the_next_start_with_continuing_sequence_numbers()
    {
        using var broker = MosquittoBroker.StartPlain();
        broker.Stop();
        await using var bed = new LinkTestBed("dev-crash", broker.Host, broker.Port);
        bed.Start();
        bed.Link.Event(Event("dev-crash", "one"));
        bed.Link.Event(Event("dev-crash", "two"));

        // No broker, so nothing left the device; the process ends and starts again on the same state directory.
        await bed.RestartWhileTheBrokerIsDownAsync();
        bed.Start();
        bed.Link.Event(Event("dev-crash", "three"));

        broker.Start();
        var (observer, seen) = await LinkTestBed.ObserveAsync(broker, "obs-" + Guid.NewGuid().ToString("N")[..8], DeviceTopics.Events("dev-crash"));
        using var _ = observer;
        // The observer subscribed after the broker came back: it may miss what the link sent first, so wait for the link to drain
        // into a broker that has a subscriber. The link connects with backoff; the observer is usually first.
        var events = await seen.WaitForAsync(all => Events(all, "dev-crash") is { Count: >= 3 } list ? list : null, Timeout, "three events", () => bed.Logs.Text);
        Assert.Equal([1L, 2L, 3L], events.Select(e => e.Sequence).Distinct());
        Assert.Equal(["one", "two", "three"], events.DistinctBy(e => e.Sequence).Select(e => e.Message));
    }

    [Fact]
    public async Task A_desired_document_published_while_the_device_was_offline_is_handed_over_on_reconnect()
    {
        using var broker = MosquittoBroker.StartPlain();
        using var cutter = new TcpCutter(broker.Port);
        await using var bed = new LinkTestBed("dev-desired", broker.Host, cutter.Port);
        bed.Start();
        await bed.WaitConnectedAsync(Timeout);

        using var controller = await MqttTestClients.ConnectAsync(broker, "controller");
        await controller.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(DeviceTopics.Desired("dev-desired")).WithPayload("first").WithRetainFlag().WithQualityOfServiceLevel(MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce).Build());
        await WaitAsync(() => DesiredTexts(bed).Contains("first"), "the first document", bed);

        cutter.Cut();
        await WaitAsync(() => !bed.Link.IsConnected, "the link to notice the cut", bed);
        await controller.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(DeviceTopics.Desired("dev-desired")).WithPayload("second").WithRetainFlag().WithQualityOfServiceLevel(MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce).Build());

        await WaitAsync(() => DesiredTexts(bed).Contains("second"), "the document published while offline", bed);
        Assert.Equal("second", DesiredTexts(bed)[^1]);
    }

    internal static EventRecord Event(string deviceId, string message) => new() { DeviceId = deviceId, Kind = EventKinds.WorkloadState, Message = message };

    internal static List<EventRecord> Events(IReadOnlyList<ReceivedMessage> all, string deviceId) =>
        [.. all.Where(m => m.Topic == DeviceTopics.Events(deviceId)).Select(m => ProtocolJson.Parse<EventRecord>(m.Payload))];

    private static List<string> DesiredTexts(LinkTestBed bed)
    {
        lock (bed.Desired)
        {
            return [.. bed.Desired.Select(d => System.Text.Encoding.UTF8.GetString(d))];
        }
    }

    internal static async Task WaitAsync(Func<bool> condition, string what, LinkTestBed bed)
    {
        var deadline = DateTimeOffset.UtcNow + Timeout;
        while (!condition())
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out waiting for {what}; link logged:\n{bed.Logs.Text}");
            }

            await Task.Delay(20);
        }
    }
}
