using System.Text.Json.Nodes;

namespace EdgeVisor.Protocol.Tests.Serialization;

/// <summary>
/// The exact JSON of one example of every record: this text is the wire contract (camelCase, kebab-case enums,
/// nulls left out), so a change here is a protocol change and must be deliberate. Each also round-trips.
/// </summary>
public class WireFormatTests
{
    private static readonly DateTimeOffset Noon = Documents.Noon;

    [Fact]
    public void Desired_state_is_written_as_documented()
    {
        var state = Documents.Desired() with
        {
            Workloads =
            [
                Documents.Firmware() with
                {
                    Configuration = new Dictionary<string, string> { ["hostAccess"] = "gpiochip0:2-27,i2c-1" },
                    Restart = new RestartPolicy { Mode = RestartModes.Always, MaxRestarts = 5, BackoffSeconds = 0.5, MaxBackoffSeconds = 30 },
                },
            ],
        };

        AssertWire(
            state,
            """
            {"schema":1,"deviceId":"pi-01","deploymentId":"greenhouse","version":3,"issuedAt":"2026-11-26T12:00:00+00:00",
            "workloads":[{"name":"sensor","kind":"firmware",
            "artifact":{"url":"https://artifacts.example/sensor-monitor.elf","sha256":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08","size":12345},
            "configuration":{"hostAccess":"gpiochip0:2-27,i2c-1"},
            "restart":{"mode":"always","maxRestarts":5,"backoffSeconds":0.5,"maxBackoffSeconds":30},
            "firmware":{"board":"stm32f4-discovery",
            "wiring":{"url":"file:///opt/edgevisor/sensor-monitor.wiring.json","sha256":"2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae"},
            "realtime":true,"arguments":[]}}]}
            """);
    }

    [Fact]
    public void Signed_envelope_is_written_as_documented()
    {
        AssertWire(
            new SignedDocument { KeyId = "0123456789abcdef", Payload = "eyJ9", Signature = "c2ln" },
            """{"schema":1,"keyId":"0123456789abcdef","algorithm":"ES256","payload":"eyJ9","signature":"c2ln"}""");
    }

    [Fact]
    public void Reported_state_is_written_with_kebab_case_states_and_reasons()
    {
        var reported = new ReportedState
        {
            DeviceId = "pi-01",
            AgentVersion = "0.5.0",
            DeploymentId = "greenhouse",
            Version = 3,
            Converged = false,
            LastRejection = new Rejection { Reason = RejectionReason.BadSignature, Message = "signature: does not match", Version = 4, At = Noon },
            Timestamp = Noon,
            Workloads =
            [
                new WorkloadReport { Name = "sensor", Kind = "firmware", State = WorkloadState.Running, ArtifactSha256 = Documents.Sha, Restarts = 1, Since = Noon },
                new WorkloadReport { Name = "logger", Kind = "firmware", State = WorkloadState.Downloading, Since = Noon },
            ],
        };

        AssertWire(
            reported,
            """
            {"schema":1,"deviceId":"pi-01","agentVersion":"0.5.0","deploymentId":"greenhouse","version":3,"converged":false,
            "lastRejection":{"reason":"bad-signature","message":"signature: does not match","version":4,"at":"2026-11-26T12:00:00+00:00"},
            "timestamp":"2026-11-26T12:00:00+00:00",
            "workloads":[{"name":"sensor","kind":"firmware","state":"running","artifactSha256":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08","restarts":1,"since":"2026-11-26T12:00:00+00:00"},
            {"name":"logger","kind":"firmware","state":"downloading","restarts":0,"since":"2026-11-26T12:00:00+00:00"}]}
            """);
    }

    [Fact]
    public void Every_rejection_reason_has_a_stable_kebab_case_code()
    {
        var codes = Enum.GetValues<RejectionReason>()
            .Select(r => Documents.Text(ProtocolJson.Serialize(new Rejection { Reason = r, Message = "m", At = Noon })))
            .Select(json => JsonNode.Parse(json)!["reason"]!.GetValue<string>());

        Assert.Equal(
            ["malformed", "too-large", "unsupported-schema", "unsigned", "unknown-key", "bad-signature", "wrong-device", "replayed", "invalid"],
            codes);
    }

    [Fact]
    public void Device_status_is_written_as_documented()
    {
        AssertWire(
            new DeviceStatus { DeviceId = "pi-01", State = DeviceStates.Offline, AgentVersion = "0.5.0", Since = Noon },
            """{"schema":1,"deviceId":"pi-01","state":"offline","agentVersion":"0.5.0","since":"2026-11-26T12:00:00+00:00"}""");
    }

    [Fact]
    public void Event_is_written_as_documented()
    {
        AssertWire(
            new EventRecord
            {
                DeviceId = "pi-01",
                Sequence = 42,
                Kind = EventKinds.DeploymentRejected,
                Severity = "error",
                Message = "version: 2 is not newer than 3",
                DeploymentId = "greenhouse",
                Version = 2,
                Reason = RejectionReason.Replayed,
                Timestamp = Noon,
            },
            """
            {"schema":1,"deviceId":"pi-01","sequence":42,"kind":"deployment-rejected","severity":"error",
            "message":"version: 2 is not newer than 3","deploymentId":"greenhouse","version":2,"reason":"replayed",
            "timestamp":"2026-11-26T12:00:00+00:00"}
            """);
    }

    [Fact]
    public void Command_request_and_responses_are_written_as_documented()
    {
        AssertWire(
            new CommandRequest { Arguments = new Dictionary<string, string> { ["workload"] = "sensor", ["lines"] = "20" } },
            """{"schema":1,"arguments":{"workload":"sensor","lines":"20"}}""");
        AssertWire(
            new CommandResponse { Ok = true, Result = new JsonObject { ["uptimeSeconds"] = 12.5 } },
            """{"schema":1,"ok":true,"result":{"uptimeSeconds":12.5}}""");
        AssertWire(
            new CommandResponse { Ok = false, Error = "no workload 'x'" },
            """{"schema":1,"ok":false,"error":"no workload 'x'"}""");
    }

    [Fact]
    public void Telemetry_and_log_records_are_written_as_documented()
    {
        AssertWire(
            new TelemetryRecord { DeviceId = "pi-01", Stream = "agent", Timestamp = Noon, Values = new Dictionary<string, double> { ["rssBytes"] = 31457280 } },
            """{"schema":1,"deviceId":"pi-01","stream":"agent","timestamp":"2026-11-26T12:00:00+00:00","values":{"rssBytes":31457280}}""");
        AssertWire(
            new LogRecord { DeviceId = "pi-01", Workload = "sensor", Timestamp = Noon, Lines = ["sensor-monitor: tick 3 t=21.50 °C"] },
            """{"schema":1,"deviceId":"pi-01","workload":"sensor","timestamp":"2026-11-26T12:00:00+00:00","lines":["sensor-monitor: tick 3 t=21.50 °C"]}""");
    }

    /// <summary>Serialises, compares with the expected text (line breaks in it are for reading only), and parses it back to an equal record.</summary>
    private static void AssertWire<T>(T record, string expected)
        where T : class
    {
        string json = Documents.Text(ProtocolJson.Serialize(record));
        Assert.Equal(expected.ReplaceLineEndings(""), json);

        var back = ProtocolJson.Parse<T>(Documents.Utf8(json));
        Assert.Equal(json, Documents.Text(ProtocolJson.Serialize(back)));
    }
}
