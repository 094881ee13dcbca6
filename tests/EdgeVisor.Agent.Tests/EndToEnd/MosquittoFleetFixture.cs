using System.Security.Cryptography;
using EdgeVisor.Protocol;
using EdgeVisor.Testing.Mqtt;

namespace EdgeVisor.Agent.Tests.EndToEnd;

/// <summary>
/// What the end-to-end tests share: a test CA, mosquitto from the shipped configuration (mutual TLS, the ACL), the
/// deployment signing key (its public half is each device's trust anchor) and the sensor-monitor artifacts.
/// </summary>
public sealed class MosquittoFleetFixture : IDisposable
{
    public MosquittoFleetFixture()
    {
        Ca = TestCa.Create();
        Broker = MosquittoBroker.StartTls(Ca);
        SigningKey = SigningKeys.Generate();
        Deployments = new SensorMonitorDeployments();
    }

    public TestCa Ca { get; }

    public MosquittoBroker Broker { get; }

    public ECDsa SigningKey { get; }

    public SensorMonitorDeployments Deployments { get; }

    public BrokerEndpoint Endpoint => BrokerEndpoint.Of(Broker);

    /// <summary>A device with its own certificate (CN = <paramref name="deviceId"/>) on <paramref name="broker"/> (default: the shared one).</summary>
    public TestDevice NewDevice(string deviceId, BrokerEndpoint? broker = null, System.Text.Json.Nodes.JsonObject? containers = null)
    {
        Ca.AddDevices(deviceId);
        return new TestDevice(deviceId, broker ?? Endpoint, SigningKey.ExportSubjectPublicKeyInfoPem(), containers);
    }

    public void Dispose()
    {
        Broker.Dispose();
        Ca.Dispose();
        SigningKey.Dispose();
        Deployments.Dispose();
    }
}

/// <summary>
/// Every test that runs real agent processes is in this collection: they run one after another, so the two cores
/// are not shared by a dozen agents and emulated machines at once, and one broker and CA serve them all.
/// </summary>
[CollectionDefinition(Name)]
public sealed class AgentProcessesCollection : ICollectionFixture<MosquittoFleetFixture>
{
    public const string Name = "agent processes";
}

/// <summary>Deployment key helpers of the tests (P-256, as the protocol requires).</summary>
public static class SigningKeys
{
    public static ECDsa Generate() => ECDsa.Create(ECCurve.NamedCurves.nistP256);
}

/// <summary>Checks on a device's event stream as a controller received it.</summary>
public static class EventSequence
{
    /// <summary>
    /// The events' sequence numbers, in arrival order, go up by one with no gap; a repeat of an already received
    /// number is allowed only as an identical copy (QoS 1 is at-least-once: an agent killed before the PUBACK sends
    /// the event again after its restart).
    /// </summary>
    public static void AssertNoGaps(IReadOnlyList<EventRecord> events, Func<string> context)
    {
        Assert.True(events.Count > 0, "no events arrived at all\n" + context());
        var seen = new Dictionary<long, EventRecord>();
        long expected = events[0].Sequence;
        foreach (EventRecord e in events)
        {
            if (seen.TryGetValue(e.Sequence, out EventRecord? earlier))
            {
                Assert.True(earlier == e, $"event {e.Sequence} arrived twice with different content: {earlier} / {e}\n{context()}");
                continue;
            }

            Assert.True(e.Sequence == expected,
                $"event sequence jumps from {expected - 1} to {e.Sequence} (kinds in arrival order: {string.Join(", ", events.Select(x => $"{x.Sequence}:{x.Kind}"))})\n{context()}");
            seen[e.Sequence] = e;
            expected++;
        }
    }
}
