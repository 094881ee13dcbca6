using EdgeVisor.Protocol;
using EdgeVisor.Testing.Mqtt;

namespace EdgeVisor.Agent.Tests.EndToEnd;

/// <summary>
/// The broker goes away in the middle of a deployment: the agent carries on applying it, keeps what it has to say
/// in its outbox, reconnects when the broker is back and delivers it — in order, numbered without gaps.
/// </summary>
[Collection(AgentProcessesCollection.Name)]
public sealed class BrokerRestartTests(MosquittoFleetFixture fleet)
{
    private static readonly TimeSpan Converge = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_broker_restart_mid_deployment_loses_no_event_and_the_device_converges()
    {
        // Its own broker (same CA and shipped configuration): stopping it must not disturb other tests.
        using MosquittoBroker broker = MosquittoBroker.StartTls(fleet.Ca);
        var endpoint = BrokerEndpoint.Of(broker);
        using TestDevice device = fleet.NewDevice("e2e-broker-restart", endpoint);
        await using TestController controller = await TestController.ConnectAsync(endpoint, fleet.SigningKey);
        await controller.WatchAsync(device.DeviceId);
        AgentProcess agent = device.StartAgent();
        string Context() => device.Describe() + "\n" + broker.Describe();
        await controller.Messages.WaitForMessageAsync(DeviceTopics.Status(device.DeviceId),
            m => ProtocolJson.Parse<DeviceStatus>(m.Payload).State == DeviceStates.Online, Converge, "the device to come online", Context);

        await controller.DeployAsync(fleet.Deployments.Running(device.DeviceId, 1));
        await controller.WaitForEventAsync(device.DeviceId, e => e.Kind == EventKinds.DeploymentAccepted && e.Version == 1, Converge, "deployment-accepted v1", Context);

        // The deployment now fetches, stages, starts and health-checks (>= HealthCheckSeconds 0.3 s): the broker
        // stops in the middle of it, and stays away a while.
        DateTimeOffset down = DateTimeOffset.UtcNow;
        broker.Stop();
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.False(agent.HasExited, $"the agent exited while the broker was down\n{Context()}");
        DateTimeOffset up = DateTimeOffset.UtcNow;
        broker.Start();

        await controller.WaitForLatestReportedAsync(device.DeviceId, r => SensorMonitorDeployments.RunsConverged(r, 1, fleet.Deployments.Image),
            Converge, "version 1 running after the broker came back", Context);
        await controller.WaitForEventAsync(device.DeviceId, e => e.Kind == EventKinds.DeploymentApplied && e.Version == 1,
            Converge, "deployment-applied v1", Context);

        IReadOnlyList<EventRecord> events = controller.Events(device.DeviceId);
        EventSequence.AssertNoGaps(events, Context);
        Assert.True(events.Any(e => e.Timestamp > down && e.Timestamp < up),
            $"no event was produced while the broker was down ({down:O} .. {up:O}), so nothing tested store-and-forward: {string.Join(", ", events.Select(e => $"{e.Sequence}:{e.Kind}@{e.Timestamp:HH:mm:ss.fff}"))}\n{Context()}");
        // Arrival order is the order the agent produced them in.
        Assert.Equal(events.Select(e => e.Sequence).Distinct().Order(), events.Select(e => e.Sequence).Distinct());
    }
}
