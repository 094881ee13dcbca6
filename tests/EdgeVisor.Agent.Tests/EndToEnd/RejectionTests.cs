using System.Text;
using System.Text.Json.Nodes;
using EdgeVisor.Protocol;

namespace EdgeVisor.Agent.Tests.EndToEnd;

/// <summary>
/// Documents the agent must refuse — malformed, oversized, unsigned, signed by an untrusted key, tampered with,
/// meant for another device, an older version replayed — each arrive on the real desired topic of a device that
/// runs a workload. Each gets a <c>deployment-rejected</c> event with its reason and <c>lastRejection</c> in the
/// reported state, and the running workload is untouched (same image, same start time, no restart).
/// </summary>
[Collection(AgentProcessesCollection.Name)]
public sealed class RejectionTests(MosquittoFleetFixture fleet)
{
    private static readonly TimeSpan Converge = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Bad_documents_are_rejected_with_their_reason_and_change_nothing()
    {
        using TestDevice device = fleet.NewDevice("e2e-reject");
        await using TestController controller = await TestController.ConnectAsync(fleet.Endpoint, fleet.SigningKey);
        await controller.WatchAsync(device.DeviceId);
        device.StartAgent();
        string Context() => device.Describe() + "\n" + fleet.Broker.Describe();
        SensorMonitorDeployments deployments = fleet.Deployments;

        // Version 1, then version 2: version 1's signed bytes are what a replay attacker would have recorded.
        DesiredState version1 = deployments.Running(device.DeviceId, 1);
        byte[] version1Bytes = ProtocolJson.Serialize(DeploymentSignature.Sign(version1, fleet.SigningKey));
        await controller.PublishDesiredAsync(device.DeviceId, version1Bytes);
        await controller.WaitForLatestReportedAsync(device.DeviceId, r => SensorMonitorDeployments.RunsConverged(r, 1, deployments.Image), Converge, "version 1 running", Context);
        DesiredState version2 = deployments.Running(device.DeviceId, 2, deployments.ImageV2);
        await controller.DeployAsync(version2);
        ReportedState running = await controller.WaitForLatestReportedAsync(device.DeviceId,
            r => SensorMonitorDeployments.RunsConverged(r, 2, deployments.ImageV2), Converge, "version 2 running", Context);
        WorkloadReport before = running.Workloads.Single();
        await DeploymentTests.WaitForConsoleAsync(device, lines => lines.Any(l => l.Contains(SensorMonitorDeployments.TickMarker, StringComparison.Ordinal)), "a tick of version 2");
        int startsBefore = device.ConsoleLines(SensorMonitorDeployments.StartedLine).Count;

        using var untrusted = SigningKeys.Generate();
        var cases = new (string Name, byte[] Payload, RejectionReason Reason)[]
        {
            ("malformed", "deploy everything now {"u8.ToArray(), RejectionReason.Malformed),
            ("oversized", Signed(Bigger(version2, 300 * 1024) with { Version = 3 }), RejectionReason.TooLarge),
            ("unsigned", ProtocolJson.Serialize(version2 with { Version = 4 }), RejectionReason.Unsigned),
            ("signed by an untrusted key", ProtocolJson.Serialize(DeploymentSignature.Sign(version2 with { Version = 5 }, untrusted)), RejectionReason.UnknownKey),
            ("tampered payload", Tampered(version2 with { Version = 6 }), RejectionReason.BadSignature),
            ("for another device", Signed(version2 with { DeviceId = "e2e-someone-else", Version = 7 }), RejectionReason.WrongDevice),
            ("replayed older version", version1Bytes, RejectionReason.Replayed),
        };

        long lastSequence = controller.Events(device.DeviceId).Max(e => e.Sequence);
        foreach ((string name, byte[] payload, RejectionReason reason) in cases)
        {
            await controller.PublishDesiredAsync(device.DeviceId, payload);

            EventRecord rejected = await controller.WaitForEventAsync(device.DeviceId,
                e => e.Sequence > lastSequence && e.Kind == EventKinds.DeploymentRejected, Converge, $"deployment-rejected for the {name} document", Context);
            Assert.True(rejected.Reason == reason, $"the {name} document was rejected as {rejected.Reason}, not {reason}: {rejected.Message}");
            Assert.False(string.IsNullOrWhiteSpace(rejected.Message), $"the {name} rejection has no message");
            Assert.DoesNotContain('\n', rejected.Message);
            ReportedState report = await controller.WaitForLatestReportedAsync(device.DeviceId,
                r => r.LastRejection?.Reason == reason, Converge, $"lastRejection {reason} for the {name} document", Context);

            Assert.Equal(2, report.Version);
            WorkloadReport now = Assert.Single(report.Workloads);
            Assert.True(now == before,
                $"the running workload changed after the {name} document: before {before}, now {now}");
            lastSequence = controller.Events(device.DeviceId).Max(e => e.Sequence);
        }

        // Nothing restarted the firmware: no new "started" line in its console.
        Assert.Equal(startsBefore, device.ConsoleLines(SensorMonitorDeployments.StartedLine).Count);
        EventSequence.AssertNoGaps(controller.Events(device.DeviceId), Context);
    }

    private byte[] Signed(DesiredState state) => ProtocolJson.Serialize(DeploymentSignature.Sign(state, fleet.SigningKey));

    /// <summary>A correctly signed envelope whose payload was changed afterwards (a version bumped by hand).</summary>
    private byte[] Tampered(DesiredState state)
    {
        SignedDocument signed = DeploymentSignature.Sign(state, fleet.SigningKey);
        string payload = Encoding.UTF8.GetString(Convert.FromBase64String(signed.Payload));
        JsonNode json = JsonNode.Parse(payload)!;
        json["version"] = state.Version + 100;
        return ProtocolJson.Serialize(signed with { Payload = Convert.ToBase64String(Encoding.UTF8.GetBytes(json.ToJsonString())) });
    }

    /// <summary><paramref name="state"/> padded with a configuration value so its signed envelope exceeds <paramref name="bytes"/>.</summary>
    private static DesiredState Bigger(DesiredState state, int bytes) => state with
    {
        Workloads = [state.Workloads[0] with { Configuration = new Dictionary<string, string> { ["padding"] = new string('x', bytes) } }],
    };
}
