using EdgeVisor.Fleet.Broker;
using EdgeVisor.Protocol;

namespace EdgeVisor.Agent.Tests.EndToEnd;

/// <summary>
/// The same agent against the embedded broker (<c>edgevisor fleet broker</c>, MQTTnet's server) in the
/// configuration the single-site demo uses: loopback, no TLS, the device's id as its MQTT username.
/// </summary>
[Collection(AgentProcessesCollection.Name)]
public sealed class EmbeddedBrokerTests(MosquittoFleetFixture fleet)
{
    private static readonly TimeSpan Converge = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task The_agent_deploys_and_removes_firmware_through_the_embedded_broker()
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync(new EmbeddedBrokerOptions { Port = 0 });
        var endpoint = new BrokerEndpoint("127.0.0.1", broker.Port, Ca: null, () => $"embedded broker on {broker.Endpoint}");
        using TestDevice device = fleet.NewDevice("e2e-embedded", endpoint);
        await using TestController controller = await TestController.ConnectAsync(endpoint, fleet.SigningKey);
        await controller.WatchAsync(device.DeviceId);
        device.StartAgent();
        string Context() => device.Describe() + "\n" + endpoint.Describe();

        await controller.DeployAsync(fleet.Deployments.Running(device.DeviceId, 1));
        await controller.WaitForLatestReportedAsync(device.DeviceId, r => SensorMonitorDeployments.RunsConverged(r, 1, fleet.Deployments.Image),
            Converge, "version 1 running", Context);
        await controller.DeployAsync(SensorMonitorDeployments.Empty(device.DeviceId, 2));
        await controller.WaitForLatestReportedAsync(device.DeviceId, r => r.Version == 2 && r.Converged && r.Workloads.Count == 0,
            Converge, "version 2 with no workloads", Context);

        EventSequence.AssertNoGaps(controller.Events(device.DeviceId), Context);
        Assert.Contains(controller.Messages.On(DeviceTopics.Status(device.DeviceId)), m => ProtocolJson.Parse<DeviceStatus>(m.Payload).State == DeviceStates.Online);
    }
}
