using EdgeVisor.Testing.Mqtt;

namespace EdgeVisor.Agent.Tests.EndToEnd;

/// <summary>
/// Where test agents and the test controller connect: with a <see cref="Ca"/>, mutual TLS with the identity's
/// certificate (mosquitto from the shipped configuration); without, plain MQTT with the identity as username (the
/// embedded broker, a plain mosquitto).
/// </summary>
/// <param name="Describe">The broker's own account of itself (its log), for failure messages.</param>
public sealed record BrokerEndpoint(string Host, int Port, TestCa? Ca, Func<string> Describe)
{
    public bool UsesTls => Ca is not null;

    public static BrokerEndpoint Of(MosquittoBroker broker) => new(broker.Host, broker.Port, broker.Ca, broker.Describe);
}
