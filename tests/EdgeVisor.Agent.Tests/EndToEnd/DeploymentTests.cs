using EdgeVisor.Protocol;

namespace EdgeVisor.Agent.Tests.EndToEnd;

/// <summary>
/// The operator's everyday path against mosquitto with TLS and the shipped ACL: deploy the sensor-monitor firmware,
/// update it to another image, remove it, stop the agent — each seen the way a controller sees it (reported state,
/// events, status) and on the device (the workload's console log).
/// </summary>
[Collection(AgentProcessesCollection.Name)]
public sealed class DeploymentTests(MosquittoFleetFixture fleet)
{
    private static readonly TimeSpan Converge = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Deploy_update_and_remove_firmware_then_stop_gracefully()
    {
        using TestDevice device = fleet.NewDevice("e2e-deploy");
        await using TestController controller = await TestController.ConnectAsync(fleet.Endpoint, fleet.SigningKey);
        await controller.WatchAsync(device.DeviceId);
        AgentProcess agent = device.StartAgent();
        string Context() => device.Describe() + "\n" + fleet.Broker.Describe();
        SensorMonitorDeployments deployments = fleet.Deployments;

        await controller.Messages.WaitForMessageAsync(DeviceTopics.Status(device.DeviceId),
            m => ProtocolJson.Parse<DeviceStatus>(m.Payload).State == DeviceStates.Online, Converge, "the device to come online", Context);

        // Deploy.
        await controller.DeployAsync(deployments.Running(device.DeviceId, 1));
        await controller.WaitForLatestReportedAsync(device.DeviceId, r => SensorMonitorDeployments.RunsConverged(r, 1, deployments.Image), Converge, "version 1 running", Context);
        await controller.WaitForEventAsync(device.DeviceId, e => e.Kind == EventKinds.DeploymentApplied && e.Version == 1, Converge, "deployment-applied v1", Context);
        await WaitForConsoleAsync(device, lines => lines.Any(l => l.Contains(SensorMonitorDeployments.TickMarker, StringComparison.Ordinal)), "a tick of the running firmware");

        // Update to another image.
        await controller.DeployAsync(deployments.Running(device.DeviceId, 2, deployments.ImageV2));
        ReportedState updated = await controller.WaitForLatestReportedAsync(device.DeviceId,
            r => SensorMonitorDeployments.RunsConverged(r, 2, deployments.ImageV2), Converge, "version 2 running the new image", Context);
        Assert.Null(updated.LastRejection);

        // Remove everything.
        await controller.DeployAsync(SensorMonitorDeployments.Empty(device.DeviceId, 3));
        ReportedState removed = await controller.WaitForLatestReportedAsync(device.DeviceId,
            r => r.Version == 3 && r.Converged && r.Workloads.Count == 0, Converge, "version 3 with no workloads", Context);
        Assert.Equal("e2e-sensor", removed.DeploymentId);
        int consoleLinesAfterRemoval = device.ConsoleLines(SensorMonitorDeployments.TickMarker).Count;

        // Graceful stop: exit 0, the offline status, and the firmware really stopped (no more ticks).
        int? exit = await agent.StopAsync(TimeSpan.FromSeconds(20));
        Assert.True(exit == 0, $"the agent exited with {exit?.ToString() ?? "nothing (killed after 20 s)"} on SIGTERM\n{Context()}");
        await controller.Messages.WaitForMessageAsync(DeviceTopics.Status(device.DeviceId),
            m => m.Payload.Length > 0 && ProtocolJson.Parse<DeviceStatus>(m.Payload).State == DeviceStates.Offline, TimeSpan.FromSeconds(10), "the offline status", Context);
        Assert.Equal(consoleLinesAfterRemoval, device.ConsoleLines(SensorMonitorDeployments.TickMarker).Count);

        EventSequence.AssertNoGaps(controller.Events(device.DeviceId), Context);
        ReportedState? retained = await controller.FetchRetainedReportedAsync(device.DeviceId, TimeSpan.FromSeconds(5));
        Assert.True(retained is { Version: 3, Converged: true, Workloads.Count: 0 }, $"the retained reported state is not the final one: {retained}\n{Context()}");
    }

    /// <summary>Waits until the device's console lines satisfy <paramref name="condition"/> (files are read, not sampled once).</summary>
    internal static async Task WaitForConsoleAsync(TestDevice device, Func<IReadOnlyList<string>, bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTimeOffset.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        IReadOnlyList<string> lines = [];
        while (DateTimeOffset.UtcNow < deadline)
        {
            lines = device.ConsoleLines("sensor-monitor:");
            if (condition(lines))
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"timed out waiting for {what} in the workload's console log under {device.StateDirectory}; its sensor-monitor lines:\n{string.Join('\n', lines.TakeLast(20))}\n{device.Describe()}");
    }
}
