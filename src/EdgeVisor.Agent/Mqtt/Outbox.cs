using EdgeVisor.Agent.State;
using EdgeVisor.Protocol;
using LiteDB;
using Microsoft.Extensions.Logging;

namespace EdgeVisor.Agent.Mqtt;

/// <summary>What an outbox entry carries; decides what is coalesced and what is dropped first when the outbox is full.</summary>
public enum OutboxKind
{
    /// <summary>The retained reported state: at most one is queued (the latest).</summary>
    Reported,

    /// <summary>An event with its sequence number: kept in order; dropped only after all telemetry.</summary>
    Event,

    /// <summary>A telemetry sample: the first to go when the outbox is full.</summary>
    Telemetry,
}

/// <summary>One message waiting for the broker.</summary>
/// <param name="Id">Queue position: entries are published in ascending id order.</param>
public sealed record OutboxEntry(long Id, OutboxKind Kind, string Topic, byte[] Payload, bool Retain);

/// <summary>
/// Messages produced by the agent that wait for the broker, in LiteDB (<see cref="AgentStore.OutboxCollection"/>) so a
/// broker outage or a SIGKILL between producing and publishing loses nothing. Entries are published in insertion order
/// and removed only after the broker acknowledged them (QoS 1), so a crash can repeat a message but never lose one.
/// <para>
/// Reported state is coalesced: queuing a new one deletes the queued one and appends the new one at the end. The
/// latest report therefore always follows the events that led to it. Event sequence numbers come from the store
/// (meta <c>eventSequence</c>), incremented in the same transaction as the insert, so they are strictly increasing
/// across restarts and a gap means a dropped event.
/// </para>
/// <para>
/// Bounded: beyond <c>maxEntries</c> the oldest telemetry goes first, then the oldest events, with an error log and an
/// <c>outbox-overflow</c> event saying how many were dropped.
/// </para>
/// </summary>
public sealed class Outbox
{
    /// <summary>The event kind that tells the controller messages were dropped.</summary>
    public const string OverflowEventKind = EventKinds.OutboxOverflow;

    private const string SequenceKey = "eventSequence";
    private readonly AgentStore _store;
    private readonly string _deviceId;
    private readonly ILiteCollection<BsonDocument> _entries;
    private readonly int _maxEntries;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private int _count;

    public Outbox(AgentStore store, string deviceId, int maxEntries, TimeProvider time, ILogger logger)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEntries, 2);
        _store = store;
        _deviceId = deviceId;
        _maxEntries = maxEntries;
        _time = time;
        _logger = logger;
        _entries = store.Database.GetCollection(AgentStore.OutboxCollection, BsonAutoId.Int64);
        _entries.EnsureIndex("kind");
        _count = _entries.Count();
    }

    /// <summary>Entries waiting.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _count;
            }
        }
    }

    /// <summary>Queues the reported state, replacing a queued older one.</summary>
    public void EnqueueReported(string topic, byte[] payload)
    {
        lock (_gate)
        {
            _store.Transaction(() =>
            {
                int removed = _entries.DeleteMany(Query.EQ("kind", nameof(OutboxKind.Reported)));
                _count -= removed;
                Insert(OutboxKind.Reported, topic, payload, retain: true);
                return removed;
            });
            Trim();
        }
    }

    /// <summary>Queues one event with the next sequence number (assigned and stored in the same transaction); returns it as queued.</summary>
    public EventRecord EnqueueEvent(EventRecord record)
    {
        lock (_gate)
        {
            var queued = InsertEvent(record);
            Trim();
            return queued;
        }
    }

    /// <summary>Queues one telemetry sample.</summary>
    public void EnqueueTelemetry(string topic, byte[] payload)
    {
        lock (_gate)
        {
            _store.Transaction(() =>
            {
                Insert(OutboxKind.Telemetry, topic, payload, retain: false);
                return 0;
            });
            Trim();
        }
    }

    /// <summary>The oldest entries, in publishing order.</summary>
    public IReadOnlyList<OutboxEntry> Peek(int max)
    {
        lock (_gate)
        {
            return _entries.Find(Query.All(Query.Ascending), limit: max).Select(ToEntry).ToList();
        }
    }

    /// <summary>Removes a published (or refused) entry; a no-op when it was coalesced away meanwhile.</summary>
    public void Remove(long id)
    {
        lock (_gate)
        {
            if (_entries.Delete(id))
            {
                _count--;
            }
        }
    }

    private void Insert(OutboxKind kind, string topic, byte[] payload, bool retain)
    {
        _entries.Insert(new BsonDocument
        {
            ["kind"] = kind.ToString(),
            ["topic"] = topic,
            ["payload"] = payload,
            ["retain"] = retain,
        });
        _count++;
    }

    private EventRecord InsertEvent(EventRecord record) => _store.Transaction(() =>
    {
        long next = _store.GetMeta<long>(SequenceKey) + 1;
        _store.SetMeta(SequenceKey, next);
        var queued = record with
        {
            Sequence = next,
            Timestamp = record.Timestamp == default ? _time.GetUtcNow() : record.Timestamp,
        };
        Insert(OutboxKind.Event, DeviceTopics.Events(_deviceId), ProtocolJson.Serialize(queued), retain: false);
        return queued;
    });

    /// <summary>Drops the oldest telemetry, then the oldest events, until the outbox is within its bound.</summary>
    private void Trim()
    {
        if (_count <= _maxEntries)
        {
            return;
        }

        // Drop a tenth more than needed so a full outbox does not pay for a trim on every insert.
        int excess = _count - _maxEntries + Math.Max(1, _maxEntries / 10);
        int droppedTelemetry = DropOldest(OutboxKind.Telemetry, excess);
        int droppedEvents = DropOldest(OutboxKind.Event, excess - droppedTelemetry);
        _logger.LogError(
            "Outbox full ({Max} entries waiting for the broker): dropped the {Telemetry} oldest telemetry samples and the {Events} oldest events",
            _maxEntries,
            droppedTelemetry,
            droppedEvents);

        // Tell the controller too; the gap in event sequence numbers shows which events are gone.
        InsertEvent(new EventRecord
        {
            DeviceId = _deviceId,
            Kind = OverflowEventKind,
            Severity = "error",
            Message = $"outbox full ({_maxEntries} entries) while the broker was unreachable: dropped {droppedTelemetry} telemetry samples and {droppedEvents} events",
        });
    }

    private int DropOldest(OutboxKind kind, int count)
    {
        if (count <= 0)
        {
            return 0;
        }

        var ids = _entries.Find(Query.EQ("kind", kind.ToString()))
            .Select(d => d["_id"].AsInt64)
            .Order()
            .Take(count)
            .ToList();
        foreach (long id in ids)
        {
            _entries.Delete(id);
        }

        _count -= ids.Count;
        return ids.Count;
    }

    private static OutboxEntry ToEntry(BsonDocument d) => new(
        d["_id"].AsInt64,
        Enum.Parse<OutboxKind>(d["kind"].AsString),
        d["topic"].AsString,
        d["payload"].AsBinary,
        d["retain"].AsBoolean);
}
