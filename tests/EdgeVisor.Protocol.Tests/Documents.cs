using System.Security.Cryptography;
using System.Text;

namespace EdgeVisor.Protocol.Tests;

/// <summary>Valid documents the tests start from and then break in one place.</summary>
internal static class Documents
{
    public const string Sha = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    public const string WiringSha = "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae";

    public static readonly DateTimeOffset Noon = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    public static WorkloadSpec Firmware(string name = "sensor") => new()
    {
        Name = name,
        Kind = WorkloadKinds.Firmware,
        Artifact = new ArtifactRef { Url = "https://artifacts.example/sensor-monitor.elf", Sha256 = Sha, Size = 12345 },
        Firmware = new FirmwareSpec
        {
            Board = "stm32f4-discovery",
            Wiring = new ArtifactRef { Url = "file:///opt/edgevisor/sensor-monitor.wiring.json", Sha256 = WiringSha },
        },
    };

    /// <summary>A container workload from a registry image, with a volume, a port forward and a health check.</summary>
    public static WorkloadSpec Container(string name = "web") => new()
    {
        Name = name,
        Kind = WorkloadKinds.Container,
        Artifact = new ArtifactRef { Url = "oci://registry.example:5000/greenhouse/web:1.2", Sha256 = Sha },
        Container = new ContainerSpec
        {
            Command = ["httpd", "-f", "-p", "8080"],
            Environment = new Dictionary<string, string> { ["LOG_LEVEL"] = "info" },
            WorkingDirectory = "/srv",
            Volumes = [new VolumeSpec { Name = "data", Path = "/srv/data" }],
            Tmpfs = ["/tmp"],
            Limits = new ContainerLimits { MemoryBytes = 64L * 1024 * 1024, Cpus = 0.5 },
            Network = new ContainerNetwork { Ports = [new PortForward { HostPort = 8080, ContainerPort = 8080 }] },
            HealthCheck = new HealthCheckSpec { TcpPort = 8080 },
        },
    };

    public static DesiredState Desired(params WorkloadSpec[] workloads) => new()
    {
        DeviceId = "pi-01",
        DeploymentId = "greenhouse",
        Version = 3,
        IssuedAt = Noon,
        Workloads = workloads.Length == 0 ? [Firmware()] : workloads,
    };

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    public static string Text(byte[] utf8) => Encoding.UTF8.GetString(utf8);

    /// <summary>The JSON of a valid desired state, for tests that edit the text itself.</summary>
    public static string DesiredJson() => Text(ProtocolJson.Serialize(Desired()));

    public static byte[] Envelope(SignedDocument document) => ProtocolJson.Serialize(document);

    public static (TrustAnchors Anchors, ECDsa Key) TrustedKey()
    {
        var key = SigningKey.Generate();
        var anchors = new TrustAnchors();
        anchors.AddPem(SigningKey.ExportPublicPem(key), "test key");
        return (anchors, key);
    }
}
