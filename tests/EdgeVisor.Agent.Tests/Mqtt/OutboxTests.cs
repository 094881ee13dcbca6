using EdgeVisor.Agent.Mqtt;
using EdgeVisor.Agent.State;
using EdgeVisor.Protocol;

namespace EdgeVisor.Agent.Tests.Mqtt;

/// <summary>The LiteDB outbox on its own: order, coalescing, sequence numbers that survive reopening, and its bound.</summary>
public sealed class OutboxTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "edgevisor-outbox-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly CapturedLogs _logs = new();

    [Fact]
    public void Sequence_numbers_continue_after_the_store_is_reopened_and_entries_keep_their_order()
    {
        using (var store = AgentStore.Open(_directory))
        {
            var outbox = Open(store);
            Assert.Equal(1, outbox.EnqueueEvent(Event("a")).Sequence);
            outbox.EnqueueTelemetry("t", [1]);
            Assert.Equal(2, outbox.EnqueueEvent(Event("b")).Sequence);
        }

        using (var store = AgentStore.Open(_directory))
        {
            var outbox = Open(store);
            Assert.Equal(3, outbox.Count);
            Assert.Equal(3, outbox.EnqueueEvent(Event("c")).Sequence);
            Assert.Equal([OutboxKind.Event, OutboxKind.Telemetry, OutboxKind.Event, OutboxKind.Event], outbox.Peek(10).Select(e => e.Kind));
        }
    }

    [Fact]
    public void A_new_report_replaces_the_queued_one_and_goes_behind_the_events_queued_meanwhile()
    {
        using var store = AgentStore.Open(_directory);
        var outbox = Open(store);
        outbox.EnqueueReported("r", [1]);
        outbox.EnqueueEvent(Event("a"));
        outbox.EnqueueReported("r", [2]);

        var entries = outbox.Peek(10);
        Assert.Equal([OutboxKind.Event, OutboxKind.Reported], entries.Select(e => e.Kind));
        Assert.Equal([2], entries[1].Payload);
        Assert.True(entries[1].Retain);
    }

    [Fact]
    public void A_full_outbox_drops_the_oldest_telemetry_first_then_events_and_says_how_many_in_an_event()
    {
        using var store = AgentStore.Open(_directory);
        var outbox = Open(store, maxEntries: 100);
        for (int i = 0; i < 60; i++)
        {
            outbox.EnqueueTelemetry("t", [(byte)i]);
        }

        for (int i = 0; i < 60; i++)
        {
            outbox.EnqueueEvent(Event($"e{i}"));
        }

        Assert.True(outbox.Count <= 100, $"{outbox.Count} entries");
        var entries = outbox.Peek(200);
        var events = entries.Where(e => e.Kind == OutboxKind.Event).Select(e => ProtocolJson.Parse<EventRecord>(e.Payload)).ToList();
        Assert.Equal(60, events.Count(e => e.Kind == EventKinds.WorkloadState)); // every event kept: telemetry went first
        var overflows = events.Where(e => e.Kind == Outbox.OverflowEventKind).ToList();
        Assert.NotEmpty(overflows);
        Assert.All(overflows, e => Assert.Matches("dropped [0-9]+ telemetry samples and 0 events", e.Message));
        Assert.Contains("Outbox full", _logs.Text, StringComparison.Ordinal);

        // Only telemetry was dropped, oldest first: what is left of it is the newest samples.
        var telemetry = entries.Where(e => e.Kind == OutboxKind.Telemetry).Select(e => (int)e.Payload[0]).ToList();
        Assert.Equal(Enumerable.Range(60 - telemetry.Count, telemetry.Count), telemetry);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private Outbox Open(AgentStore store, int maxEntries = 10_000) => new(store, "dev-1", maxEntries, TimeProvider.System, _logs.CreateLogger("outbox"));

    private static EventRecord Event(string message) => new() { DeviceId = "dev-1", Kind = EventKinds.WorkloadState, Message = message };
}
