using System.Security.Cryptography;
using System.Text;
using EdgeVisor.Agent.State;
using EdgeVisor.Protocol;

namespace EdgeVisor.Agent.Tests.Reconciliation;

/// <summary>One agent running version 5 of a deployment, shared by the rejection cases (each changes nothing).</summary>
public sealed class RunningDeployment : IAsyncLifetime
{
    internal ReconcilerHarness Agent { get; private set; } = null!;

    internal WorkloadSpec Sensor { get; } = TestFirmware.SensorMonitor("sensor");

    public async Task InitializeAsync()
    {
        Agent = ReconcilerHarness.Start();
        Agent.Deploy(5, Sensor);
        await Agent.WaitForAppliedAsync(5);
    }

    public async Task DisposeAsync() => await Agent.DisposeAsync();
}

/// <summary>Documents the device must refuse: each is reported with its reason and changes nothing.</summary>
public sealed class RejectionTests(RunningDeployment running) : IClassFixture<RunningDeployment>
{
    public static TheoryData<string, RejectionReason> Cases => new()
    {
        { "not json", RejectionReason.Malformed },
        { "too large", RejectionReason.TooLarge },
        { "newer schema", RejectionReason.UnsupportedSchema },
        { "unsigned", RejectionReason.Unsigned },
        { "untrusted key", RejectionReason.UnknownKey },
        { "tampered payload", RejectionReason.BadSignature },
        { "other device", RejectionReason.WrongDevice },
        { "older version", RejectionReason.Replayed },
        { "same version", RejectionReason.Replayed },
        { "container kind", RejectionReason.Invalid },
        { "unknown board", RejectionReason.Invalid },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_refused_document_is_reported_with_its_reason_and_changes_nothing(string @case, RejectionReason reason)
    {
        var agent = running.Agent;
        int rejectedBefore = agent.Sink.EventsOf(EventKinds.DeploymentRejected).Count;
        var runningInstance = agent.Driver.Starts.Single().Workload;

        agent.Reconciler.SubmitDesired(Message(@case));

        await agent.WaitUntilAsync(() => agent.Sink.EventsOf(EventKinds.DeploymentRejected).Count > rejectedBefore, $"the rejection of '{@case}'");
        var rejected = agent.Sink.EventsOf(EventKinds.DeploymentRejected)[^1];
        Assert.Equal(reason, rejected.Reason);
        Assert.Equal("error", rejected.Severity);
        var report = await agent.WaitForReportAsync(r => r.LastRejection?.Message == RejectionMessage(rejected), "the rejection in the report");
        Assert.Equal(reason, report.LastRejection!.Reason);

        // Nothing else moved: the stored document, the version reported, the running instance.
        Assert.Equal(5, new DesiredDocuments(agent.Store, TimeProvider.System).Load()!.State.Version);
        Assert.Equal(5, report.Version);
        Assert.Same(runningInstance, agent.Driver.Starts.Single().Workload);
        Assert.False(runningInstance.Exited.IsCompleted, "the workload kept running");
        var workload = Assert.Single(report.Workloads);
        Assert.Equal((WorkloadState.Running, running.Sensor.Artifact.Sha256), (workload.State, workload.ArtifactSha256));
    }

    [Fact]
    public async Task A_readable_refused_document_names_the_deployment_and_version_it_claimed_and_is_reported_once()
    {
        var agent = running.Agent;
        int rejectedBefore = agent.Sink.EventsOf(EventKinds.DeploymentRejected).Count;
        byte[] message = ReconcilerHarness.Sign(ReconcilerHarness.Document(9, running.Sensor) with { DeviceId = "pi-02", DeploymentId = "elsewhere" });

        agent.Reconciler.SubmitDesired(message);
        await agent.WaitUntilAsync(() => agent.Sink.EventsOf(EventKinds.DeploymentRejected).Count > rejectedBefore, "the rejection");
        // The broker re-delivers a retained message on reconnect: the same refused bytes are not reported again.
        agent.Reconciler.SubmitDesired(message);
        agent.Deploy(5, running.Sensor);
        await agent.WaitUntilAsync(() => agent.Sink.EventsOf(EventKinds.DeploymentRejected).Count == rejectedBefore + 2, "the replay's rejection");

        var events = agent.Sink.EventsOf(EventKinds.DeploymentRejected).Skip(rejectedBefore).ToList();
        Assert.Equal([RejectionReason.WrongDevice, RejectionReason.Replayed], events.Select(e => e.Reason!.Value));
        Assert.Equal(("elsewhere", 9L), (events[0].DeploymentId, events[0].Version!.Value));
        Assert.Contains("pi-02", events[0].Message, StringComparison.Ordinal);
    }

    private static string RejectionMessage(EventRecord rejected) => rejected.Message[(rejected.Message.IndexOf(": ", StringComparison.Ordinal) + 2)..];

    private byte[] Message(string @case)
    {
        var sensor = running.Sensor;
        switch (@case)
        {
            case "not json":
                return Encoding.UTF8.GetBytes("this is not json");
            case "too large":
                return new byte[running.Agent.Options.MaxDocumentBytes + 1];
            case "newer schema":
                return Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(ReconcilerHarness.Sign(ReconcilerHarness.Document(6, sensor))).Replace("\"schema\":1", "\"schema\":2", StringComparison.Ordinal));
            case "unsigned":
                return ProtocolJson.Serialize(ReconcilerHarness.Document(6, sensor));
            case "untrusted key":
                using (var other = ECDsa.Create(ECCurve.NamedCurves.nistP256))
                {
                    return ProtocolJson.Serialize(DeploymentSignature.Sign(ReconcilerHarness.Document(6, sensor), other));
                }

            case "tampered payload":
                var signed = ProtocolJson.Parse<SignedDocument>(ReconcilerHarness.Sign(ReconcilerHarness.Document(6, sensor)));
                var tampered = ReconcilerHarness.Document(6, sensor with { Artifact = TestFirmware.Local(TestFirmware.HelloPath) });
                return ProtocolJson.Serialize(signed with { Payload = Convert.ToBase64String(ProtocolJson.Serialize(tampered)) });
            case "other device":
                return ReconcilerHarness.Sign(ReconcilerHarness.Document(6, sensor) with { DeviceId = "pi-02" });
            case "older version":
                return ReconcilerHarness.Sign(ReconcilerHarness.Document(4, sensor));
            case "same version":
                return ReconcilerHarness.Sign(ReconcilerHarness.Document(5, sensor with { Configuration = new Dictionary<string, string> { ["maxInstructions"] = "1000" } }));
            case "container kind":
                return ReconcilerHarness.Sign(ReconcilerHarness.Document(6, sensor with { Kind = WorkloadKinds.Container, Firmware = null }));
            case "unknown board":
                return ReconcilerHarness.Sign(ReconcilerHarness.Document(6, sensor with { Firmware = sensor.Firmware! with { Board = "no-such-board" } }));
            default:
                throw new ArgumentOutOfRangeException(nameof(@case), @case, "no such case");
        }
    }
}
